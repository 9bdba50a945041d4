package ai.glimpse.train;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.model.TrainingGraph;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts a {@link TrainingSet} into padded teacher-forcing batches. The caption order of an epoch and the
 * dropout masks of a step depend only on (seed, epoch) and (seed, step), so a resumed run sees exactly
 * the batches an uninterrupted one would.
 */
public final class Batches {
    private final TrainingSet data;
    private final ModelConfig model;
    private final int batchSize;
    private final long seed;

    public Batches(TrainingSet data, ModelConfig model, int batchSize, long seed) {
        this.data = data;
        this.model = model;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Steps in one epoch; the last batch may be smaller. */
    public int stepsPerEpoch() {
        return (data.captionCount() + batchSize - 1) / batchSize;
    }

    /** The caption order of an epoch: a permutation drawn from (seed, epoch). */
    public int[] order(int epoch) {
        int[] order = new int[data.captionCount()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random rng = new Random(seed * 31 + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The placeholders of batch {@code index} of an epoch's order, at global step {@code step}. */
    public Map<String, INDArray> batch(int[] order, int index, long step) {
        int from = index * batchSize;
        int b = Math.min(batchSize, order.length - from);
        int t = model.steps();
        int per = data.inputSize();
        float[] input = new float[b * per];                                // [B, 3, S, S] or [B, L, D]
        int[][] inputs = new int[b][t];                                    // [B, T], padded with 0
        int[][] targets = new int[b][t];                                   // [B, T]
        float[][] mask = new float[b][t];                                  // [B, T]
        for (int r = 0; r < b; r++) {
            int k = order[from + r];
            data.copyInput(data.imageOf(k), input, r * per);
            int[] ids = data.caption(k);                                   // <start> w.. <end>
            for (int j = 0; j + 1 < ids.length && j < t; j++) {
                inputs[r][j] = ids[j];
                targets[r][j] = ids[j + 1];
                mask[r][j] = 1f;
            }
        }
        Map<String, INDArray> ph = new HashMap<>();
        long[] one = data.inputShape();
        long[] shape = new long[one.length + 1];
        shape[0] = b;
        System.arraycopy(one, 0, shape, 1, one.length);
        ph.put(data.holdsPixels() ? TrainingGraph.IMAGES : TrainingGraph.FEATURES, Nd4j.create(input, shape, 'c'));
        ph.put(TrainingGraph.INPUTS, Nd4j.createFromArray(inputs));
        ph.put(TrainingGraph.TARGETS, Nd4j.createFromArray(targets));
        ph.put(TrainingGraph.MASK, Nd4j.createFromArray(mask));
        if (model.dropout() > 0) {
            ph.put(TrainingGraph.DROP, dropMask(b, step));
        }
        return ph;
    }

    /** Inverted dropout multipliers [B, T, m]: 0 with probability p, else 1 / (1 - p). */
    private INDArray dropMask(int b, long step) {
        double p = model.dropout();
        float keep = (float) (1 / (1 - p));
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + step);
        float[] m = new float[b * model.steps() * model.embedDim()];
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < p ? 0f : keep;
        }
        return Nd4j.create(m, new long[] {b, model.steps(), model.embedDim()}, 'c');
    }
}

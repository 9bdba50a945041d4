package ai.glimpse.train;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.model.Backprop;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.Inference;
import ai.glimpse.model.TrainingGraph;
import ai.glimpse.model.TrainingStep;
import ai.glimpse.model.Workspace;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the decoder's training step (forward, backward and Adam update over cached features) and its
 * decode step, at given sizes, reporting the median of repeated runs after a warm-up.
 */
public final class Bench {
    /** Medians in seconds and the derived throughput. */
    public record Result(ModelConfig config, int batchSize, int repeats, double trainStepSeconds,
            double decodeStepSeconds, double trainImagesPerSecond, double decodeImagesPerSecond,
            List<Double> trainSamples, List<Double> decodeSamples) {
    }

    private Bench() {
    }

    /** Runs the benchmark; {@code onSample} hears each timed run (e.g. for a progress bar). */
    public static Result run(ModelConfig config, int batchSize, int repeats, Runnable onSample) {
        CaptionModel model = CaptionModel.initialise(config, 1);
        SplittableRandom rng = new SplittableRandom(3);
        int t = config.steps();
        float[] feats = new float[batchSize * config.regions() * config.featureDim()];
        for (int i = 0; i < feats.length; i++) {
            feats[i] = (float) rng.nextDouble();
        }
        int[][] inputs = new int[batchSize][t];
        int[][] targets = new int[batchSize][t];
        float[][] mask = new float[batchSize][t];
        for (int b = 0; b < batchSize; b++) {
            for (int j = 0; j < t; j++) {
                inputs[b][j] = j == 0 ? 1 : 4 + rng.nextInt(config.vocabSize() - 4);
                targets[b][j] = j == t - 1 ? 2 : 4 + rng.nextInt(config.vocabSize() - 4);
                mask[b][j] = 1;
            }
        }
        INDArray features = Nd4j.create(feats, new long[] {batchSize, config.regions(), config.featureDim()}, 'c');
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TrainingGraph.FEATURES, features);
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.oneCaptionPerImage(batchSize, DataType.FLOAT));
        ph.put(TrainingGraph.INPUTS, Nd4j.createFromArray(inputs));
        ph.put(TrainingGraph.TARGETS, Nd4j.createFromArray(targets));
        ph.put(TrainingGraph.MASK, Nd4j.createFromArray(mask));
        if (config.dropout() > 0) {
            ph.put(TrainingGraph.DROP, Nd4j.ones(DataType.FLOAT, batchSize, t, config.embedDim()));
        }
        TrainingStep step = new TrainingStep(model, DataType.FLOAT);
        Adam adam = new Adam(model.params());
        List<Double> train = new ArrayList<>();
        for (int r = 0; r <= repeats; r++) {
            long t0 = System.nanoTime();
            try (MemoryWorkspace ws = Workspace.open("bench-train")) {
                adam.update(model.params(), step.run(ph).gradients(), 1e-4, 5.0);
            }
            if (r > 0) {
                train.add((System.nanoTime() - t0) / 1e9);
            }
            onSample.run();
        }
        Inference inference = new Inference(model);
        Inference.Encoded enc = inference.encode(features);
        int[] rows = new int[batchSize];
        int[] prev = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            rows[b] = b;
            prev[b] = 1;
        }
        Inference.Session session = inference.start(enc, rows);
        List<Double> decode = new ArrayList<>();
        for (int r = 0; r <= repeats; r++) {
            long t0 = System.nanoTime();
            session.step(enc.state(), prev);
            if (r > 0) {
                decode.add((System.nanoTime() - t0) / 1e9);
            }
            onSample.run();
        }
        double trainMedian = median(train);
        double decodeMedian = median(decode);
        return new Result(config, batchSize, repeats, trainMedian, decodeMedian, batchSize / trainMedian,
                batchSize / (decodeMedian * t), train, decode);
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

}

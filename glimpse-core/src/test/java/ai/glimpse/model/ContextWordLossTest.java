package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The context word loss: its value against the formula computed by hand from the graph's alphas, and when it is off. */
class ContextWordLossTest {
    /** Frozen-encoder features, so the test feeds the regions' features itself: 4 regions x 5 features, 9 words. */
    private static final ModelConfig PLAIN = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 5, 2, 9, 4, 6, 3, 0.0, 0.7, 4);
    private static final double WEIGHT = 0.4;
    private static final int[][] TARGETS = {{4, 5, 6, 2, 0}, {6, 2, 0, 0, 0}, {5, 2, 0, 0, 0}};
    private static final int[] IMAGE_OF = {0, 1, 0};

    @Test
    void theContextLossIsTheWeightedCrossEntropyOfWordsPredictedFromEachStepsAttendedContext() {
        ModelConfig c = PLAIN.withContextLoss(WEIGHT);
        CaptionModel model = new CaptionModel(c, CaptionModel.initialise(c, 3).params().copy(DataType.DOUBLE));
        model.params().get(ContextWordLoss.B).assign(Nd4j.linspace(-1, 1, 9, DataType.DOUBLE)); // distinct biases
        Map<String, INDArray> ph = batch();
        Map<String, INDArray> out = TrainingGraph.build(model, DataType.DOUBLE).sd().output(ph, TrainingGraph.LOSS,
                TrainingGraph.CROSS_ENTROPY, TrainingGraph.PENALTY, TrainingGraph.WORD_LOSS, TrainingGraph.CONTEXT_LOSS,
                TrainingGraph.ALPHAS);
        INDArray feats = ph.get(TrainingGraph.FEATURES);                   // [2, L, D]
        INDArray alphas = out.get(TrainingGraph.ALPHAS);                   // [3, T, L]
        INDArray w = model.params().get(ContextWordLoss.W);                // [D, K]
        INDArray b = model.params().get(ContextWordLoss.B);                // [K]
        double sum = 0;
        int real = 0;
        for (int r = 0; r < 3; r++) {
            for (int t = 0; t < 5 && (t == 0 || TARGETS[r][t - 1] != 2); t++) { // real steps: up to <end> (id 2)
                double[] scores = new double[9];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 9; k++) {
                    double s = b.getDouble(k);
                    for (int d = 0; d < 5; d++) {
                        double z = 0;                                      // sum_i alpha_ti a_id
                        for (int i = 0; i < 4; i++) {
                            z += alphas.getDouble(r, t, i) * feats.getDouble(IMAGE_OF[r], i, d);
                        }
                        s += z * w.getDouble(d, k);
                    }
                    scores[k] = s;
                    max = Math.max(max, s);
                }
                double norm = 0;
                for (double s : scores) {
                    norm += Math.exp(s - max);
                }
                sum += -(scores[TARGETS[r][t]] - max - Math.log(norm));
                real++;
            }
        }
        double expected = WEIGHT * sum / real;
        assertEquals(8, real);
        assertEquals(expected, out.get(TrainingGraph.CONTEXT_LOSS).getDouble(0), 1e-10);
        assertEquals(out.get(TrainingGraph.CROSS_ENTROPY).getDouble(0) + out.get(TrainingGraph.PENALTY).getDouble(0) + expected,
                out.get(TrainingGraph.LOSS).getDouble(0), 1e-10);
    }

    @Test
    void withoutTheWeightTheModelHasNoSuchLayerAndTheLossIsUnchanged() {
        CaptionModel plain = CaptionModel.initialise(PLAIN, 3);
        CaptionModel with = CaptionModel.initialise(PLAIN.withContextLoss(WEIGHT), 3);
        assertFalse(plain.params().names().contains(ContextWordLoss.W));
        assertTrue(with.params().names().contains(ContextWordLoss.W));
        for (String name : plain.params().names()) {                      // the layer draws from its own stream
            assertEquals(plain.params().get(name), with.params().get(name), name);
        }
        Map<String, INDArray> out = TrainingGraph.build(new CaptionModel(PLAIN, plain.params().copy(DataType.DOUBLE)), DataType.DOUBLE)
                .sd().output(batch(), TrainingGraph.LOSS, TrainingGraph.CROSS_ENTROPY, TrainingGraph.PENALTY, TrainingGraph.CONTEXT_LOSS);
        assertEquals(0, out.get(TrainingGraph.CONTEXT_LOSS).getDouble(0));
        assertEquals(out.get(TrainingGraph.CROSS_ENTROPY).getDouble(0) + out.get(TrainingGraph.PENALTY).getDouble(0),
                out.get(TrainingGraph.LOSS).getDouble(0), 1e-12);
    }

    @Test
    void aNegativeOrUndefinedWeightIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withContextLoss(-0.1));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withContextLoss(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withContextLoss(Double.POSITIVE_INFINITY));
    }

    /** Three captions of two images' random features; the first image has two of them. */
    private static Map<String, INDArray> batch() {
        SplittableRandom rng = new SplittableRandom(8);
        double[] feats = new double[2 * 4 * 5];
        for (int i = 0; i < feats.length; i++) {
            feats[i] = rng.nextDouble() * 2 - 0.5;
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TrainingGraph.FEATURES, Nd4j.create(feats, new long[] {2, 4, 5}, 'c'));
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.imageOfCaption(IMAGE_OF, 2, DataType.DOUBLE));
        ph.put(TrainingGraph.INPUTS, Nd4j.createFromArray(new int[][] {{1, 4, 5, 6, 0}, {1, 6, 0, 0, 0}, {1, 5, 0, 0, 0}}));
        ph.put(TrainingGraph.TARGETS, Nd4j.createFromArray(TARGETS));
        ph.put(TrainingGraph.MASK, Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 0}, {1, 1, 0, 0, 0}, {1, 1, 0, 0, 0}}));
        return ph;
    }
}

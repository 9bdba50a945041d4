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

/** The word-detection loss: its value against the formula computed by hand, and where it applies. */
class WordDetectorTest {
    private static final ModelConfig PLAIN = ModelConfig.small(8, List.of(3, 4), 0, true, false, 9, 5, 6, 4, 0.0, 0.7, 4);
    private static final double WEIGHT = 0.6;

    @Test
    void theWordLossIsTheWeightedLogisticLossOfWordScoresOfTheMaxPooledFeatures() {
        ModelConfig c = PLAIN.withWordLoss(WEIGHT);
        CaptionModel model = new CaptionModel(c, CaptionModel.initialise(c, 11).params().copy(DataType.DOUBLE));
        model.params().get(WordDetector.B).assign(Nd4j.linspace(-1, 1, 9, DataType.DOUBLE)); // distinct biases
        Map<String, INDArray> ph = batch();
        Map<String, INDArray> out = TrainingGraph.build(model, DataType.DOUBLE).sd().output(ph,
                TrainingGraph.LOSS, TrainingGraph.CROSS_ENTROPY, TrainingGraph.PENALTY, TrainingGraph.WORD_LOSS);

        // the encoder's features of the two images, from a graph that holds only the encoder
        ModelGraph g = new ModelGraph(model.params(), DataType.DOUBLE);
        SmallCnnEncoderGraph.encode(g, c, g.input(TrainingGraph.IMAGES, -1, 3, 8, 8)).rename("f");
        INDArray feats = g.sd().output(Map.of(TrainingGraph.IMAGES, ph.get(TrainingGraph.IMAGES)), "f").get("f"); // [2, L, D]
        INDArray w = model.params().get(WordDetector.W);                  // [D, K]
        INDArray b = model.params().get(WordDetector.B);                  // [K]
        int[] imageOf = {0, 1, 0};
        int[][] used = {{4, 5, 6, 2}, {6, 2}, {5, 2}};                    // targets before padding, <end> included
        double expected = 0;
        for (int r = 0; r < 3; r++) {
            INDArray pooled = feats.slice(imageOf[r]).max(0);             // [D], each channel's strongest region
            for (int k = 0; k < c.vocabSize(); k++) {
                double s = pooled.mul(w.getColumn(k)).sumNumber().doubleValue() + b.getDouble(k);
                boolean present = false;
                for (int u : used[r]) {
                    present |= u == k;
                }
                expected += present ? Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
            }
        }
        expected = WEIGHT * expected / 3;
        assertEquals(expected, out.get(TrainingGraph.WORD_LOSS).getDouble(0), 1e-10);
        assertEquals(out.get(TrainingGraph.CROSS_ENTROPY).getDouble(0) + out.get(TrainingGraph.PENALTY).getDouble(0) + expected,
                out.get(TrainingGraph.LOSS).getDouble(0), 1e-10);
    }

    @Test
    void withoutTheWeightTheModelHasNoDetectorsAndTheLossIsUnchanged() {
        CaptionModel plain = CaptionModel.initialise(PLAIN, 11);
        CaptionModel with = CaptionModel.initialise(PLAIN.withWordLoss(WEIGHT), 11);
        assertFalse(plain.params().names().contains(WordDetector.W));
        assertTrue(with.params().names().contains(WordDetector.W));
        for (String name : plain.params().names()) {                      // the detectors draw from their own stream
            assertEquals(plain.params().get(name), with.params().get(name), name);
        }
        Map<String, INDArray> ph = batch();
        Map<String, INDArray> out = TrainingGraph.build(new CaptionModel(PLAIN, plain.params().copy(DataType.DOUBLE)), DataType.DOUBLE)
                .sd().output(ph, TrainingGraph.LOSS, TrainingGraph.CROSS_ENTROPY, TrainingGraph.PENALTY, TrainingGraph.WORD_LOSS);
        assertEquals(0, out.get(TrainingGraph.WORD_LOSS).getDouble(0));
        assertEquals(out.get(TrainingGraph.CROSS_ENTROPY).getDouble(0) + out.get(TrainingGraph.PENALTY).getDouble(0),
                out.get(TrainingGraph.LOSS).getDouble(0), 1e-12);
    }

    @Test
    void onlyTheSmallEncoderTakesAWordLoss() {
        ModelConfig frozen = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 512, 14, 9, 5, 6, 4, 0.0, 1.0, 4);
        assertThrows(IllegalArgumentException.class, () -> frozen.withWordLoss(1.0));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withWordLoss(-0.1));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withWordLoss(Double.NaN));
    }

    /** Three captions of two random 8-px images; the first image has two of them. */
    private static Map<String, INDArray> batch() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] pixels = new double[2 * 3 * 8 * 8];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextDouble();
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TrainingGraph.IMAGES, Nd4j.create(pixels, new long[] {2, 3, 8, 8}, 'c'));
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.imageOfCaption(new int[] {0, 1, 0}, 2, DataType.DOUBLE));
        ph.put(TrainingGraph.INPUTS, Nd4j.createFromArray(new int[][] {{1, 4, 5, 6, 0}, {1, 6, 0, 0, 0}, {1, 5, 0, 0, 0}}));
        ph.put(TrainingGraph.TARGETS, Nd4j.createFromArray(new int[][] {{4, 5, 6, 2, 0}, {6, 2, 0, 0, 0}, {5, 2, 0, 0, 0}}));
        ph.put(TrainingGraph.MASK, Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 0}, {1, 1, 0, 0, 0}, {1, 1, 0, 0, 0}}));
        return ph;
    }
}

package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.glimpse.config.ModelConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A graph unrolled over fewer steps gives the full graph's loss and gradients on captions that fit. */
class TrainingGraphTest {
    private static final ModelConfig CONFIG = ModelConfig.small(8, List.of(3), 1, true, 9, 5, 6, 4, 0.0, 0.7, 6); // 7 steps

    @ParameterizedTest(name = "context loss {0}")
    @ValueSource(doubles = {0, 0.5})
    void aShorterUnrollHasTheSameLossAndGradients(double contextLoss) {
        ModelConfig c = CONFIG.withContextLoss(contextLoss);
        CaptionModel model = new CaptionModel(c, CaptionModel.initialise(c, 5).params().copy(DataType.DOUBLE));
        TrainingGraph full = TrainingGraph.build(model, DataType.DOUBLE);
        TrainingGraph shorter = TrainingGraph.build(model, DataType.DOUBLE, 4);
        assertEquals(7, full.steps());
        assertEquals(4, shorter.steps());

        // captions of 3, 1 and 2 words: at most 4 steps with <end>
        int[][] inputs = {{1, 4, 5, 6, 0, 0, 0}, {1, 7, 0, 0, 0, 0, 0}, {1, 8, 4, 0, 0, 0, 0}};
        int[][] targets = {{4, 5, 6, 2, 0, 0, 0}, {7, 2, 0, 0, 0, 0, 0}, {8, 4, 2, 0, 0, 0, 0}};
        Map<String, INDArray> fullBatch = batch(inputs, targets, 7);
        Map<String, INDArray> shortBatch = batch(inputs, targets, 4);

        var a = Backprop.outputsAndGradients(full.sd(), fullBatch, List.of(TrainingGraph.LOSS), model.params().names());
        var b = Backprop.outputsAndGradients(shorter.sd(), shortBatch, List.of(TrainingGraph.LOSS), model.params().names());
        assertEquals(a.getOutputs().get(TrainingGraph.LOSS).getDouble(0), b.getOutputs().get(TrainingGraph.LOSS).getDouble(0), 1e-12);
        for (String name : model.params().names()) {
            INDArray ga = a.getGradients().get(name);
            INDArray gb = b.getGradients().get(name);
            assertEquals(0, ga.sub(gb).amaxNumber().doubleValue(), 1e-12, name);
        }
    }

    @Test
    void graphsOfDifferentLengthsShareTheModelsWeights() {
        CaptionModel model = CaptionModel.initialise(CONFIG, 5);
        TrainingGraph full = TrainingGraph.build(model, DataType.FLOAT);
        TrainingGraph shorter = TrainingGraph.build(model, DataType.FLOAT, 4);
        int[][] inputs = {{1, 4, 5, 0, 0, 0, 0}};
        int[][] targets = {{4, 5, 2, 0, 0, 0, 0}};
        double before = loss(shorter, batch(inputs, targets, 4, DataType.FLOAT));
        model.params().get("dec.lstm.U").addi(0.3);                         // an in-place update, as Adam makes
        double afterShort = loss(shorter, batch(inputs, targets, 4, DataType.FLOAT));
        double afterFull = loss(full, batch(inputs, targets, 7, DataType.FLOAT));
        assertNotEquals(before, afterShort, "the short graph sees the update");
        assertEquals(afterFull, afterShort, 1e-5, "and agrees with the full graph");
        assertThrows(IllegalArgumentException.class, () -> TrainingGraph.build(model, DataType.FLOAT, 8));
    }

    private static double loss(TrainingGraph g, Map<String, INDArray> ph) {
        return g.sd().output(ph, TrainingGraph.LOSS).get(TrainingGraph.LOSS).getDouble(0);
    }

    private static Map<String, INDArray> batch(int[][] inputs, int[][] targets, int steps) {
        return batch(inputs, targets, steps, DataType.DOUBLE);
    }

    /** The first {@code steps} columns of the padded captions, with random images and their mask. */
    private static Map<String, INDArray> batch(int[][] inputs, int[][] targets, int steps, DataType type) {
        int b = inputs.length;
        INDArray in = Nd4j.createFromArray(inputs).get(NDArrayIndex.all(), NDArrayIndex.interval(0, steps)).dup();
        INDArray out = Nd4j.createFromArray(targets).get(NDArrayIndex.all(), NDArrayIndex.interval(0, steps)).dup();
        INDArray mask = out.neq(0).castTo(type);
        SplittableRandom rng = new SplittableRandom(3);
        double[] pixels = new double[b * 3 * 8 * 8];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextDouble();
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TrainingGraph.IMAGES, Nd4j.create(pixels, new long[] {b, 3, 8, 8}, 'c').castTo(type));
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.oneCaptionPerImage(b, type));
        ph.put(TrainingGraph.INPUTS, in);
        ph.put(TrainingGraph.TARGETS, out);
        ph.put(TrainingGraph.MASK, mask);
        return ph;
    }
}

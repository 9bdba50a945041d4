package ai.glimpse.model;

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

/** Finite-difference check, in double precision, of every parameter tensor's gradient on a nano model. */
class GradientCheckTest {

    @Test
    void everyParameterGradientMatchesFiniteDifferences() {
        check(ModelConfig.small(8, List.of(2, 3), 1, true, true, 7, 4, 5, 3, 0.0, 0.5, 3));
    }

    @Test
    void withTheWordDetectionLossEveryParameterGradientMatchesFiniteDifferences() {
        ModelConfig c = ModelConfig.small(8, List.of(2, 3), 1, true, false, 7, 4, 5, 3, 0.0, 0.5, 3).withWordLoss(0.7);
        assertTrue(check(c).contains(WordDetector.W), "the detector's weights are checked");
    }

    @Test
    void withCoordinateChannelsEveryParameterGradientMatchesFiniteDifferences() {
        ModelConfig c = ModelConfig.small(8, List.of(2, 3), 1, true, false, 7, 4, 5, 3, 0.0, 0.5, 3).withCoordinates(true);
        assertTrue(check(c).contains(SmallCnnEncoder.COORD_W), "the coordinate channels' weights are checked");
    }

    @Test
    void withCoverageEveryParameterGradientMatchesFiniteDifferences() {
        ModelConfig c = ModelConfig.small(8, List.of(2, 3), 1, true, false, 7, 4, 5, 3, 0.0, 0.5, 3).withCoverage(true);
        assertTrue(check(c).contains(BahdanauAttention.U_COV), "the coverage weights are checked");
    }

    @Test
    void withTheContextLossEveryParameterGradientMatchesFiniteDifferences() {
        ModelConfig c = ModelConfig.small(8, List.of(2, 3), 1, true, false, 7, 4, 5, 3, 0.0, 0.5, 3).withContextLoss(0.8);
        assertTrue(check(c).contains(ContextWordLoss.W), "the context loss's layer is checked");
    }

    /** Checks every parameter of a model of config c; returns the names checked. */
    private static List<String> check(ModelConfig c) {
        CaptionModel model = CaptionModel.initialise(c, 42);
        CaptionModel dbl = new CaptionModel(c, model.params().copy(DataType.DOUBLE));
        TrainingGraph tg = TrainingGraph.build(dbl, DataType.DOUBLE);

        SplittableRandom rng = new SplittableRandom(7);
        int b = 2;
        int t = c.steps();
        double[] img = new double[b * 3 * 8 * 8];
        for (int i = 0; i < img.length; i++) img[i] = rng.nextDouble();
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TrainingGraph.IMAGES, Nd4j.create(img, new long[] {b, 3, 8, 8}, DataType.DOUBLE));
        // three captions of two images: the first image's features feed two captions
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.imageOfCaption(new int[] {0, 1, 0}, b, DataType.DOUBLE));
        ph.put(TrainingGraph.INPUTS, Nd4j.createFromArray(new int[][] {{1, 4, 5, 6}, {1, 6, 0, 0}, {1, 5, 4, 0}}));
        ph.put(TrainingGraph.TARGETS, Nd4j.createFromArray(new int[][] {{4, 5, 6, 2}, {6, 2, 0, 0}, {5, 4, 2, 0}}));
        ph.put(TrainingGraph.MASK, Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0}, {1, 1, 1, 0}}));

        Map<String, INDArray> grads = Backprop.gradients(tg.sd(), ph, tg.parameterNames());
        double eps = 1e-6;
        int checked = 0;
        double worst = 0;
        String worstAt = "";
        for (String name : tg.parameterNames()) {
            INDArray p = tg.sd().getVariable(name).getArr();
            INDArray gArr = grads.get(name);
            assertTrue(gArr != null, "no gradient for " + name);
            long n = p.length();
            for (long k = 0; k < n; k += Math.max(1, n / 12)) {
                double orig = p.getDouble(k);
                p.putScalar(k, orig + eps);
                double up = tg.sd().output(ph, TrainingGraph.LOSS).get(TrainingGraph.LOSS).getDouble(0);
                p.putScalar(k, orig - eps);
                double down = tg.sd().output(ph, TrainingGraph.LOSS).get(TrainingGraph.LOSS).getDouble(0);
                p.putScalar(k, orig);
                double numeric = (up - down) / (2 * eps);
                double analytic = gArr.getDouble(k);
                double rel = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
                double abs = Math.abs(numeric - analytic);
                double err = Math.min(rel, abs * 1e3);
                if (err > worst) { worst = err; worstAt = name + "[" + k + "] numeric " + numeric + " analytic " + analytic; }
                checked++;
            }
        }
        assertTrue(checked > 150, "checked only " + checked + " entries");
        assertTrue(worst < 1e-5, "worst gradient error " + worst + " at " + worstAt);
        return tg.parameterNames();
    }
}

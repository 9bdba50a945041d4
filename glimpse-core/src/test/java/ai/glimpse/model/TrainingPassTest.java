package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoder engine's hand-written forward and backward pass against the SameDiff training graph (whose
 * gradients {@link GradientCheckTest} checks by finite differences) in double precision, against finite
 * differences directly, and its Java float kernels against its ND4J kernels.
 */
class TrainingPassTest {
    private static final ModelConfig PLAIN = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 5, 2, 9, 4, 6, 3, 0.0, 0.7, 3);

    @Test
    void lossAndEveryGradientEqualTheGraphsInDouble() {
        compareWithGraph(PLAIN, false);
    }

    @Test
    void withCoverageLossAndEveryGradientEqualTheGraphsInDouble() {
        compareWithGraph(PLAIN.withCoverage(true), false);
    }

    @Test
    void withTheContextLossAndDropoutLossAndEveryGradientEqualTheGraphsInDouble() {
        ModelConfig c = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 5, 2, 9, 4, 6, 3, 0.4, 0.7, 3).withContextLoss(0.6);
        compareWithGraph(c, true);
    }

    @Test
    void gradientsMatchFiniteDifferencesInDouble() {
        ModelConfig c = PLAIN.withCoverage(true).withContextLoss(0.5);
        CaptionModel model = new CaptionModel(c, CaptionModel.initialise(c, 5).params().copy(DataType.DOUBLE));
        Map<String, INDArray> ph = batch(c, DataType.DOUBLE, false);
        TrainingPass pass = new TrainingPass(model, true);
        Supplier<Double> loss = () -> pass.run(toBatch(ph)).loss();
        TrainingPass.Result r = pass.run(toBatch(ph));
        double eps = 1e-6;
        int checked = 0;
        for (String name : model.params().names()) {
            INDArray p = model.params().get(name);
            INDArray g = r.gradients().get(name);
            for (long k = 0; k < p.length(); k += Math.max(1, p.length() / 7)) {
                double orig = p.getDouble(k);
                p.putScalar(k, orig + eps);
                double up = loss.get();
                p.putScalar(k, orig - eps);
                double down = loss.get();
                p.putScalar(k, orig);
                double numeric = (up - down) / (2 * eps);
                double analytic = g.getDouble(k);
                assertEquals(numeric, analytic, 1e-7 + 1e-5 * Math.abs(numeric), name + "[" + k + "]");
                checked++;
            }
        }
        INDArray f = ph.get(TrainingGraph.FEATURES);
        for (long k = 0; k < f.length(); k += 5) {
            double orig = f.getDouble(k);
            f.putScalar(k, orig + eps);
            double up = loss.get();
            f.putScalar(k, orig - eps);
            double down = loss.get();
            f.putScalar(k, orig);
            assertEquals((up - down) / (2 * eps), r.featureGradient().getDouble(k), 1e-7, "features[" + k + "]");
            checked++;
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    @Test
    void javaKernelsAgreeWithNd4jKernelsInFloat() {
        ModelConfig c = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 16, 3, 30, 8, 12, 10, 0.0, 1.0, 5).withCoverage(true);
        CaptionModel model = CaptionModel.initialise(c, 9);
        Map<String, INDArray> ph = batch(c, DataType.FLOAT, false);
        assertTrue(SoftAttention.javaKernels(DataType.FLOAT), "this backend runs the Java kernels");
        TrainingPass.Result fast = new TrainingPass(model, true).run(toBatch(ph));
        TrainingPass.Result reference;
        System.setProperty("glimpse.kernels", "nd4j");
        try {
            reference = new TrainingPass(model, true).run(toBatch(ph));
        } finally {
            System.clearProperty("glimpse.kernels");
        }
        assertEquals(reference.loss(), fast.loss(), 1e-5);
        for (String name : model.params().names()) {
            assertClose(name, reference.gradients().get(name), fast.gradients().get(name), 1e-4);
        }
        assertClose("features", reference.featureGradient(), fast.featureGradient(), 1e-4);
    }

    private static void compareWithGraph(ModelConfig c, boolean dropout) {
        CaptionModel model = new CaptionModel(c, CaptionModel.initialise(c, 42).params().copy(DataType.DOUBLE));
        Map<String, INDArray> ph = batch(c, DataType.DOUBLE, dropout);
        TrainingGraph graph = TrainingGraph.build(model, DataType.DOUBLE);
        var og = Backprop.outputsAndGradients(graph.sd(), ph,
                java.util.List.of(TrainingGraph.LOSS, TrainingGraph.CROSS_ENTROPY, TrainingGraph.PENALTY, TrainingGraph.CONTEXT_LOSS),
                graph.parameterNames());
        TrainingPass.Result r = new TrainingPass(model, true).run(toBatch(ph));
        assertEquals(og.getOutputs().get(TrainingGraph.CROSS_ENTROPY).getDouble(0), r.crossEntropy(), 1e-12);
        assertEquals(og.getOutputs().get(TrainingGraph.PENALTY).getDouble(0), r.penalty(), 1e-12);
        assertEquals(og.getOutputs().get(TrainingGraph.CONTEXT_LOSS).getDouble(0), r.contextLoss(), 1e-12);
        assertEquals(og.getOutputs().get(TrainingGraph.LOSS).getDouble(0), r.loss(), 1e-12);
        for (String name : graph.parameterNames()) {
            assertClose(name, og.getGradients().get(name), r.gradients().get(name), 1e-9);
        }
    }

    /** Three captions of two images (the first image has two), of different lengths. */
    static Map<String, INDArray> batch(ModelConfig c, DataType type, boolean dropout) {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 2;
        double[] f = new double[n * c.regions() * c.featureDim()];
        for (int i = 0; i < f.length; i++) {
            f[i] = rng.nextDouble();
        }
        int t = c.steps();
        int[][] inputs = new int[3][t];
        int[][] targets = new int[3][t];
        double[][] mask = new double[3][t];
        int[] lengths = {t, t - 2, t - 1};
        for (int b = 0; b < 3; b++) {
            for (int s = 0; s < lengths[b]; s++) {
                inputs[b][s] = s == 0 ? 1 : 3 + rng.nextInt(c.vocabSize() - 3);
                targets[b][s] = s == lengths[b] - 1 ? 2 : 3 + rng.nextInt(c.vocabSize() - 3);
                mask[b][s] = 1;
            }
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TrainingGraph.FEATURES, Nd4j.create(f, new long[] {n, c.regions(), c.featureDim()}, 'c').castTo(type));
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.imageOfCaption(new int[] {0, 1, 0}, n, type));
        ph.put(TrainingGraph.INPUTS, Nd4j.createFromArray(inputs));
        ph.put(TrainingGraph.TARGETS, Nd4j.createFromArray(targets));
        ph.put(TrainingGraph.MASK, Nd4j.createFromArray(mask).castTo(type));
        if (dropout) {
            double[] d = new double[3 * t * c.embedDim()];
            for (int i = 0; i < d.length; i++) {
                d[i] = rng.nextDouble() < c.dropout() ? 0 : 1 / (1 - c.dropout());
            }
            ph.put(TrainingGraph.DROP, Nd4j.create(d, new long[] {3, t, c.embedDim()}, 'c').castTo(type));
        }
        return ph;
    }

    static TrainingPass.Batch toBatch(Map<String, INDArray> ph) {
        return Placeholders.pass(ph);
    }

    private static void assertClose(String what, INDArray want, INDArray got, double tol) {
        assertTrue(java.util.Arrays.equals(want.shape(), got.shape()) || want.length() == got.length(),
                what + ": shape " + java.util.Arrays.toString(want.shape()) + " against " + java.util.Arrays.toString(got.shape()));
        double[] a = want.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] b = got.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], tol * Math.max(1, scale), what + "[" + i + "]");
        }
    }
}

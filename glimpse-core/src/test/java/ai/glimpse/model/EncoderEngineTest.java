package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoder engine's hand-written forward and backward pass of the small CNN and the word detectors'
 * loss: against the SameDiff encoder graph in double (features, every parameter gradient, the word loss),
 * against finite differences in double, float against double (the heap kernels' float copies), and float
 * inside an ND4J workspace against float outside one.
 */
class EncoderEngineTest {
    /** Layer norm, no grid convolution, no softmax, word detectors. */
    private static final ModelConfig NORMED = ModelConfig.small(16, List.of(4, 6), 0, true, false, 9, 5, 6, 4, 0.0, 0.5, 4)
            .withWordLoss(0.7);
    /** Layer norm, a grid convolution, the spatial softmax and the coordinate channels. */
    private static final ModelConfig EVERYTHING = ModelConfig.small(16, List.of(4, 6), 1, true, true, 9, 5, 6, 4, 0.0, 0.5, 4)
            .withCoordinates(true).withWordLoss(1.3);
    /** No layer norm, two grid convolutions, no word loss. */
    private static final ModelConfig PLAIN = ModelConfig.small(16, List.of(4, 6), 2, false, false, 9, 5, 6, 4, 0.0, 0.5, 4);
    /** Three blocks without layer norm, the softmax, the coordinates and word detectors. */
    private static final ModelConfig DEEP = ModelConfig.small(16, List.of(3, 4, 5), 0, false, true, 9, 5, 6, 4, 0.0, 0.5, 4)
            .withCoordinates(true).withWordLoss(0.4);
    private static final List<ModelConfig> CONFIGS = List.of(NORMED, EVERYTHING, PLAIN, DEEP);
    /** Three captions of two images: the first image's features feed two captions. */
    private static final int[] IMAGE_OF = {0, 1, 0};

    @Test
    void featuresEqualTheGraphsInDouble() {
        for (ModelConfig c : CONFIGS) {
            CaptionModel model = model(c, DataType.DOUBLE);
            INDArray images = images(c, 2, DataType.DOUBLE, 3);
            INDArray expected = new EncoderGraph(model, DataType.DOUBLE).features(images);     // [N, L, D]
            INDArray actual = new EncoderEngine(model).forward(images, false).features();
            assertEquals(List.of(2L, (long) c.regions(), (long) c.featureDim()), List.of(actual.size(0), actual.size(1), actual.size(2)));
            assertClose(expected, actual, 1e-10, "features of " + c);
        }
    }

    @Test
    void everyGradientAndTheWordLossEqualTheGraphsInDouble() {
        for (ModelConfig c : CONFIGS) {
            CaptionModel model = model(c, DataType.DOUBLE);
            INDArray images = images(c, 2, DataType.DOUBLE, 3);
            INDArray pulled = random(new SplittableRandom(4), DataType.DOUBLE, 2, c.regions(), c.featureDim()); // G = dL/dfeatures
            INDArray present = present(c, DataType.DOUBLE);
            EncoderGraph graph = new EncoderGraph(model, DataType.DOUBLE);
            Map<String, INDArray> ph = new HashMap<>();
            ph.put(EncoderGraph.IMAGES, images);
            ph.put(EncoderGraph.GRAD_IN, pulled);
            if (graph.hasWordLoss()) {
                ph.put(EncoderGraph.IMAGE_OF_CAPTION, TrainingGraph.imageOfCaption(IMAGE_OF, 2, DataType.DOUBLE));
                ph.put(EncoderGraph.PRESENT, present);
            }
            double[] wordLoss = new double[1];
            Map<String, INDArray> expected = graph.backward(ph, wordLoss);

            Map<String, INDArray> actual = engineGradients(model, images, pulled, present, wordLoss[0]);
            actual.remove("features");
            assertEquals(graph.trainedParameters().size(), actual.size(), "gradients of " + c);
            for (String name : graph.trainedParameters()) {
                assertNotNull(actual.get(name), "no gradient for " + name);
                assertClose(expected.get(name), actual.get(name), 1e-9, name + " of " + c);
            }
        }
    }

    @Test
    void everyGradientMatchesFiniteDifferencesInDouble() {
        ModelConfig everything = ModelConfig.small(8, List.of(2, 3), 1, true, true, 7, 4, 5, 3, 0.0, 0.5, 3)
                .withCoordinates(true).withWordLoss(0.8);
        ModelConfig plain = ModelConfig.small(8, List.of(2, 3), 0, false, false, 7, 4, 5, 3, 0.0, 0.5, 3).withWordLoss(1.0);
        for (ModelConfig c : List.of(everything, plain)) {
            CaptionModel model = model(c, DataType.DOUBLE);
            EncoderEngine engine = new EncoderEngine(model);
            INDArray images = images(c, 2, DataType.DOUBLE, 8);
            INDArray pulled = random(new SplittableRandom(9), DataType.DOUBLE, 2, c.regions(), c.featureDim());
            INDArray present = present(c, DataType.DOUBLE);
            Map<String, INDArray> grads = engineGradients(model, images, pulled, present, Double.NaN);
            double eps = 1e-6;
            int checked = 0;
            for (String name : model.params().names()) {
                if (!name.startsWith("enc.") && !name.startsWith("aux.words.")) {
                    continue;
                }
                INDArray p = model.params().get(name);
                INDArray g = grads.get(name);
                assertNotNull(g, "no gradient for " + name);
                for (long k = 0; k < p.length(); k += Math.max(1, p.length() / 10)) {
                    double orig = p.getDouble(k);
                    p.putScalar(k, orig + eps);
                    double up = loss(engine, model, images, pulled, present);
                    p.putScalar(k, orig - eps);
                    double down = loss(engine, model, images, pulled, present);
                    p.putScalar(k, orig);
                    double numeric = (up - down) / (2 * eps);
                    double analytic = g.getDouble(k);
                    double err = Math.abs(numeric - analytic) / Math.max(1e-6, Math.abs(numeric) + Math.abs(analytic));
                    assertTrue(err < 1e-5 || Math.abs(numeric - analytic) < 1e-8,
                            name + "[" + k + "] numeric " + numeric + " analytic " + analytic + " in " + c);
                    checked++;
                }
            }
            assertTrue(checked > 40, "checked only " + checked + " entries");
        }
    }

    @Test
    void floatKernelsEqualDoubleKernels() {
        for (ModelConfig c : CONFIGS) {
            CaptionModel single = model(c, DataType.FLOAT);
            CaptionModel dbl = new CaptionModel(c, single.params().copy(DataType.DOUBLE));
            INDArray images = images(c, 3, DataType.DOUBLE, 5);
            INDArray pulled = random(new SplittableRandom(6), DataType.DOUBLE, 3, c.regions(), c.featureDim());
            int[] imageOf = {0, 2, 1, 2};
            INDArray present = present(c, 4, DataType.DOUBLE);
            Map<String, INDArray> expected = engineGradients(dbl, images, pulled, present, imageOf);
            Map<String, INDArray> actual = engineGradients(single, images.castTo(DataType.FLOAT), pulled.castTo(DataType.FLOAT),
                    present.castTo(DataType.FLOAT), imageOf);
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                assertEquals(DataType.FLOAT, actual.get(name).dataType(), name);
                assertClose(expected.get(name), actual.get(name).castTo(DataType.DOUBLE), 2e-4, name + " in float, " + c);
            }
        }
    }

    @Test
    void floatResultsInsideAWorkspaceEqualThoseOutside() {
        for (ModelConfig c : List.of(EVERYTHING, NORMED)) {
            CaptionModel model = model(c, DataType.FLOAT);
            INDArray images = images(c, 3, DataType.FLOAT, 7);
            INDArray pulled = random(new SplittableRandom(8), DataType.FLOAT, 3, c.regions(), c.featureDim());
            int[] imageOf = {2, 0, 1, 0, 2};
            INDArray present = present(c, 5, DataType.FLOAT);
            Map<String, INDArray> outside = engineGradients(model, images, pulled, present, imageOf);
            for (int step = 0; step < 3; step++) {                         // the workspace learns its size, then reuses it
                try (MemoryWorkspace ws = Workspace.open("encoder-engine-test")) {
                    Map<String, INDArray> inside = engineGradients(model, images, pulled, present, imageOf);
                    assertEquals(outside.keySet(), inside.keySet());
                    for (String name : outside.keySet()) {
                        assertClose(outside.get(name), inside.get(name), 1e-6, name + " inside a workspace, step " + step);
                    }
                }
            }
        }
    }

    /**
     * The inference pass reuses its arrays from call to call (growing, then serving smaller batches from
     * their start): every call must equal a kept pass of a fresh engine bit for bit, and features it
     * returned earlier must not change.
     */
    @Test
    void theInferencePassReusingItsArraysEqualsAKeptPassExactly() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (ModelConfig c : CONFIGS) {
                CaptionModel model = model(c, type);
                EncoderEngine reused = new EncoderEngine(model);
                INDArray first = null;
                INDArray firstCopy = null;
                int seed = 10;
                for (int n : new int[] {3, 1, 4, 2}) {
                    INDArray images = images(c, n, type, seed++);
                    INDArray expected = new EncoderEngine(model).forward(images, true).features();
                    INDArray actual = reused.forward(images, false).features();
                    assertArrayEquals(expected.reshape(-1).toDoubleVector(), actual.reshape(-1).toDoubleVector(),
                            n + " images of " + c + " in " + type);
                    if (first == null) {
                        first = actual;
                        firstCopy = actual.dup();
                    }
                }
                assertArrayEquals(firstCopy.reshape(-1).toDoubleVector(), first.reshape(-1).toDoubleVector(),
                        "features returned earlier changed, " + c + " in " + type);
            }
        }
    }

    @Test
    void badInputIsRefused() {
        CaptionModel model = model(NORMED, DataType.DOUBLE);
        EncoderEngine engine = new EncoderEngine(model);
        assertThrows(IllegalArgumentException.class, () -> engine.forward(Nd4j.zeros(DataType.DOUBLE, 2, 3, 8, 8), true));
        assertThrows(IllegalArgumentException.class, () -> engine.forward(Nd4j.zeros(DataType.FLOAT, 2, 3, 16, 16), true));
        EncoderEngine.Pass pass = engine.forward(images(NORMED, 2, DataType.DOUBLE, 1), false);
        assertThrows(IllegalStateException.class, () -> engine.backward(pass, pass.features()));
        assertThrows(IllegalArgumentException.class, () -> WordDetector.lossAndGradients(model, pass.features(), new int[] {0, 2},
                present(NORMED, 2, DataType.DOUBLE), 1.0));
        assertThrows(IllegalArgumentException.class, () -> WordDetector.lossAndGradients(model, pass.features(), new int[] {0, 1},
                present(NORMED, 3, DataType.DOUBLE), 1.0));
        ModelConfig frozen = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 5, 2, 9, 4, 6, 3, 0.0, 0.7, 3);
        assertThrows(IllegalArgumentException.class, () -> new EncoderEngine(CaptionModel.initialise(frozen, 1)));
    }

    /** Encoder and detector gradients of sum(features * pulled) + weight * word loss; checks the word loss against {@code graphWordLoss} unless NaN. */
    private static Map<String, INDArray> engineGradients(CaptionModel model, INDArray images, INDArray pulled, INDArray present,
            double graphWordLoss) {
        Map<String, INDArray> grads = engineGradients(model, images, pulled, present, IMAGE_OF);
        if (model.config().wordLoss() > 0 && !Double.isNaN(graphWordLoss)) {
            EncoderEngine.Pass pass = new EncoderEngine(model).forward(images, false);
            double words = WordDetector.lossAndGradients(model, pass.features(), IMAGE_OF, present, 1.0).loss();
            assertEquals(graphWordLoss, model.config().wordLoss() * words, 1e-10, "word loss");
        }
        return grads;
    }

    private static Map<String, INDArray> engineGradients(CaptionModel model, INDArray images, INDArray pulled, INDArray present,
            int[] imageOf) {
        ModelConfig c = model.config();
        EncoderEngine engine = new EncoderEngine(model);
        EncoderEngine.Pass pass = engine.forward(images, true);
        INDArray dFeatures = pulled.dup();                                 // [N, L, D]
        Map<String, INDArray> grads = new HashMap<>();
        if (c.wordLoss() > 0) {
            WordDetector.Detection words = WordDetector.lossAndGradients(model, pass.features(), imageOf, present, c.wordLoss());
            dFeatures.addi(words.dFeatures());
            grads.put(WordDetector.W, words.dW());
            grads.put(WordDetector.B, words.dB());
        }
        grads.putAll(engine.backward(pass, dFeatures));
        grads.put("features", pass.features());
        return grads;
    }

    /** sum(features * pulled) + weight * word loss, by the engine's forward pass. */
    private static double loss(EncoderEngine engine, CaptionModel model, INDArray images, INDArray pulled, INDArray present) {
        INDArray features = engine.forward(images, false).features();
        double loss = features.mul(pulled).sumNumber().doubleValue();
        if (model.config().wordLoss() > 0) {
            loss += model.config().wordLoss() * WordDetector.lossAndGradients(model, features, IMAGE_OF, present, 1.0).loss();
        }
        return loss;
    }

    /** A model of config c with every encoder parameter drawn at random (biases and norm shifts included), in the given type. */
    private static CaptionModel model(ModelConfig c, DataType type) {
        CaptionModel model = CaptionModel.initialise(c, 42);
        SplittableRandom rng = new SplittableRandom(17);
        for (String name : model.params().names()) {
            INDArray p = model.params().get(name);
            if (name.endsWith(".gain")) {
                p.assign(random(rng, DataType.FLOAT, p.shape()).muli(0.6).addi(0.7));    // [0.7, 1.3)
            } else if (name.endsWith(".b") || name.endsWith(".shift")) {
                p.assign(random(rng, DataType.FLOAT, p.shape()).subi(0.5).muli(0.4));    // [-0.2, 0.2)
            }
        }
        return new CaptionModel(c, model.params().copy(type));
    }

    private static INDArray images(ModelConfig c, int n, DataType type, long seed) {
        return random(new SplittableRandom(seed), type, n, 3, c.imageSize(), c.imageSize());
    }

    private static INDArray present(ModelConfig c, DataType type) {
        return present(c, IMAGE_OF.length, type);
    }

    /** [B, K]: about a third of the words present in each caption. */
    private static INDArray present(ModelConfig c, int captions, DataType type) {
        SplittableRandom rng = new SplittableRandom(31);
        double[][] y = new double[captions][c.vocabSize()];
        for (double[] row : y) {
            for (int k = 0; k < row.length; k++) {
                row[k] = rng.nextDouble() < 0.35 ? 1 : 0;
            }
        }
        return Nd4j.createFromArray(y).castTo(type);
    }

    /** Uniform [0, 1) values from rng. */
    private static INDArray random(SplittableRandom rng, DataType type, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(type);
    }

    /** max |expected - actual| <= tol * max(1, max |expected|). */
    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(List.of(expected.shape().length), List.of(actual.shape().length), what + ": rank");
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()),
                what + ": shape " + java.util.Arrays.toString(actual.shape()) + " expected " + java.util.Arrays.toString(expected.shape()));
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double scale = Math.max(1, e.amaxNumber().doubleValue());
        double diff = e.sub(a).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + ": max difference " + diff + " (scale " + scale + ")");
    }
}

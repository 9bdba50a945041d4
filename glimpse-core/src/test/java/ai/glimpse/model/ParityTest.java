package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Glimpse agrees with an independent float64 PyTorch implementation of Show, Attend and Tell
 * ({@code scripts/parity_reference.py}) on committed fixtures, in float32: the decoder engine that trains
 * and decodes (the training step's loss terms; the inference step fed the same words: log-probabilities
 * and attention weights at every step), and the SameDiff graph the engine is tested against (logits,
 * attention weights, loss terms). The {@code small} case runs the CNN encoder and the decoder;
 * {@code features} the decoder alone.
 */
class ParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"small", "features"})
    void trainingGraphMatchesPyTorch(String name) throws Exception {
        ModelBundle bundle = ModelBundle.load(resource(name + "-model.zip"));
        Map<String, INDArray> batch = ParityFixtures.readNpz(resource(name + "-batch.npz"));
        JsonNode expected = JSON.readTree(resource(name + "-expected.json").toFile());
        ModelConfig c = bundle.config();
        assertEquals(0.0, c.dropout(), "parity needs a deterministic graph");
        assertEquals(name.equals("small"), bundle.model().takesImages());

        int b = ParityFixtures.BATCH;
        int t = c.steps();
        Map<String, INDArray> ph = new HashMap<>();
        String input = bundle.model().takesImages() ? TrainingGraph.IMAGES : TrainingGraph.FEATURES;
        ph.put(input, batch.get(input));
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.oneCaptionPerImage(b, DataType.FLOAT));
        ph.put(TrainingGraph.INPUTS, batch.get(TrainingGraph.INPUTS).castTo(DataType.INT32));   // [B, T]
        ph.put(TrainingGraph.TARGETS, batch.get(TrainingGraph.TARGETS).castTo(DataType.INT32)); // [B, T]
        ph.put(TrainingGraph.MASK, batch.get(TrainingGraph.MASK));                              // [B, T]
        assertArrayEquals(new float[] {t, 5, 2}, batch.get(TrainingGraph.MASK).sum(1).toFloatVector(),
                "the batch's captions have different lengths, so the mask matters");

        TrainingGraph tg = TrainingGraph.build(bundle.model(), DataType.FLOAT);
        Map<String, INDArray> out = tg.sd().output(ph, TrainingGraph.LOGITS, TrainingGraph.ALPHAS,
                TrainingGraph.CROSS_ENTROPY, TrainingGraph.PENALTY, TrainingGraph.LOSS);

        INDArray logits = out.get(TrainingGraph.LOGITS).reshape(b, t, c.vocabSize());             // [B, T, K]
        INDArray alphas = out.get(TrainingGraph.ALPHAS);                                          // [B, T, L]
        assertClose("logits", expected.get("logits"), logits);
        assertClose("alphas", expected.get("alphas"), alphas);
        assertTrue(alphas.maxNumber().doubleValue() > 1.5 / c.regions(),
                "attention is far enough from uniform for region order to matter");
        for (String term : List.of(TrainingGraph.CROSS_ENTROPY, TrainingGraph.PENALTY, TrainingGraph.LOSS)) {
            double want = expected.get(term).asDouble();
            double got = out.get(term).getDouble(0);
            assertEquals(want, got, TOLERANCE, term + ": PyTorch " + want + ", Glimpse " + got);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "features"})
    void engineMatchesPyTorch(String name) throws Exception {
        ModelBundle bundle = ModelBundle.load(resource(name + "-model.zip"));
        Map<String, INDArray> batch = ParityFixtures.readNpz(resource(name + "-batch.npz"));
        JsonNode expected = JSON.readTree(resource(name + "-expected.json").toFile());
        ModelConfig c = bundle.config();
        int b = ParityFixtures.BATCH;
        int t = c.steps();
        String input = bundle.model().takesImages() ? TrainingGraph.IMAGES : TrainingGraph.FEATURES;
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(input, batch.get(input));
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.oneCaptionPerImage(b, DataType.FLOAT));
        ph.put(TrainingGraph.INPUTS, batch.get(TrainingGraph.INPUTS).castTo(DataType.INT32));   // [B, T]
        ph.put(TrainingGraph.TARGETS, batch.get(TrainingGraph.TARGETS).castTo(DataType.INT32)); // [B, T]
        ph.put(TrainingGraph.MASK, batch.get(TrainingGraph.MASK));                              // [B, T]

        TrainingStep.Result r = new TrainingStep(bundle.model()).run(Placeholders.step(ph));
        assertEquals(expected.get(TrainingGraph.CROSS_ENTROPY).asDouble(), r.crossEntropy(), TOLERANCE, "cross-entropy");
        assertEquals(expected.get(TrainingGraph.PENALTY).asDouble(), r.penalty(), TOLERANCE, "penalty");
        assertEquals(expected.get(TrainingGraph.LOSS).asDouble(), r.loss(), TOLERANCE, "loss");

        Inference inference = new Inference(bundle.model());
        Inference.Encoded enc = inference.encode(batch.get(input));
        int[] rows = new int[b];
        for (int i = 0; i < b; i++) {
            rows[i] = i;
        }
        Inference.Session session = inference.start(enc, rows);
        Inference.State state = enc.state();
        int[][] inputs = ph.get(TrainingGraph.INPUTS).toIntMatrix();
        INDArray logProbs = org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, b, t, c.vocabSize());
        INDArray alphas = org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, b, t, c.regions());
        for (int s = 0; s < t; s++) {
            int[] prev = new int[b];
            for (int i = 0; i < b; i++) {
                prev[i] = inputs[i][s];
            }
            Inference.StepResult step = session.step(state, prev);
            logProbs.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(s))
                    .assign(org.nd4j.linalg.factory.Nd4j.createFromArray(step.logProbs()));
            alphas.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(s))
                    .assign(org.nd4j.linalg.factory.Nd4j.createFromArray(step.alpha()));
            state = step.state();
        }
        assertClose("log-probabilities", logSoftmax(expected.get("logits")), logProbs);
        assertClose("alphas", expected.get("alphas"), alphas);
    }

    /** The log softmax over the last axis of a nested JSON array of logits, as nested JSON. */
    private static JsonNode logSoftmax(JsonNode logits) {
        if (!logits.get(0).isArray()) {
            double max = Double.NEGATIVE_INFINITY;
            for (JsonNode v : logits) {
                max = Math.max(max, v.asDouble());
            }
            double sum = 0;
            for (JsonNode v : logits) {
                sum += Math.exp(v.asDouble() - max);
            }
            double lse = max + Math.log(sum);
            com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
            logits.forEach(v -> out.add(v.asDouble() - lse));
            return out;
        }
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        logits.forEach(row -> out.add(logSoftmax(row)));
        return out;
    }

    /** Every element of {@code actual} within the tolerance of the nested JSON array, same shape. */
    private static void assertClose(String what, JsonNode expected, INDArray actual) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = expected; n.isArray(); n = n.get(0)) {
            shape.add((long) n.size());
        }
        assertArrayEquals(shape.stream().mapToLong(Long::longValue).toArray(), actual.shape(), what + " shape");
        List<Double> flat = new ArrayList<>();
        flatten(expected, flat);
        double[] got = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double worst = 0;
        int at = 0;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs(got[i] - flat.get(i));
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": max |Glimpse - PyTorch| = " + worst + " at flat index " + at
                + " (PyTorch " + flat.get(at) + ", Glimpse " + got[at] + ")");
    }

    private static void flatten(JsonNode node, List<Double> into) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, into));
        } else {
            into.add(node.asDouble());
        }
    }

    private static Path resource(String file) throws Exception {
        return Path.of(ParityTest.class.getResource("parity/" + file).toURI());
    }
}

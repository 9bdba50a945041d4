package ai.glimpse.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.TrainingGraph;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Greedy decoding (the inference graph, one step at a time) agrees with the teacher-forced training
 * graph fed the greedy caption: same argmax words, same log-probability, same attention weights.
 * This holds only because both run the one step function.
 */
class GreedyConsistencyTest {

    @ParameterizedTest(name = "coverage {0}")
    @ValueSource(booleans = {false, true})
    void greedyCaptionIsTheTrainingGraphsArgmax(boolean coverage) {
        ModelConfig c = ModelConfig.small(16, List.of(4, 6), 9, 8, 10, 6, 0.0, 1.0, 6).withCoverage(coverage);
        CaptionModel model = CaptionModel.initialise(c, 5);
        if (coverage) {
            model.params().get("att.u").muli(20);                         // the running sum moves the attention visibly
        }
        SplittableRandom rng = new SplittableRandom(9);
        int n = 3;
        float[] px = new float[n * 3 * 16 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rng.nextDouble();
        }
        INDArray images = Nd4j.create(px, new long[] {n, 3, 16, 16}, 'c');
        List<Caption> caps = new Captioner(model, id -> "w" + id, c.maxLength()).caption(images, new SearchStrategy.Greedy());

        int t = c.steps();
        int[][] inputs = new int[n][t];
        int[][] targets = new int[n][t];
        float[][] mask = new float[n][t];
        for (int i = 0; i < n; i++) {
            inputs[i][0] = Captioner.START;
            List<String> w = caps.get(i).words();
            for (int k = 0; k < caps.get(i).alphas().length; k++) {
                int id = k < w.size() ? Integer.parseInt(w.get(k).substring(1)) : Captioner.END;
                targets[i][k] = id;
                mask[i][k] = 1;
                if (k + 1 < t) {
                    inputs[i][k + 1] = id;
                }
            }
        }
        TrainingGraph tg = TrainingGraph.build(model, DataType.FLOAT);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TrainingGraph.IMAGES, images);
        ph.put(TrainingGraph.IMAGE_OF_CAPTION, TrainingGraph.oneCaptionPerImage(n, DataType.FLOAT));
        ph.put(TrainingGraph.INPUTS, Nd4j.createFromArray(inputs));
        ph.put(TrainingGraph.TARGETS, Nd4j.createFromArray(targets));
        ph.put(TrainingGraph.MASK, Nd4j.createFromArray(mask));
        Map<String, INDArray> out = tg.sd().output(ph, TrainingGraph.LOGITS, TrainingGraph.ALPHAS);
        INDArray logits = out.get(TrainingGraph.LOGITS).reshape(n, t, c.vocabSize());
        INDArray alphas = out.get(TrainingGraph.ALPHAS);                  // [n, T, L]
        int checked = 0;
        for (int i = 0; i < n; i++) {
            Caption cap = caps.get(i);
            double logProb = 0;
            for (int k = 0; k < cap.alphas().length; k++) {
                float[] row = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(k),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector();
                assertEquals(targets[i][k], Captioner.argMax(row), "image " + i + " step " + k);
                double max = Double.NEGATIVE_INFINITY;
                for (float v : row) {
                    max = Math.max(max, v);
                }
                double z = 0;
                for (float v : row) {
                    z += Math.exp(v - max);
                }
                logProb += row[targets[i][k]] - max - Math.log(z);
                for (int l = 0; l < c.regions(); l++) {
                    assertEquals(alphas.getFloat(i, k, l), cap.alphas()[k][l], 1e-5f);
                }
                checked++;
            }
            assertEquals(logProb, cap.logProb(), 1e-4);
        }
        assertTrue(checked >= n, "at least one step per image");
    }
}

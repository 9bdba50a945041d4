package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The coverage input of attention: a running sum of alphas that the next step's attention reads. */
class CoverageTest {
    private static final ModelConfig CONFIG = ModelConfig.small(16, List.of(4, 6), 9, 8, 10, 6, 0.0, 1.0, 6);

    @Test
    void theStateSumsEveryStepsAlphaAndTheAttentionReadsIt() {
        CaptionModel model = CaptionModel.initialise(CONFIG.withCoverage(true), 4);
        model.params().get(BahdanauAttention.U_COV).muli(10);
        Inference graph = new Inference(model);
        Inference.Encoded enc = graph.encode(images(2));
        Inference.Session session = graph.start(enc, new int[] {0, 1});
        int l = CONFIG.regions();
        assertArrayEquals(new float[2 * l], enc.state().coverage(), "nothing attended before the first step");
        Inference.StepResult first = session.step(enc.state(), new int[] {1, 1});
        assertArrayEquals(flat(first.alpha()), first.state().coverage(), 1e-6f, "after one step the coverage is its alpha");
        Inference.StepResult second = session.step(first.state(), new int[] {5, 6});
        float[] sum = flat(first.alpha());
        float[] next = flat(second.alpha());
        for (int k = 0; k < sum.length; k++) {
            sum[k] += next[k];
        }
        assertArrayEquals(sum, second.state().coverage(), 1e-6f, "a running sum");
        double rowSum = 0;
        for (int k = 0; k < l; k++) {
            rowSum += second.state().coverage()[k];
        }
        assertEquals(2.0, rowSum, 1e-5, "each step adds weights summing to 1");

        Inference.State forgotten = new Inference.State(2, first.state().h(), first.state().c(), enc.state().coverage());
        float[] without = flat(session.step(forgotten, new int[] {5, 6}).alpha());
        double moved = 0;
        for (int k = 0; k < without.length; k++) {
            moved = Math.max(moved, Math.abs(without[k] - next[k]));
        }
        assertTrue(moved > 1e-3, "the same step with the coverage zeroed attends elsewhere: " + moved);
    }

    @Test
    void withoutCoverageTheStateHasNone() {
        Inference graph = new Inference(CaptionModel.initialise(CONFIG, 4));
        Inference.Encoded enc = graph.encode(images(1));
        assertNull(enc.state().coverage());
        assertNull(graph.start(enc, new int[] {0}).step(enc.state(), new int[] {1}).state().coverage());
        assertTrue(!CaptionModel.initialise(CONFIG, 4).params().names().contains(BahdanauAttention.U_COV));
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[0].length, rows[0].length);
        }
        return out;
    }

    private static INDArray images(int n) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] px = new float[n * 3 * 16 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rng.nextDouble();
        }
        return Nd4j.create(px, new long[] {n, 3, 16, 16}, 'c');
    }
}

package ai.glimpse.model;

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
        assertEquals(0.0, enc.state().coverage().sumNumber().doubleValue(), "nothing attended before the first step");
        Inference.StepResult first = session.step(enc.state(), new int[] {1, 1});
        assertTrue(first.state().coverage().equalsWithEps(first.alpha(), 1e-6), "after one step the coverage is its alpha");
        Inference.StepResult second = session.step(first.state(), new int[] {5, 6});
        assertTrue(second.state().coverage().equalsWithEps(first.alpha().add(second.alpha()), 1e-6), "a running sum");
        assertEquals(2.0, second.state().coverage().sum(1).getDouble(0), 1e-5, "each step adds weights summing to 1");

        Inference.State forgotten = new Inference.State(first.state().h(), first.state().c(), enc.state().coverage());
        INDArray without = session.step(forgotten, new int[] {5, 6}).alpha();
        double moved = Math.abs(without.sub(second.alpha()).maxNumber().doubleValue())
                + Math.abs(without.sub(second.alpha()).minNumber().doubleValue());
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

    private static INDArray images(int n) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] px = new float[n * 3 * 16 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rng.nextDouble();
        }
        return Nd4j.create(px, new long[] {n, 3, 16, 16}, 'c');
    }
}

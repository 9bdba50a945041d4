package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.TrainConfig;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose numbers stop being finite stops, before the step that would spread them is applied and
 * before anything non-finite is saved: the last checkpoint keeps finite weights.
 */
class DivergenceTest {
    @TempDir
    Path dir;
    TinyTrainingSet tiny;
    ModelConfig mc;
    CaptionModel model;

    @BeforeEach
    void data() throws Exception {
        tiny = TinyTrainingSet.write(dir);
        mc = ModelConfig.small(16, List.of(4, 6), tiny.vocab().size(), 8, 8, 6, 0.0, 1.0, 6);
    }

    private Trainer.Diverged diverge(double lr, Path checkpoint, TrainingListener... more) {
        TrainConfig tc = new TrainConfig(50, 4, lr, 0, 5, 5.0, 0.5, 2, 4, 0, 1, 0, 0);   // a checkpoint every step
        CaptionModel model = CaptionModel.initialise(mc, 3);
        List<TrainingListener> listeners = new java.util.ArrayList<>(List.of(more));
        listeners.add(new CheckpointListener(new ModelBundle(model, tiny.vocab(), TinyTrainingSet.IMAGES), tc, checkpoint, null));
        this.model = model;
        Trainer trainer = new Trainer(tc, model, new Batches(tiny.set(), mc, 4, 5), null, listeners);
        return assertThrows(Trainer.Diverged.class, () -> trainer.run(TrainerState.start(lr), new Adam(model.params())));
    }

    @Test
    void aLearningRateFarTooHighStopsWithTheLastFiniteCheckpointKept() {
        Path checkpoint = dir.resolve("a.checkpoint.zip");
        Trainer.Diverged e = diverge(1e6, checkpoint);
        assertTrue(e.getMessage().matches("training diverged at step \\d+: the (loss|gradient norm) is (NaN|-?Infinity)"),
                e.getMessage());
        long taken = e.state().step();
        assertEquals(Long.parseLong(e.getMessage().replaceAll(".*at step (\\d+):.*", "$1")), taken + 1);
        assertTrue(taken >= 1 && taken < 150, "within the 50 epochs of 3 steps: " + taken);
        assertEquals(taken, e.lastCheckpoint().step(), "a checkpoint every step: the last finite one is the last step taken");
        Checkpoint saved = Checkpoint.load(checkpoint);                    // a bundle holding NaN would be refused here
        assertEquals(taken, saved.state().step());
        assertEquals(taken, saved.adam().step(), "the refused update did not advance Adam either");
    }

    @Test
    void weightsThatStopBeingFiniteAreNotSaved() {
        // An update can overflow a weight while the loss and gradient norm it came from were finite: here a
        // listener plays that update after step 1, before its checkpoint.
        Path checkpoint = dir.resolve("b.checkpoint.zip");
        TrainingListener overflow = new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                model.params().get("dec.out.Lo").putScalar(7, Float.POSITIVE_INFINITY);
            }
        };
        Trainer.Diverged e = diverge(1e-3, checkpoint, overflow);
        assertEquals("training diverged: after step 1 parameter dec.out.Lo holds NaN or an infinity", e.getMessage());
        assertNull(e.lastCheckpoint());
        assertFalse(Files.exists(checkpoint), "nothing saved");
    }
}

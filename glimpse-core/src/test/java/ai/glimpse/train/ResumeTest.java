package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.TrainConfig;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.ModelBundle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** N steps, checkpoint, resume, M steps gives the same weights as N + M steps straight. */
class ResumeTest {
    @TempDir
    Path dir;
    Vocabulary vocab;

    @Test
    void resumedRunEqualsStraightRun() throws Exception {
        TrainingSet data = tinySet();
        ModelConfig mc = ModelConfig.small(16, List.of(4, 6), vocab.size(), 8, 8, 6, 0.3, 1.0, 6);
        TrainConfig straightCfg = new TrainConfig(3, 4, 1e-2, 7, 5, 5.0, 0.5, 2, 4, 0, 100, 0, 0);
        ImageOptions pre = new ImageOptions(16, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS);

        CaptionModel straight = CaptionModel.initialise(mc, 11);
        Trainer t1 = new Trainer(straightCfg, straight, new Batches(data, mc, 4, 5), null, List.of());
        TrainerState s1 = t1.run(TrainerState.start(1e-2), new Adam(straight.params()));
        assertEquals(7, s1.step());

        CaptionModel first = CaptionModel.initialise(mc, 11);
        TrainConfig firstCfg = new TrainConfig(3, 4, 1e-2, 4, 5, 5.0, 0.5, 2, 4, 0, 100, 0, 0);
        Path ckpt = dir.resolve("run.checkpoint.zip");
        ModelBundle bundle = new ModelBundle(first, vocab, pre);
        new Trainer(firstCfg, first, new Batches(data, mc, 4, 5), null,
                List.of(new CheckpointListener(bundle, firstCfg, ckpt, null)))
                .run(TrainerState.start(1e-2), new Adam(first.params()));

        Checkpoint loaded = Checkpoint.load(ckpt);
        assertEquals(4, loaded.state().step());
        CaptionModel resumed = loaded.bundle().model();
        TrainerState s2 = new Trainer(straightCfg, resumed, new Batches(data, mc, 4, 5), null, List.of())
                .run(loaded.state(), loaded.adam());
        assertEquals(7, s2.step());
        for (String name : straight.params().names()) {
            assertArrayEquals(straight.params().get(name).data().asFloat(), resumed.params().get(name).data().asFloat(),
                    1e-6f, name);
        }
        // and training did move the weights
        CaptionModel init = CaptionModel.initialise(mc, 11);
        assertNotEquals(init.params().get("dec.out.Lo").getFloat(0), straight.params().get("dec.out.Lo").getFloat(0));
    }

    private TrainingSet tinySet() throws Exception {
        TinyTrainingSet tiny = TinyTrainingSet.write(dir);
        vocab = tiny.vocab();
        return tiny.set();
    }
}

package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.Provenance;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** glimpse info: what a model file is and where it came from. */
class InfoCommandTest {
    @TempDir
    Path dir;

    @Test
    void describesTheShippedModels() {
        TinyDataset.Run r = TinyDataset.run(List.of("info", ai.glimpse.Repo.file("pretrained/glimpse-shapes.zip").toString()));
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("encoder     small CNN trained with the decoder: 4 blocks of 16, 32, 64, 128 channels"), out);
        assertTrue(out.contains("extras      word-detection loss 1"), out);
        assertTrue(out.contains("parameters  811,257 in"), out);
        assertTrue(out.contains("trained     by Glimpse "), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("command     glimpse train ") && l.contains("--attention-boxes")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("backend     ND4J ")), out);

        TinyDataset.Run snow = TinyDataset.run(List.of("info", ai.glimpse.Repo.file("pretrained/glimpse-snow.zip").toString()));
        assertEquals(0, snow.code(), snow.err());
        assertTrue(snow.out().contains("trained     not recorded"), snow.out());
    }

    @Test
    void showsTheRecordedProvenance() throws Exception {
        Vocabulary vocab = Vocabulary.build(List.of(List.of("a", "red", "square")), 1);
        ModelConfig c = ModelConfig.small(16, List.of(4, 6), vocab.size(), 8, 8, 6, 0.2, 1.0, 5);
        Path captions = Files.writeString(dir.resolve("captions.json"), "{}");
        Provenance p = Provenance.start("9.9.9", "2026-12-02T10:15:00Z", List.of("train", "--captions", captions.toString()),
                "ND4J CPU backend (test)", List.of(TrainProvenance.file("captions", captions),
                        new Provenance.DataFile("images", "imgs", null, null)));
        Path file = dir.resolve("m.zip");
        new ModelBundle(CaptionModel.initialise(c, 1), vocab, new ImageOptions(16, ResizePolicy.SQUARE, false,
                ImageOptions.DEFAULT_MAX_PIXELS)).withProvenance(p).withTraining(120, 3, Map.of("CIDEr", 1.25)).save(file);
        TinyDataset.Run r = TinyDataset.run(List.of("info", file.toString()));
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("trained     by Glimpse 9.9.9 on 2026-12-02T10:15:00Z; 120 steps (3 epochs)"), out);
        assertTrue(out.contains("command     glimpse train --captions " + captions), out);
        // SHA-256 of "{}"
        assertTrue(out.contains("data        captions " + captions + " (0.0 KB, sha256 "
                + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a)"), out);
        assertTrue(out.contains("            images imgs"), out);
        assertTrue(out.contains("validation  CIDEr 1.2500"), out);
        assertTrue(out.contains("trained on  ND4J CPU backend (test)"), out);
    }
}

package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, then caption and evaluate with the model it wrote, through the command line. */
class PipelineTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainNanoModel() throws Exception {
        Path captions = TinyDataset.write(dir);
        model = dir.resolve("model.zip");
        List<String> args = TinyDataset.trainArgs(dir, captions);
        args.addAll(List.of("--model", model.toString()));
        TinyDataset.Run r = TinyDataset.run(args);
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void captionsImagesAndFoldersAndWritesResults() throws Exception {
        Path json = dir.resolve("results.json");
        TinyDataset.Run r = TinyDataset.run(List.of("caption", "--model", model.toString(), "--beam", "1",
                "--json", json.toString(), "--attention", dir.resolve("images").toString()));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith(dir.resolve("images/im0.png") + "\t"), lines.get(0));
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertEquals(8, results.size());
        assertEquals("im0.png", results.get(0).get("image_id").asText(), "a file name without a dataset number");
        JsonNode first = results.get(0);
        assertEquals(first.get("words").size() + (first.get("finished").asBoolean() ? 1 : 0), first.get("alphas").size());
        assertEquals(4, first.get("grid_size").asInt(), "16 px halved twice: a 4 x 4 grid");
        assertEquals(16, first.get("alphas").get(0).size(), "one weight per region");
    }

    @Test
    void theModelRecordsWhereItCameFrom() throws Exception {
        ai.glimpse.config.Provenance p = ai.glimpse.model.ModelBundle.load(model).provenance();
        org.junit.jupiter.api.Assertions.assertNotNull(p, "train records provenance");
        assertEquals("captions", p.data().get(0).role());
        assertEquals(dir.resolve("dataset.json").toString(), p.data().get(0).path());
        assertEquals(Files.size(dir.resolve("dataset.json")), p.data().get(0).bytes());
        assertTrue(p.data().get(0).sha256().matches("[0-9a-f]{64}"));
        assertEquals("images", p.data().get(1).role());
        assertEquals("train", p.command().get(0));
        assertTrue(p.created().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), p.created());
    }

    @Test
    void imageIdsComeFromDatasetFileNames() {
        assertEquals(391895L, CaptionCommand.imageId(Path.of("x/COCO_val2014_000000391895.jpg")));
        assertEquals(42L, CaptionCommand.imageId(Path.of("synth_000042.png")));
        assertEquals(7L, CaptionCommand.imageId(Path.of("007.jpg")));
        assertEquals("IMG_0001.jpg", CaptionCommand.imageId(Path.of("a/IMG_0001.jpg")));
        ai.glimpse.InputException e = org.junit.jupiter.api.Assertions.assertThrows(ai.glimpse.InputException.class,
                () -> CaptionCommand.requireDistinctIds(List.of(Path.of("a/7.png"), Path.of("b/007.png"))));
        assertTrue(e.getMessage().contains("would both be image_id 7"), e.getMessage());
    }

    @Test
    void unreadableImagesAreReportedAndTheOthersCaptioned() throws Exception {
        Path broken = dir.resolve("broken.png");
        Files.writeString(broken, "not a png");
        TinyDataset.Run r = TinyDataset.run(List.of("caption", "--model", model.toString(), "--beam", "1",
                dir.resolve("images/im1.png").toString(), broken.toString(), dir.resolve("nope.png").toString()));
        assertEquals(2, r.code());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.err().contains(broken.toString()) && r.err().contains("nope.png: no such file"), r.err());
        assertTrue(r.err().contains("2 of 3 inputs could not be captioned"), r.err());
    }

    @Test
    void evaluatesTheModelOnASplitAndTheResultsFileItWrote() throws Exception {
        Path out = dir.resolve("eval");
        TinyDataset.Run r = TinyDataset.run(List.of("evaluate", "--model", model.toString(), "--captions",
                dir.resolve("dataset.json").toString(), "--images", dir.resolve("images").toString(), "--split", "val",
                "--beam", "1", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 images") && r.out().contains("CIDEr") && r.out().contains("METEOR   absent"), r.out());
        JsonNode scores = new ObjectMapper().readTree(out.resolve("scores.json").toFile());
        assertTrue(scores.get("metrics").get("METEOR").isNull());
        double bleu1 = scores.get("metrics").get("Bleu_1").asDouble();
        assertTrue(bleu1 >= 0 && bleu1 <= 1, "BLEU-1 in [0, 1]: " + bleu1);
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(106, results.get(0).get("image_id").asInt(), "cocoid of the first val image");
    }

    @Test
    void explainWritesOverlaysForEveryWord() throws Exception {
        Path out = dir.resolve("overlays");
        TinyDataset.Run r = TinyDataset.run(List.of("explain", "--model", model.toString(), "--beam", "1",
                dir.resolve("images/im2.png").toString(), "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode attention = new ObjectMapper().readTree(out.resolve("attention.json").toFile());
        int steps = attention.get("alphas").size();
        try (var files = Files.list(out)) {
            long pngs = files.filter(f -> f.getFileName().toString().matches("\\d+_.+\\.png")).count();
            assertEquals(steps, pngs, "one overlay per attention step");
        }
        for (String f : List.of("grid.png", "attention.gif", "index.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Path firstStep;
        try (var files = Files.list(out)) {
            firstStep = files.filter(f -> f.getFileName().toString().matches("0*1_.+\\.png")).findFirst().orElseThrow();
        }
        java.awt.image.BufferedImage first = javax.imageio.ImageIO.read(firstStep.toFile());
        assertEquals(16, first.getWidth(), "an overlay has the original image's size");
    }

    @Test
    void explainRefusesBadOpacity() {
        TinyDataset.Run r = TinyDataset.run(List.of("explain", "--model", model.toString(), "--opacity", "1.5",
                dir.resolve("images/im2.png").toString(), "--out", dir.resolve("x").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("opacity"), r.err());
    }

    @Test
    void refusesAModelThatIsNotOne() throws Exception {
        Path fake = dir.resolve("fake.zip");
        Files.writeString(fake, "zip? no");
        TinyDataset.Run r = TinyDataset.run(List.of("caption", "--model", fake.toString(), dir.resolve("images").toString()));
        assertEquals(2, r.code());
        assertEquals("glimpse: model file " + fake + ": not a Glimpse model (not a zip file)", r.err().strip());
    }
}

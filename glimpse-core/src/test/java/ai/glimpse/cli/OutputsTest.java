package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.ModelBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the verbs write: {@code -} is standard output, JSON lines arrive as images are captioned, output
 * paths are checked before any work, JSON names are snake_case and every JSON file ends with a line break.
 */
class OutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path model;
    static Path images;

    @BeforeAll
    static void writeModelAndImages() throws IOException {
        Vocabulary vocab = Vocabulary.build(List.of(List.of("a", "red", "square"), List.of("a", "blue", "circle")), 1);
        ModelConfig config = ModelConfig.small(32, List.of(4, 4), vocab.size(), 8, 8, 6, 0.0, 1.0, 5);
        model = dir.resolve("model.zip");
        new ModelBundle(CaptionModel.initialise(config, 1), vocab,
                new ImageOptions(32, ResizePolicy.SHORTER_SIDE_CENTER_CROP, false, ImageOptions.DEFAULT_MAX_PIXELS)).save(model);
        images = Files.createDirectories(dir.resolve("images"));
        for (int i = 1; i <= 3; i++) {
            BufferedImage image = new BufferedImage(40, 32, BufferedImage.TYPE_INT_RGB);
            image.setRGB(i, i, 0xFF0000);
            ImageIO.write(image, "png", images.resolve("synth_00000" + i + ".png").toFile());
        }
    }

    private static TinyDataset.Run run(String... args) {
        return TinyDataset.run(List.of(args));
    }

    @Test
    void jsonDashIsStandardOutputInsteadOfTheLines() throws IOException {
        TinyDataset.Run r = run("caption", "--model", model.toString(), "--beam", "1", "--json", "-", images.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode results = JSON.readTree(r.out());
        assertEquals(3, results.size(), r.out());
        assertEquals(1, results.get(0).get("image_id").asInt());
        assertTrue(r.out().endsWith("]" + System.lineSeparator()) || r.out().endsWith("]\n"), "ends with a line break");
        assertFalse(Files.exists(Path.of("-")), "no file named -");
    }

    @Test
    void jsonLinesArriveOnePerImageWithErrorsAndSnakeCaseAttention() throws IOException {
        Path bad = Files.writeString(dir.resolve("broken.png"), "not a png");
        Path lines = dir.resolve("out/captions.jsonl");
        TinyDataset.Run r = run("caption", "--model", model.toString(), "--beam", "2", "--jsonl", lines.toString(),
                "--attention", images.toString(), bad.toString());
        assertEquals(Main.BAD_INPUT, r.code(), "one image could not be read: " + r.err());
        List<String> written = Files.readAllLines(lines);
        assertEquals(4, written.size(), String.join("\n", written));
        JsonNode first = JSON.readTree(written.get(0));
        assertEquals(images.resolve("synth_000001.png").toString(), first.get("file").asText());
        for (String name : List.of("image_id", "caption", "log_prob", "finished", "grid_size", "words", "alphas", "betas")) {
            assertTrue(first.has(name), name + " in " + first);
        }
        assertEquals(8, first.get("grid_size").asInt(), "32 px halved twice");
        JsonNode error = JSON.readTree(written.get(3));
        assertEquals(bad.toString(), error.get("file").asText());
        assertTrue(error.get("error").asText().length() > 0);
        assertEquals(3, r.out().lines().count(), "the caption lines still go to stdout");

        TinyDataset.Run piped = run("caption", "--model", model.toString(), "--beam", "1", "--jsonl", "-", images.toString());
        assertEquals(0, piped.code(), piped.err());
        List<String> out = piped.out().lines().toList();
        assertEquals(3, out.size(), piped.out());
        for (String line : out) {
            assertTrue(JSON.readTree(line).has("caption"), line);
        }
    }

    @Test
    void captionAndAttentionJsonUseTheSameNames() throws IOException {
        Path results = dir.resolve("results.json");
        TinyDataset.Run r = run("caption", "--model", model.toString(), "--json", results.toString(), "--attention",
                images.resolve("synth_000001.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(results).endsWith("]\n"), "a JSON file ends with a line break");
        JsonNode entry = JSON.readTree(results.toFile()).get(0);
        Path overlays = dir.resolve("overlays");
        TinyDataset.Run e = run("explain", "--model", model.toString(), "--out", overlays.toString(),
                images.resolve("synth_000001.png").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(Files.readString(overlays.resolve("attention.json")).endsWith("}\n"));
        JsonNode attention = JSON.readTree(overlays.resolve("attention.json").toFile());
        assertEquals(2, attention.get("version").asInt());
        List<String> shared = new ArrayList<>();
        entry.fieldNames().forEachRemaining(shared::add);
        shared.removeAll(List.of("image_id", "caption"));
        assertEquals(List.of("log_prob", "finished", "grid_size", "words", "alphas", "betas"), shared);
        for (String name : shared) {
            assertTrue(attention.has(name), "attention.json has " + name);
            assertEquals(entry.get(name), attention.get(name), name);
        }
        attention.fieldNames().forEachRemaining(name -> assertEquals(name.toLowerCase(), name, "snake_case: " + name));
    }

    @Test
    void outputsThatCannotBeWrittenAreRefusedBeforeAnyWork() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        TinyDataset.Run json = run("caption", "--model", model.toString(), "--json", folder.toString(), images.toString());
        assertEquals(Main.BAD_INPUT, json.code());
        assertEquals("glimpse: --json " + folder + ": is a folder; give the name of a file to write", json.err().strip());
        assertEquals("", json.out(), "nothing was captioned");

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        TinyDataset.Run explain = run("explain", "--model", model.toString(), "--out", file.resolve("sub").toString(),
                images.resolve("synth_000001.png").toString());
        assertEquals(Main.BAD_INPUT, explain.code());
        assertTrue(explain.err().startsWith("glimpse: --out " + file.resolve("sub") + ": cannot make the folder"), explain.err());
        assertEquals(1, explain.err().strip().lines().count(), explain.err());
        assertEquals("", explain.out());

        TinyDataset.Run both = run("caption", "--model", model.toString(), "--json", "-", "--jsonl", "-", images.toString());
        assertEquals("glimpse: --json - and --jsonl -: only one of them can go to standard output", both.err().strip());
        TinyDataset.Run attentionAlone = run("caption", "--model", model.toString(), "--attention", images.toString());
        assertTrue(attentionAlone.err().contains("--attention adds to the JSON of --json or --jsonl"), attentionAlone.err());
    }

    @Test
    void aFolderGivenAsTheModelIsSaidToBeOne() {
        TinyDataset.Run r = run("caption", "--model", dir.toString(), images.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertEquals("glimpse: --model " + dir + ": is a folder, not a model file; in it: " + model, r.err().strip());
        TinyDataset.Run info = run("info", images.toString());
        assertTrue(info.err().startsWith("glimpse: model file " + images + ": is a folder, not a model file;"), info.err());
    }

    @Test
    void evaluateWritesScoresToStandardOutputOrAFolder() throws IOException {
        Path annotations = dir.resolve("captions.json");
        Files.writeString(annotations, "{\"images\": [{\"id\": 1}], \"annotations\": [{\"image_id\": 1, \"id\": 1,"
                + " \"caption\": \"a red square\"}]}");
        Path results = Files.writeString(dir.resolve("res.json"), "[{\"image_id\": 1, \"caption\": \"a red square\"}]");
        TinyDataset.Run r = run("evaluate", "--results", results.toString(), "--annotations", annotations.toString(),
                "--json", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals(1.0, JSON.readTree(r.out()).get("metrics").get("Bleu_1").asDouble(), 1e-9);
        Path out = dir.resolve("scores");
        TinyDataset.Run folder = run("evaluate", "--results", results.toString(), "--annotations", annotations.toString(),
                "--out", out.toString());
        assertEquals(0, folder.code(), folder.err());
        assertTrue(Files.readString(out.resolve("scores.json")).endsWith("}\n"));
        TinyDataset.Run old = run("evaluate", "--results", results.toString(), "--annotations", annotations.toString(),
                "--out", dir.resolve("scores.json").toString());
        assertEquals(Main.BAD_INPUT, old.code());
        assertTrue(old.err().contains("use --json " + dir.resolve("scores.json")), old.err());
    }

    @Test
    void vocabularyGoesToAFileOrStandardOutput() throws IOException {
        Path captions = dir.resolve("dataset.json");
        Files.writeString(captions, "{\"images\": [{\"filename\": \"a.png\", \"split\": \"train\", \"sentences\":"
                + " [{\"raw\": \"a red square\"}, {\"raw\": \"a blue square\"}]}], \"dataset\": \"coco\"}");
        TinyDataset.Run r = run("vocab", "--captions", captions.toString(), "--min-freq", "1", "--json", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals("glimpse-vocab", JSON.readTree(r.out()).get("format").asText());
        assertTrue(r.err().contains("vocabulary  8 ids"), "the summary goes to stderr: " + r.err());
        Path file = dir.resolve("vocab/v.json");
        TinyDataset.Run toFile = run("vocab", "--captions", captions.toString(), "--min-freq", "1", "--json", file.toString());
        assertEquals(0, toFile.code(), toFile.err());
        assertTrue(Files.readString(file).endsWith("}\n"));
    }
}

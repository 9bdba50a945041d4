package ai.glimpse.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.decode.Caption;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deletion test's results and a counterfactual caption in every file, and a folder rewritten without stale files. */
class ExplanationFilesTest {
    private static final int GRID = 4;
    private static final ImageOptions SQUARE = new ImageOptions(64, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS);

    private static Explanation explanation() {
        Caption caption = Pictures.finished(List.of("a", "dog"), Pictures.uniform(GRID), Pictures.oneHot(GRID, 5),
                Pictures.uniform(GRID));
        List<Explanation.StepTest> tests = List.of(
                new Explanation.StepTest(-0.1, 0.0, 0.0, 0.25, "a", "a", new int[] {0, 1, 2, 3}, new int[] {15, 14, 13, 12}, false),
                new Explanation.StepTest(-0.2, 2.5, 0.1, 1.0, "wolf", "dog", new int[] {5, 0, 1, 2}, new int[] {15, 14, 13, 12}, true),
                new Explanation.StepTest(-0.05, 0.01, 0.02, 0.25, "<end>", "<end>", new int[] {0, 1, 2, 3}, new int[] {15, 14, 13, 12},
                        false));
        boolean[] masked = new boolean[GRID * GRID];
        masked[5] = true;
        Caption other = Pictures.finished(List.of("a", "wolf", "in", "snow"), Pictures.uniform(GRID), Pictures.oneHot(GRID, 9),
                Pictures.uniform(GRID), Pictures.uniform(GRID), Pictures.uniform(GRID));
        return new Explanation(caption, new Explanation.Faithfulness(0.25, 4, "step", tests),
                new Explanation.Counterfactual("16,16,16,16", masked, other));
    }

    @Test
    void theTestsAndTheCounterfactualReachTheJsonThePageAndTheGrid(@TempDir Path out) throws IOException {
        ExplainFiles files = new ExplainWriter(ExplainOptions.defaults().withScale(HeatScale.UNIFORM))
                .write(explanation(), Pictures.twoShapes(64, 64), SQUARE, out);
        JsonNode json = new ObjectMapper().readTree(files.json().toFile());
        JsonNode f = json.get("faithfulness");
        assertEquals(4, f.get("regions").asInt());
        assertEquals("step", f.get("scope").asText());
        assertEquals(3, f.get("steps").size());
        assertEquals("dog", f.get("steps").get(1).get("word").asText());
        assertEquals(2.5, f.get("steps").get(1).get("drop_top").asDouble(), 1e-9);
        assertEquals("wolf", f.get("steps").get(1).get("top_word").asText());
        assertEquals(5, f.get("steps").get(1).get("top_regions").get(0).asInt());
        JsonNode cf = json.get("counterfactual");
        assertEquals("[5]", cf.get("masked_regions").toString());
        assertEquals("snow", cf.get("words").get(3).asText());
        assertEquals(5, cf.get("alphas").size());

        assertNotNull(files.maskedGrid());
        assertTrue(ImageIO.read(files.maskedGrid().toFile()).getWidth() > 0);
        String html = Files.readString(files.page(), StandardCharsets.UTF_8);
        assertTrue(html.contains("data-side=\"1\""), "the masked caption's side");
        assertTrue(html.contains(">wolf<small>") && html.contains(">snow<small>"), "the masked caption's words");
        assertTrue(html.contains("ArrowRight") && html.contains("position:sticky"), "arrow keys and a sticky figure");
        assertTrue(html.contains("linear-gradient") && html.contains("uniform"), "the legend, on the uniform scale");
        assertTrue(html.contains("class=\"pick faithful\"") && html.contains("class=\"pick unfaithful\""));
        assertTrue(html.contains("\u22122.50"), "the drop as a change of log p");
        assertTrue(html.contains("would then say \u201cwolf\u201d"), "what the model says without the regions");
        long images = html.split("src=\"data:image/jpeg", -1).length - 1;
        assertEquals(2 + 3 + 5, images, "both images, one overlay per step of each caption");
    }

    @Test
    void aFolderAnEarlierRunWroteIsReplacedAndOtherFilesStay(@TempDir Path out) throws IOException {
        ExplainWriter writer = new ExplainWriter(ExplainOptions.defaults());
        writer.write(explanation(), Pictures.twoShapes(64, 64), SQUARE, out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertTrue(Files.exists(out.resolve("grid_masked.png")));
        Caption shorter = Pictures.finished(List.of("x"), Pictures.uniform(GRID), Pictures.uniform(GRID));
        writer.write(shorter, Pictures.twoShapes(64, 64), SQUARE, out);
        try (Stream<Path> files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("01_x.png", "02_end.png", "attention.gif", "attention.json", "grid.png", "index.html", "notes.txt"),
                    names);
        }
        Path foreign = out.resolve("other");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("01_mine.png"), "not ours");
        Files.writeString(foreign.resolve("attention.json"), "{\"format\": \"something else\"}");
        writer.write(shorter, Pictures.twoShapes(64, 64), SQUARE, foreign);
        assertTrue(Files.exists(foreign.resolve("01_mine.png")), "a folder Glimpse did not write keeps its files");
        assertFalse(Files.readString(foreign.resolve("attention.json")).contains("something else"));
    }
}

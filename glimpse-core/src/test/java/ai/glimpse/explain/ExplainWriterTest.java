package ai.glimpse.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.AtomicFile;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.decode.Caption;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One caption of a 300x200 scene explained into a folder, every file read back. */
class ExplainWriterTest {
    private static final int W = 300;
    private static final int H = 200;
    private static final int GRID = 7;
    private static final ImageOptions INPUT =
            new ImageOptions(224, ResizePolicy.SHORTER_SIDE_CENTER_CROP, false, ImageOptions.DEFAULT_MAX_PIXELS);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path dir;
    static ExplainFiles files;
    static Caption caption;

    @BeforeAll
    static void write() {
        caption = Pictures.finished(List.of("a", "red", "circle"), Pictures.uniform(GRID),
                Pictures.bump(GRID, 3, 1, 0.7), Pictures.oneHot(GRID, 3 * GRID + 1), Pictures.oneHot(GRID, 0));
        dir = tmp.resolve("out");
        files = new ExplainWriter(ExplainOptions.defaults()).write(caption, Pictures.twoShapes(W, H), INPUT, dir);
    }

    @Test
    void writesOnePngPerStepAtTheImageSize() throws IOException {
        assertEquals(List.of("01_a.png", "02_red.png", "03_circle.png", "04_end.png"),
                files.stepImages().stream().map(p -> p.getFileName().toString()).toList());
        for (Path png : files.stepImages()) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(W, image.getWidth(), png.toString());
            assertEquals(H, image.getHeight(), png.toString());
        }
        try (Stream<Path> all = Files.list(dir)) {
            List<String> names = all.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("01_a.png", "02_red.png", "03_circle.png", "04_end.png", "attention.gif",
                    "attention.json", "grid.png", "index.html"), names, "no temporary files left behind");
            assertFalse(names.stream().anyMatch(n -> AtomicFile.TEMPORARY.matcher(n).matches()));
        }
    }

    @Test
    void gridHoldsTheOriginalAndOnePanelPerStepInRows() throws IOException {
        BufferedImage grid = ImageIO.read(files.grid().toFile());
        // the original and 4 steps: 5 panels of 224x149 (300x200 fitted into 224), 6-pixel gaps: 6 + 5 * 230 wide
        assertEquals(1156, grid.getWidth());
        assertTrue(grid.getHeight() > 149 && grid.getHeight() < 2 * 149 + 100, "one row and the legend, height " + grid.getHeight());

        ExplainOptions two = new ExplainOptions(OptionalDouble.empty(), 0.6, ColourMap.VIRIDIS, true, 2, 100, 100, 500);
        ExplainFiles narrow = new ExplainWriter(two).write(caption, Pictures.twoShapes(W, H), INPUT, tmp.resolve("narrow"));
        BufferedImage columns = ImageIO.read(narrow.grid().toFile());
        assertEquals(6 + 2 * 106, columns.getWidth(), "two 100-pixel panels per row");
        assertTrue(columns.getHeight() > 3 * 67 && columns.getHeight() < 4 * 67 + 140, "three rows and the legend, height "
                + columns.getHeight());
        assertEquals(W, ImageIO.read(narrow.stepImages().get(0).toFile()).getWidth(),
                "step pictures stay at the image's size whatever the panel size");
    }

    @Test
    void gifHasOneFramePerStepWithTheDelayAndLoopsForever() throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(files.animation().toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(4, reader.getNumImages(true));
            BufferedImage frame = reader.read(0);
            assertEquals(512, frame.getWidth(), "300x200 enlarged to the 512-pixel preview");
            assertEquals(341, frame.getHeight());
            String tree = GifAnimationTest.describe(reader.getImageMetadata(0));
            assertTrue(tree.contains("delayTime=100"), tree);
            assertTrue(tree.contains("applicationID=NETSCAPE"), tree);
            reader.dispose();
        }
    }

    @Test
    void jsonHasEveryStepWithTheRightShapesAndTheCropBox() throws IOException {
        JsonNode json = JSON.readTree(files.json().toFile());
        assertEquals("glimpse-attention", json.get("format").asText());
        assertEquals(2, json.get("version").asInt(), "version 2: snake_case names");
        assertTrue(Files.readString(files.json()).endsWith("}\n"), "the file ends with a line break");
        assertEquals(3, json.get("words").size());
        assertEquals("<end>", json.get("steps").get(3).asText());
        assertEquals(-2.75, json.get("log_prob").asDouble());
        assertTrue(json.get("finished").asBoolean());
        assertEquals(GRID, json.get("grid_size").asInt());
        assertEquals(4, json.get("alphas").size());
        for (JsonNode row : json.get("alphas")) {
            assertEquals(GRID * GRID, row.size());
        }
        assertEquals(1.0, json.get("alphas").get(2).get(3 * GRID + 1).asDouble());
        assertEquals(4, json.get("betas").size());
        assertEquals(W, json.get("image").get("width").asInt());
        assertEquals(H, json.get("image").get("height").asInt());
        assertEquals(50.0, json.get("crop_box").get("x").asDouble(), 1e-9);
        assertEquals(200.0, json.get("crop_box").get("width").asDouble(), 1e-9);
        assertEquals("SHORTER_SIDE_CENTER_CROP", json.get("input").get("policy").asText());
    }

    @Test
    void pageIsSelfContainedAndEmbedsTheImageAndEveryOverlay() throws IOException {
        String html = Files.readString(files.page(), StandardCharsets.UTF_8);
        String lower = html.toLowerCase();
        for (String banned : List.of("http://", "https://", "src=\"//", "href=\"//", "src='//", "href='//", "<link",
                "<script src", "url(", "@import", "<iframe", "<object", "<embed")) {
            assertFalse(lower.contains(banned), "page contains " + banned);
        }
        Matcher src = Pattern.compile("\\b(?:src|href)=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            String uri = src.group(1);
            assertTrue(uri.startsWith("data:image/jpeg;base64,"), "not embedded: " + uri.substring(0, Math.min(60, uri.length())));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1))));
            assertEquals(512, image.getWidth(), "the preview size");
            assertEquals(341, image.getHeight());
            images++;
        }
        assertEquals(1 + 4, images, "the original and one overlay per step");
        for (String word : List.of(">a<small>", ">red<small>", ">circle<small>", ">&lt;end&gt;<small>")) {
            assertTrue(html.contains(word), word);
        }
        assertTrue(html.contains("log-probability -2.7500"), "log-probability shown");
        assertTrue(html.contains("\u03b2 0.60"), "betas shown");   // 0.5 + 0.4 * 1/4
        assertTrue(html.contains("addEventListener('mouseenter'") && html.contains("addEventListener('focus'"));
    }

    @Test
    void captionWithOnlyEndStillWritesEverything(@TempDir Path out) throws IOException {
        Caption empty = new Caption(List.of(), -0.1, new float[][] {Pictures.oneHot(GRID, 10)}, new float[] {0.3f}, true);
        ExplainFiles written = new ExplainWriter(ExplainOptions.defaults()).write(empty, Pictures.twoShapes(W, H), INPUT, out);
        assertEquals(List.of(out.resolve("01_end.png")), written.stepImages());
        assertEquals(1, frames(written.animation()));
        JsonNode json = JSON.readTree(written.json().toFile());
        assertEquals(0, json.get("words").size());
        assertEquals(1, json.get("alphas").size());

        Path hidden = out.resolve("no-end");
        ExplainFiles without = new ExplainWriter(ExplainOptions.defaults().withIncludeEnd(false))
                .write(empty, Pictures.twoShapes(W, H), INPUT, hidden);
        assertTrue(without.stepImages().isEmpty());
        assertEquals(1, frames(without.animation()), "the image alone, so the GIF stays valid");
        assertEquals(1, JSON.readTree(without.json().toFile()).get("alphas").size(), "the JSON keeps every step");
        assertTrue(ImageIO.read(without.grid().toFile()).getWidth() > 0);

        Caption nothing = new Caption(List.of(), Double.NEGATIVE_INFINITY, new float[0][], new float[0], false);
        ExplainFiles bare = new ExplainWriter(ExplainOptions.defaults()).write(nothing, Pictures.twoShapes(W, H), INPUT,
                out.resolve("bare"));
        JsonNode json0 = JSON.readTree(bare.json().toFile());
        assertTrue(json0.get("log_prob").isNull(), "-Infinity is not JSON");
        assertEquals(0, json0.get("grid_size").asInt());
        assertTrue(Files.readString(bare.page()).contains("no attention steps"));
    }

    @Test
    void malformedCaptionsAreRefusedBeforeAnythingIsWritten(@TempDir Path out) {
        float[] negative = Pictures.uniform(GRID);
        negative[3] = -1f;
        Caption bad = new Caption(List.of("a", "b"), -1, new float[][] {Pictures.uniform(GRID), negative},
                new float[] {0.5f, 0.5f}, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExplainWriter(ExplainOptions.defaults()).write(bad, Pictures.twoShapes(W, H), INPUT, out.resolve("x")));
        assertEquals("attention step 1 has weight -1.0 (weights must be finite and >= 0)", e.getMessage());
        assertFalse(Files.exists(out.resolve("x")), "nothing written, not even the first word's picture");
    }

    private static int frames(Path gif) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            int n = reader.getNumImages(true);
            reader.dispose();
            return n;
        }
    }
}

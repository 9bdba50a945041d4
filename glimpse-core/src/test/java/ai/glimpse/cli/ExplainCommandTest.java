package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain through the command line: several images in one run, the deletion test, masks, and refusals. */
class ExplainCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainNanoModel() throws Exception {
        Path captions = TinyDataset.write(dir);
        model = dir.resolve("model.zip");
        List<String> args = TinyDataset.trainArgs(dir, captions);
        args.addAll(List.of("--out", model.toString(), "--epochs", "1"));
        TinyDataset.Run r = TinyDataset.run(args);
        assertEquals(0, r.code(), r.err());
    }

    private static List<String> explain(String... extra) {
        List<String> args = new ArrayList<>(List.of("explain", "--model", model.toString(), "--beam", "1"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void severalImagesEachGetAFolderWithTheDeletionTest() throws Exception {
        Path out = dir.resolve("many");
        TinyDataset.Run r = TinyDataset.run(explain(dir.resolve("images/im0.png").toString(),
                dir.resolve("images/im1.png").toString(), dir.resolve("images/im1.png").toString(), "--out", out.toString(),
                "--deletion-percent", "25"));
        assertEquals(0, r.code(), r.err());
        for (String name : List.of("im0", "im1", "im1-2")) {
            JsonNode json = new ObjectMapper().readTree(out.resolve(name).resolve("attention.json").toFile());
            assertEquals(json.get("alphas").size(), json.get("faithfulness").get("steps").size(), name);
            assertEquals(4, json.get("faithfulness").get("regions").asInt(), "25% of a 4x4 grid");
        }
        assertEquals(3, r.out().lines().filter(l -> l.contains("deletion test:")).count(), r.out());
    }

    @Test
    void aMaskCaptionsTheImageAgainAndShowsBoth() throws Exception {
        Path out = dir.resolve("masked");
        TinyDataset.Run r = TinyDataset.run(explain(dir.resolve("images/im0.png").toString(), "--out", out.toString(),
                "--mask", "0,0,8,8", "--mask-outside", "0,0,12,12", "--scale", "uniform"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\tmasked 0,0,8,8, outside 0,0,12,12, blank fill\t"), r.out());
        JsonNode cf = new ObjectMapper().readTree(out.resolve("attention.json").toFile()).get("counterfactual");
        // 4x4 cells of 4 pixels: 0,0,8,8 covers cells 0, 1, 4, 5; outside 0,0,12,12 every cell of row or column 3
        assertEquals("[0,1,3,4,5,7,11,12,13,14,15]", cf.get("masked_regions").toString());
        assertTrue(Files.size(out.resolve("grid_masked.png")) > 0);
    }

    @Test
    void badOptionsAreRefusedInOneLine() {
        Path image = dir.resolve("images/im0.png");
        for (List<String> bad : List.of(List.of("--mask", "1,2,3"), List.of("--mask-outside", "0,0,-1,4"),
                List.of("--scale", "loud"), List.of("--deletion-percent", "60"), List.of("--deletion-scope", "all"))) {
            List<String> args = explain(image.toString(), "--out", dir.resolve("bad").toString());
            args.addAll(bad);
            TinyDataset.Run r = TinyDataset.run(args);
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void anUnreadableImageAmongSeveralIsReportedAndTheOthersAreWritten() throws Exception {
        Path broken = dir.resolve("broken.png");
        Files.writeString(broken, "not a png");
        Path out = dir.resolve("partly");
        TinyDataset.Run r = TinyDataset.run(explain(broken.toString(), dir.resolve("images/im2.png").toString(),
                "--out", out.toString()));
        assertEquals(2, r.code());
        assertTrue(Files.exists(out.resolve("im2").resolve("index.html")));
        assertTrue(r.err().contains("1 of 2 images could not be explained"), r.err());
    }
}

package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.data.Vocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        var cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("vocab"));
        all.addAll(List.of(args));
        return cmd.execute(all.toArray(String[]::new));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(VocabCommandTest.class.getResource("/ai/glimpse/data/" + name).toURI());
    }

    @Test
    void buildsFromTheTrainSplitAndSummarises() throws Exception {
        Path captions = fixture("dataset_coco_tiny.json");
        Path vocab = dir.resolve("vocab.json");
        int code = run("--captions", captions.toString(), "--min-freq", "2", "--truncate", "3", "--json", vocab.toString());
        assertEquals(0, code, err.toString());
        // train + restval captions: "two plates of food", "a table with food", "a dog on grass"
        assertEquals(String.join(System.lineSeparator(),
                "file        " + captions + " (karpathy)",
                "images      4 in all: train 1, restval 1, val 1, test 1",
                "captions    5 in all: train 2, restval 1, val 1, test 1",
                "vocabulary  6 ids: 4 specials + 2 words seen at least 2 times,"
                        + " from the train split (train + restval, 2 images)",
                "dropped     8 of 10 distinct words; 8 of 12 word occurrences (66.67%) become <unk>",
                "too long    3 of 3 captions have more than 3 words and will be truncated (--truncate 3)",
                "wrote       " + vocab, ""), out.toString());
        assertEquals("", err.toString());
        assertTrue(java.nio.file.Files.readString(vocab).endsWith("}\n"), "the file ends with a line break");
        Vocabulary v = Vocabulary.load(vocab);
        assertEquals(List.of("<pad>", "<start>", "<end>", "<unk>", "a", "food"), v.words());
        assertEquals(2, v.minFreq());
    }

    @Test
    void buildsFromAllImagesWhenThereIsNoTrainSplit() throws Exception {
        Path vocab = dir.resolve("out/v.json");
        int code = run("--captions", fixture("captions_val2014_tiny.json").toString(), "--min-freq", "2",
                "--out", vocab.toString());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("images      3 in all: val 3"), text);
        assertTrue(text.contains("captions    4 in all: val 4"), text);
        assertTrue(text.contains("vocabulary  9 ids: 4 specials + 5 words seen at least 2 times,"
                + " from all 3 images (the file has no train split)"), text);
        assertTrue(text.contains("dropped     12 of 17 distinct words; 12 of 26 word occurrences (46.15%) become <unk>"), text);
        assertTrue(text.contains("too long    0 of 4 captions have more than 20 words"), text);
        JsonNode json = new ObjectMapper().readTree(vocab.toFile());
        assertEquals("glimpse-vocab", json.get("format").asText());
        assertEquals(2, json.get("minFreq").asInt(), "min-freq written");
        List<String> words = new ArrayList<>();
        json.get("words").forEach(w -> words.add(w.asText()));
        assertEquals(List.of("a", "bus", "dog", "on", "the"), words.subList(4, 9), "a 6 times, then ties alphabetically");
    }

    @Test
    void checksTheImagesOfTheSplits() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.createFile(images.resolve("1000268201_693b08cb0e.jpg"));
        Path vocab = dir.resolve("vocab.json");
        String[] args = {"--captions", fixture("flickr8k/Flickr8k.token.txt").toString(), "--images", images.toString(),
            "--min-freq", "1", "--out", vocab.toString()};
        assertEquals(2, run(args));
        assertEquals("glimpse: --images " + images + ": 2 of 3 images are missing: 1001773457_577c3a7d70.jpg,"
                + " 1002674143_1b742ab4b8.jpg" + System.lineSeparator(), err.toString());
        assertFalse(Files.exists(vocab), "nothing written");

        Files.createFile(images.resolve("1001773457_577c3a7d70.jpg"));
        Files.createFile(images.resolve("1002674143_1b742ab4b8.jpg"));
        err.getBuffer().setLength(0);
        assertEquals(0, run(args), err.toString());
        assertTrue(out.toString().contains("images ok   all 3 images found under " + images
                + " (1 in no split not checked)"), out.toString());
        assertTrue(out.toString().contains("images      4 in all: train 1, val 1, test 1, no split 1"), out.toString());
        assertTrue(Files.exists(vocab));
    }

    @Test
    void refusesBadFlagsWithOneLine() throws Exception {
        String captions = fixture("dataset_coco_tiny.json").toString();
        String vocab = dir.resolve("v.json").toString();
        assertEquals(2, run("--captions", captions, "--min-freq", "0", "--out", vocab));
        assertEquals("glimpse: --min-freq must be at least 1, got 0" + System.lineSeparator(), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--captions", captions, "--max-length", "-1", "--out", vocab));
        assertEquals("glimpse: --truncate must be at least 1, got -1" + System.lineSeparator(), err.toString(),
                "the old name --max-length still works, and the message names the current one");
        err.getBuffer().setLength(0);
        assertEquals(2, run("--captions", captions, "--images", captions, "--out", vocab));
        assertEquals("glimpse: --images " + captions + ": not a folder" + System.lineSeparator(), err.toString());
        assertFalse(Files.exists(Path.of(vocab)));
    }

    @Test
    void refusesAVocabularyOfOnlySpecials() throws Exception {
        Path vocab = dir.resolve("v.json");
        Path captions = fixture("dataset_coco_tiny.json");
        assertEquals(2, run("--captions", captions.toString(), "--min-freq", "50", "--out", vocab.toString()));
        assertEquals("glimpse: captions file " + captions + ": no word occurs at least 50 times in the train split"
                + " (3 captions); lower --min-freq or use a larger file" + System.lineSeparator(), err.toString());
        assertFalse(Files.exists(vocab));

        err.getBuffer().setLength(0);
        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"images\": [], \"dataset\": \"coco\"}");
        assertEquals(2, run("--captions", empty.toString(), "--out", vocab.toString()));
        assertEquals("glimpse: captions file " + empty + ": no captions in the file (0 images)" + System.lineSeparator(),
                err.toString());
    }

    @Test
    void refusesAFileThatIsNotCaptions() throws IOException {
        Path results = Files.writeString(dir.resolve("results.json"), "[{\"image_id\": 1, \"caption\": \"a dog\"}]");
        assertEquals(2, run("--captions", results.toString(), "--out", dir.resolve("v.json").toString()));
        assertTrue(err.toString().startsWith("glimpse: captions file " + results + ": not a COCO, Karpathy or Flickr8k"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--captions", dir.resolve("none.json").toString(), "--out", dir.resolve("v.json").toString()));
        assertEquals("glimpse: captions file " + dir.resolve("none.json") + ": no such file" + System.lineSeparator(),
                err.toString());
    }
}

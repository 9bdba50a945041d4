package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    /** Counts: a 3, dog 3, runs 2, cat 1, the 1. */
    private static final List<List<String>> CAPTIONS = List.of(
            List.of("a", "dog", "runs"), List.of("a", "cat", "runs"), List.of("a", "dog"), List.of("the", "dog"));

    @TempDir
    Path dir;

    @Test
    void keepsWordsAtLeastMinFreqByCountThenAlphabetically() {
        Vocabulary v = Vocabulary.build(CAPTIONS, 2);
        assertEquals(List.of("<pad>", "<start>", "<end>", "<unk>", "a", "dog", "runs"), v.words());
        assertEquals(7, v.size());
        assertEquals(3, v.count("a"));
        assertEquals(2, v.count("runs"));
        assertEquals(0, v.count("cat"), "dropped");
        assertEquals(0, v.count("<pad>"));
        assertEquals(2, v.minFreq());
        Vocabulary all = Vocabulary.build(CAPTIONS, 1);
        assertEquals(List.of("a", "dog", "runs", "cat", "the"), all.words().subList(4, 9));
    }

    @Test
    void isTheSameWhateverTheCaptionOrder() {
        List<List<String>> reversed = new ArrayList<>(CAPTIONS);
        Collections.reverse(reversed);
        assertEquals(Vocabulary.build(CAPTIONS, 1), Vocabulary.build(reversed, 1));
        assertEquals(Vocabulary.build(CAPTIONS, 1).words(), Vocabulary.build(reversed, 1).words());
    }

    @Test
    void mapsWordsAndIds() {
        Vocabulary v = Vocabulary.build(CAPTIONS, 2);
        assertEquals(0, v.id("<pad>"));
        assertEquals(1, v.id("<start>"));
        assertEquals(2, v.id("<end>"));
        assertEquals(3, v.id("<unk>"));
        assertEquals(5, v.id("dog"));
        assertEquals(Vocabulary.UNK_ID, v.id("zebra"));
        assertEquals(Vocabulary.UNK_ID, v.id("cat"));
        assertEquals("runs", v.word(6));
        assertTrue(v.contains("dog"));
        assertFalse(v.contains("<end>"));
        assertFalse(v.contains("cat"));
        assertThrows(IllegalArgumentException.class, () -> v.word(7));
        assertThrows(IllegalArgumentException.class, () -> v.word(-1));
    }

    @Test
    void doesNotCountTokensSpelledLikeSpecials() {
        Vocabulary v = Vocabulary.build(List.of(List.of("<unk>", "<end>", "dog"), List.of("<pad>")), 1);
        assertEquals(List.of("<pad>", "<start>", "<end>", "<unk>", "dog"), v.words());
    }

    @Test
    void encodesWithStartEndUnkAndTruncation() {
        Vocabulary v = Vocabulary.build(CAPTIONS, 2); // a=4 dog=5 runs=6
        assertArrayEquals(new int[] {1, 4, 5, 6, 2}, v.encode(List.of("a", "dog", "runs"), 3), "exactly max length");
        assertArrayEquals(new int[] {1, 4, 5, 2}, v.encode(List.of("a", "dog", "runs"), 2), "one word beyond");
        assertArrayEquals(new int[] {1, 4, 2}, v.encode(List.of("a", "dog", "runs", "a", "dog"), 1), "far beyond");
        assertArrayEquals(new int[] {1, 2}, v.encode(List.of(), 20), "empty caption");
        assertArrayEquals(new int[] {1, 3, 3, 2}, v.encode(List.of("zebra", "cat"), 20), "only unknown words");
        assertArrayEquals(new int[] {1, 3, 5, 2}, v.encode(List.of("<end>", "dog"), 20), "a special as a word");
        assertThrows(IllegalArgumentException.class, () -> v.encode(List.of("a"), 0));
    }

    @Test
    void decodesUpToEndKeepingUnk() {
        Vocabulary v = Vocabulary.build(CAPTIONS, 2);
        assertEquals(List.of("a", "<unk>", "dog"), v.decode(new int[] {1, 4, 3, 5, 2, 6, 0}));
        assertEquals(List.of("dog", "runs"), v.decode(new int[] {5, 6}), "no <end>: all of it");
        assertEquals(List.of(), v.decode(new int[] {1, 2}));
        assertEquals(List.of(), v.decode(new int[] {0, 0, 0}));
        assertEquals(List.of("a", "dog", "runs"), v.decode(v.encode(List.of("a", "dog", "runs"), 20)));
        assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {1, 99}));
    }

    @Test
    void measuresCoverage() {
        Vocabulary v = Vocabulary.build(CAPTIONS, 2);
        Vocabulary.Coverage c = v.coverage(CAPTIONS);
        assertEquals(5, c.distinctWords());
        assertEquals(2, c.unknownWords(), "cat and the");
        assertEquals(10, c.occurrences());
        assertEquals(2, c.unknownOccurrences());
        assertEquals(0.2, c.unknownShare(), 1e-12);
        assertEquals(0.0, v.coverage(List.of()).unknownShare());
    }

    @Test
    void anEmptyCorpusGivesOnlyTheSpecials() {
        Vocabulary v = Vocabulary.build(List.of(), 5);
        assertEquals(Vocabulary.SPECIALS, v.words());
        assertEquals(4, v.size());
        assertEquals(4, Vocabulary.build(CAPTIONS, 4).size(), "no word reaches the cut");
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(CAPTIONS, 0));
    }

    @Test
    void savesAndLoadsTheSameVocabulary() throws IOException {
        Vocabulary v = Vocabulary.build(CAPTIONS, 2);
        Path file = dir.resolve("sub/vocab.json");
        v.save(file);
        Vocabulary back = Vocabulary.load(file);
        assertEquals(v, back);
        assertEquals(3, back.count("dog"));
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("glimpse-vocab", json.get("format").asText());
        assertEquals(1, json.get("version").asInt());
        assertEquals(2, json.get("minFreq").asInt());
        assertEquals("<pad>", json.get("words").get(0).asText());
        assertEquals(3, json.get("counts").get(4).asInt());
        // overwriting leaves only the target, no temporary file
        Vocabulary.build(CAPTIONS, 1).save(file);
        assertEquals(9, Vocabulary.load(file).size());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void embedsInAnotherJsonDocument() {
        Vocabulary v = Vocabulary.build(CAPTIONS, 1);
        ObjectNode bundle = new ObjectMapper().createObjectNode();
        bundle.put("modelFormat", 1);
        bundle.set("vocabulary", v.toJson());
        assertEquals(v, Vocabulary.fromJson(bundle.get("vocabulary"), "bundle m.zip"));
        InputException e = assertThrows(InputException.class,
                () -> Vocabulary.fromJson(bundle.get("missing"), "bundle m.zip"));
        assertEquals("bundle m.zip: expected a JSON object, found nothing", e.getMessage());
    }

    @Test
    void refusesCorruptedFiles() throws IOException {
        String ok = "\"format\":\"glimpse-vocab\",\"version\":1,\"minFreq\":1";
        String specials = "\"<pad>\",\"<start>\",\"<end>\",\"<unk>\"";
        assertRefused("{" + ok + ",\"words\":[" + specials + ",\"dog\"],\"counts\":[0,0,0,0,2]",
                "malformed JSON at line 1, column ");
        assertRefused("", "empty file");
        assertRefused("[]", "expected a JSON object, found a list");
        assertRefused("{\"format\":\"glimpse-bundle\"}",
                "not a glimpse vocabulary (\"format\" is \"glimpse-bundle\", expected \"glimpse-vocab\")");
        assertRefused("{\"format\":\"glimpse-vocab\",\"version\":2,\"minFreq\":1,\"words\":[],\"counts\":[]}",
                "version 2 was written by a newer glimpse (this one reads version 1)");
        assertRefused("{\"format\":\"glimpse-vocab\",\"version\":1,\"minFreq\":0,\"words\":[],\"counts\":[]}",
                "\"minFreq\" must be at least 1, got 0");
        assertRefused("{" + ok + ",\"words\":[\"<start>\",\"<pad>\",\"<end>\",\"<unk>\"],\"counts\":[0,0,0,0]}",
                "id 0 is \"<start>\", expected the special token <pad> (specials come first: [<pad>, <start>, <end>, <unk>])");
        assertRefused("{" + ok + ",\"words\":[\"<pad>\",\"<start>\"],\"counts\":[0,0]}",
                "only 2 words; the special tokens [<pad>, <start>, <end>, <unk>] are missing");
        assertRefused("{" + ok + ",\"words\":[" + specials + ",\"dog\",\"cat\",\"dog\"],\"counts\":[0,0,0,0,3,2,1]}",
                "word \"dog\" appears twice (ids 4 and 6)");
        assertRefused("{" + ok + ",\"words\":[" + specials + ",\"dog\"],\"counts\":[0,0,0,0]}",
                "\"counts\" has 4 numbers for 5 words");
        assertRefused("{" + ok + ",\"words\":[" + specials + ",\"dog\"],\"counts\":[0,0,0,0,-1]}",
                "count 4 is -1, expected a whole number >= 0");
        assertRefused("{" + ok + ",\"words\":[" + specials + ",\"\"],\"counts\":[0,0,0,0,1]}",
                "word 4 is empty, expected a non-empty string");
        assertRefused("{" + ok + ",\"counts\":[]}", "\"words\" must be a list of strings");
        assertRefused("{\"format\":\"glimpse-vocab\",\"minFreq\":1}", "\"version\" must be a whole number, found nothing");
    }

    private void assertRefused(String json, String expected) throws IOException {
        Path file = dir.resolve("vocab.json");
        Files.writeString(file, json);
        InputException e = assertThrows(InputException.class, () -> Vocabulary.load(file));
        assertTrue(e.getMessage().startsWith("vocabulary file " + file + ": " + expected), e.getMessage());
    }

    @Test
    void refusesAMissingFile() {
        InputException e = assertThrows(InputException.class, () -> Vocabulary.load(dir.resolve("none.json")));
        assertEquals("vocabulary file " + dir.resolve("none.json") + ": no such file", e.getMessage());
    }
}

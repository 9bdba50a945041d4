package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator end to end, CaptionScores and their JSON. Captions here are lower-case words without
 * punctuation, which any tokenizer leaves as they are, so the expected values do not depend on it.
 */
class CocoEvaluatorTest {
    @TempDir
    Path dir;

    private static EvalSet captions() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        refs.put("42", List.of("a dog runs on the grass", "a brown dog running"));
        cands.put("42", "a dog runs");
        refs.put("7", List.of("a red bus on a street", "a bus parked"));
        cands.put("7", "a red bus");
        refs.put("im 9", List.of("two cats sleeping"));
        cands.put("im 9", "");
        return new EvalSet(refs, cands);
    }

    @Test
    void runsEveryScorerAndNamesTheMetricsAsTheToolkit() {
        CaptionScores scores = new CocoEvaluator().evaluate(captions());
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"), List.copyOf(scores.corpus().keySet()));
        assertFalse(scores.hasMeteor());
        assertTrue(scores.score("METEOR").isEmpty());                                // absent, not 0
        EvalSet set = captions();
        List<MetricScore> direct = Stream.of(new Bleu(), new RougeL(), new CiderD())
                .flatMap(s -> s.score(set).stream()).toList();
        for (MetricScore m : direct) {
            assertEquals(m.corpus(), scores.score(m.name()).getAsDouble(), 0.0, m.name());
            m.perImage().forEach((id, s) -> assertEquals(s, scores.score(id, m.name()).getAsDouble(), 0.0));
        }
        // the empty candidate scores 0 under every metric
        for (String metric : scores.corpus().keySet()) {
            assertEquals(0.0, scores.score("im 9", metric).getAsDouble(), 0.0, metric);
        }
        assertEquals(List.of("42", "7", "im 9"), List.copyOf(scores.perImage().keySet()));
    }

    @Test
    void evaluatesFilesAndWritesJsonWithMeteorNull() throws IOException {
        Path results = Files.writeString(dir.resolve("results.json"),
                "[{\"image_id\": 7, \"caption\": \"a red bus\"}, {\"image_id\": 42, \"caption\": \"a dog runs\"}]");
        Path annotations = Files.writeString(dir.resolve("captions.json"), """
                {"images": [{"id": 7}, {"id": 42}, {"id": 5}], "annotations": [
                  {"image_id": 42, "caption": "a dog runs on the grass"}, {"image_id": 7, "caption": "a red bus on a street"},
                  {"image_id": 5, "caption": "a cat"}, {"image_id": 7, "caption": "a bus parked"}]}""");
        CaptionScores scores = CocoEvaluator.withMeteorJar(null).evaluate(results, annotations);
        assertEquals(List.of("7", "42"), List.copyOf(scores.perImage().keySet()));

        Path out = dir.resolve("out/scores.json");
        ScoresJson.write(scores, out);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals(CaptionScores.METRICS, iterable(json.get("metrics").fieldNames()));
        assertTrue(json.get("metrics").get("METEOR").isNull());
        assertEquals(scores.score("CIDEr").getAsDouble(), json.get("metrics").get("CIDEr").asDouble(), 0.0);
        assertEquals(7, json.get("images").get(0).get("image_id").asInt());
        assertTrue(json.get("images").get(0).get("image_id").isInt());
        assertTrue(json.get("images").get(1).get("METEOR").isNull());
        assertEquals(scores, ScoresJson.read(out));                                  // exact round trip
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList());                              // no temporary file left
        }
    }

    @Test
    void jsonKeepsTextIdsAsStringsAndReplacesAnOlderFile() throws IOException {
        Path out = Files.writeString(dir.resolve("scores.json"), "old");
        CaptionScores scores = new CocoEvaluator().evaluate(captions());
        ScoresJson.write(scores, out);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertTrue(json.get("images").get(2).get("image_id").isTextual());
        assertEquals("im 9", json.get("images").get(2).get("image_id").asText());
        assertEquals(scores, ScoresJson.read(out));
        Files.writeString(out, "{\"metrics\": 3}");
        assertThrows(InputException.class, () -> ScoresJson.read(out));
    }

    @Test
    void meteorRunsWhenARunnerIsGiven() throws IOException {
        // FakeMeteor through the classpath; its scores are matched candidate words over candidate words.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        MeteorRunner meteor = MeteorRunner.of(List.of(java, "-cp", System.getProperty("java.class.path"),
                "ai.glimpse.eval.FakeMeteor", "normal"), dir, Duration.ofSeconds(30));
        CaptionScores scores = new CocoEvaluator(Optional.of(meteor)).evaluate(captions());
        assertEquals(CaptionScores.METRICS, List.copyOf(scores.corpus().keySet()));
        assertEquals(1.0, scores.score("42", "METEOR").getAsDouble(), 0.0);         // a, dog, runs all matched
        assertEquals(0.0, scores.score("im 9", "METEOR").getAsDouble(), 0.0);
        assertEquals(1.0, scores.score("METEOR").getAsDouble(), 0.0);                // 6 of 6 words
    }

    @Test
    void evalSetRefusesMismatchedOrEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> new EvalSet(Map.of("1", List.of("a")), Map.of("2", "a")));
        assertThrows(IllegalArgumentException.class, () -> new EvalSet(Map.of("1", List.of()), Map.of("1", "a")));
        assertThrows(IllegalArgumentException.class, () -> new EvalSet(Map.of(), Map.of()));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}

package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden values from the official scorer: {@code toolkit-golden.json} holds 16 tokenized images
 * (random captions over a small vocabulary, an exact copy, repeated words, an empty candidate, a
 * one-word image with one reference) and the scores pycocoevalcap (salaniz/pycocoevalcap ad63453) gave
 * for them with {@code Bleu(4)}, {@code Rouge()} and {@code Cider()}. Every corpus and per-image
 * value must agree to 1e-12.
 */
class ToolkitGoldenTest {

    @Test
    void bleuRougeAndCiderMatchPycocoevalcap() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("toolkit-golden.json")) {
            root = new ObjectMapper().readTree(in);
        }
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        for (JsonNode image : root.get("images")) {
            List<String> r = new ArrayList<>();
            image.get("references").forEach(x -> r.add(x.asText()));
            refs.put(image.get("image_id").asText(), r);
            cands.put(image.get("image_id").asText(), image.get("candidate").asText());
        }
        EvalSet set = new EvalSet(refs, cands);
        assertEquals(16, set.size());

        List<MetricScore> scores = new ArrayList<>(new Bleu().score(set));
        scores.addAll(new RougeL().score(set));
        scores.addAll(new CiderD().score(set));
        assertEquals(6, scores.size());
        for (MetricScore m : scores) {
            JsonNode expected = root.get("expected").get(m.name());
            assertEquals(expected.get("corpus").asDouble(), m.corpus(), 1e-12, m.name() + " corpus");
            assertEquals(set.size(), m.perImage().size());
            m.perImage().forEach((id, s) ->
                    assertEquals(expected.get("images").get(id).asDouble(), s, 1e-12, m.name() + " of image " + id));
        }
    }
}

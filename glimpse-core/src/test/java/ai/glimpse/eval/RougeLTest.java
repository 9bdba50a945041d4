package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ROUGE-L values worked out by hand from the toolkit's rouge.py (beta = 1.2, so beta^2 = 1.44). */
class RougeLTest {

    private static String[] t(String s) {
        return s.split(" ");
    }

    @Test
    void longestCommonSubsequence() {
        assertEquals(4, RougeL.lcs(t("a b c b d a b"), t("b d c a b a")));   // e.g. "b c b a"
        assertEquals(4, RougeL.lcs(t("b d c a b a"), t("a b c b d a b")));   // symmetric
        assertEquals(0, RougeL.lcs(t("x y"), t("a b c")));
        assertEquals(3, RougeL.lcs(t("a b c"), t("a b c")));
    }

    @Test
    void fMeasureOfASmallPair() {
        // candidate "the cat sat on the mat" (6), reference "a cat was sitting on the mat" (7):
        // LCS = "cat on the mat" = 4 -> P = 4/6, R = 4/7
        // F = 2.44 * (2/3)(4/7) / (4/7 + 1.44 * 2/3) = (19.52/21) / (10.72/7) = 19.52 / 32.16 = 0.6069652
        double f = RougeL.score("the cat sat on the mat", List.of("a cat was sitting on the mat"));
        assertEquals(19.52 / 32.16, f, 1e-15);
    }

    @Test
    void precisionAndRecallAreMaximisedSeparatelyOverReferences() {
        // candidate "a b c d"; ref 1 "a b c d e f g h": LCS 4 -> P = 1, R = 1/2;
        // ref 2 "a b": LCS 2 -> P = 1/2, R = 1. The toolkit takes max P = 1 (ref 1) and max R = 1
        // (ref 2): F = 2.44 / (1 + 1.44) = 1, although each reference alone gives only 0.63 or 0.71.
        double f = RougeL.score("a b c d", List.of("a b c d e f g h", "a b"));
        assertEquals(1.0, f, 1e-15);
        assertEquals(2.44 * 0.5 / (0.5 + 1.44), RougeL.score("a b c d", List.of("a b c d e f g h")), 1e-15);
    }

    @Test
    void corpusIsTheMeanOverImagesAndEmptyCandidateScoresZero() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        refs.put("1", List.of("a dog"));
        cands.put("1", "a dog");                 // P = R = 1 -> F = 1
        refs.put("2", List.of("a dog runs"));
        cands.put("2", "");                      // split(" ") gives one empty token: P = R = 0 -> 0
        refs.put("3", List.of("red bus"));
        cands.put("3", "a red bus");             // P = 2/3, R = 1 -> 2.44 * 2/3 / (1 + 0.96) = 0.8299320
        MetricScore s = new RougeL().score(refs, cands).get(0);
        assertEquals("ROUGE_L", s.name());
        assertEquals(1.0, s.perImage().get("1"), 1e-15);
        assertEquals(0.0, s.perImage().get("2"), 0.0);
        double third = 2.44 * (2.0 / 3.0) / 1.96;
        assertEquals(third, s.perImage().get("3"), 1e-15);
        assertEquals((1.0 + 0.0 + third) / 3, s.corpus(), 1e-15);
    }
}

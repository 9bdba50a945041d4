package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CIDEr-D values worked out by hand from the toolkit's cider_scorer.py (sigma 6, clipping, x10). */
class CiderDTest {

    @Test
    void twoImageCorpusByHand() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        refs.put("A", List.of("a dog runs", "a dog sits"));
        cands.put("A", "a dog dog");
        refs.put("B", List.of("a cat runs", "the cat"));
        cands.put("B", "a cat");
        // (pycocoevalcap's Cider() gives 2.652638142767371 with per-image [2.31694174, 2.98833455].)
        // N = 2 images, L = ln 2. Document frequency (images whose references hold the n-gram):
        //   "a", "runs": 2 -> idf ln2 - ln2 = 0; every other reference n-gram: 1 -> idf L - ln1 = L;
        //   n-grams in no reference ("dog dog", "a dog dog"): df 0 -> L - ln(max(1, 0)) = L.
        // Weights are tf * idf; L cancels in every cosine below.
        //
        // Image A, candidate "a dog dog" (bigram count 2):
        //   1-grams {a: 0, dog: 2L}, norm 2L; 2-grams {a dog: L, dog dog: L}, norm L*sqrt2; 3-gram {a dog dog: L}
        //   ref "a dog runs" (bigrams 2, delta 0): 1-grams {a: 0, dog: L, runs: 0}, norm L
        //     n=1: min(2L, L) * L = L^2 (clipped: unclipped would be 2L^2), / (2L * L) = 1/2
        //     n=2: "a dog" L * L / (L sqrt2 * L sqrt2) = 1/2;  n=3: "a dog dog" not in ref -> 0;  n=4: 0
        //   ref "a dog sits" (delta 0): 1-grams {a: 0, dog: L, sits: L}, norm L*sqrt2
        //     n=1: L^2 / (2L * L sqrt2) = 1/(2 sqrt2);  n=2: 1/2;  n=3, n=4: 0
        //   score A = 10 * mean_n(sum over refs) / 2 refs = 10/8 * (1/2 + 1/(2 sqrt2) + 1) = 2.3169417
        double scoreA = 10.0 / 8 * (0.5 + 1 / (2 * Math.sqrt(2)) + 1.0);
        // Image B, candidate "a cat" (bigram count 1): 1-grams {a: 0, cat: L}, norm L; 2-grams {a cat: L}, norm L
        //   ref "a cat runs" (bigram count 2, delta -1 -> penalty e^(-1/72) = 0.9862071):
        //     n=1: L^2 / (L * L) = 1;  n=2: L^2 / (L * L sqrt2) = 1/sqrt2;  both times the penalty
        //   ref "the cat" (delta 0): 1-grams {the: L, cat: L}, norm L sqrt2
        //     n=1: L^2 / (L * L sqrt2) = 1/sqrt2;  n=2: "a cat" vs "the cat" -> 0
        //   score B = 10/8 * (pen + pen/sqrt2 + 1/sqrt2) = 2.9883345
        double pen = Math.exp(-1.0 / 72);
        double scoreB = 10.0 / 8 * (pen + pen / Math.sqrt(2) + 1 / Math.sqrt(2));
        MetricScore s = new CiderD().score(refs, cands).get(0);
        assertEquals("CIDEr", s.name());
        assertEquals(2.3169417382, s.perImage().get("A"), 1e-9);
        assertEquals(scoreA, s.perImage().get("A"), 1e-12);
        assertEquals(2.9883345473, s.perImage().get("B"), 1e-9);
        assertEquals(scoreB, s.perImage().get("B"), 1e-12);
        assertEquals((scoreA + scoreB) / 2, s.corpus(), 1e-12);                  // 2.6526381428
    }

    @Test
    void identicalShortCaptionsCannotReachTenBecauseLongerOrdersAreEmpty() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        refs.put("1", List.of("a cat"));
        cands.put("1", "a cat");
        refs.put("2", List.of("a dog"));
        cands.put("2", "a dog");
        // n=1: {a: 0, cat: ln2} against itself -> cosine 1; n=2: {a cat: ln2} -> 1; n=3, n=4: no n-grams -> 0.
        // score = 10 * (1 + 1 + 0 + 0) / 4 / 1 ref = 5 for each image.
        MetricScore s = new CiderD().score(refs, cands).get(0);
        assertEquals(5.0, s.perImage().get("1"), 1e-12);
        assertEquals(5.0, s.perImage().get("2"), 1e-12);
        assertEquals(5.0, s.corpus(), 1e-12);
    }

    @Test
    void aSingleImageAlwaysScoresZero() {
        // N = 1: idf = ln1 - ln(max(1, df)) = 0 for every n-gram, so every vector is 0 (the toolkit's behaviour).
        MetricScore s = new CiderD().score(Map.of("1", List.of("a dog runs")), Map.of("1", "a dog runs")).get(0);
        assertEquals(0.0, s.corpus(), 0.0);
    }

    @Test
    void emptyCandidateScoresZeroAndKeepsTheOthers() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        refs.put("1", List.of("a cat"));
        cands.put("1", "a cat");
        refs.put("2", List.of("a dog"));
        cands.put("2", "");
        MetricScore s = new CiderD().score(refs, cands).get(0);
        assertEquals(5.0, s.perImage().get("1"), 1e-12);                         // as in the test above
        assertEquals(0.0, s.perImage().get("2"), 0.0);
        assertEquals(2.5, s.corpus(), 1e-12);
    }
}

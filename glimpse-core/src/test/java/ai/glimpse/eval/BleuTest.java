package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BLEU values worked out by hand from the toolkit's formulas (bleu_scorer.py, option "closest"). */
class BleuTest {
    private static final double E_HALF = Math.exp(-0.5);               // 0.6065306597126334

    private static List<MetricScore> bleu(String candidate, String... refs) {
        return new Bleu().score(Map.of("img", List.of(refs)), Map.of("img", candidate));
    }

    @Test
    void clippedPrecisionsAndBrevityPenaltyOfAFourWordCandidate() {
        List<MetricScore> s = bleu("the the cat sat", "the cat sat on a mat", "a cat is on a mat");
        // unigrams: the x2 (clipped to 1: no reference has "the" twice), cat, sat -> correct 3 of 4
        // bigrams: "the the", "the cat", "cat sat" -> "the cat" and "cat sat" are in ref 1 -> 2 of 3
        // trigrams: "the the cat", "the cat sat" -> 1 of 2; the 4-gram "the the cat sat" -> 0 of 1
        // both references have 6 words, the candidate 4 -> brevity penalty exp(1 - 6/4) = exp(-0.5)
        assertEquals(4, s.size());
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"), s.stream().map(MetricScore::name).toList());
        assertEquals(0.75 * E_HALF, s.get(0).corpus(), 1e-9);                           // 0.45489799478
        assertEquals(Math.sqrt(0.75 * 2.0 / 3.0) * E_HALF, s.get(1).corpus(), 1e-9);    // 0.42888194248
        assertEquals(Math.cbrt(0.75 * 2.0 / 3.0 * 0.5) * E_HALF, s.get(2).corpus(), 1e-9);
        // No 4-gram matches, yet BLEU-4 is not 0: p4 = (0 + 1e-15) / (1 + 1e-9) ~ 1e-15, so
        // BLEU-4 = (0.25 * 1e-15)^(1/4) * exp(-0.5) = 1.2574e-4 * 0.60653 = 7.6267e-5, as in the toolkit.
        assertEquals(Math.pow(0.25e-15, 0.25) * E_HALF, s.get(3).corpus(), 1e-12);
        // one image: its sentence BLEU equals the corpus BLEU
        for (MetricScore m : s) {
            assertEquals(m.corpus(), m.perImage().get("img"), 0.0);
        }
    }

    @Test
    void identicalCandidateScoresOneLessTheTinyConstants() {
        List<MetricScore> s = bleu("a man rides a horse", "a man rides a horse");
        // p_k = (c_k + 1e-15) / (c_k + 1e-9) ~ 1 - 1e-9 / c_k with c = 5, 4, 3, 2 matches, and since
        // (5 + 1e-15) / (5 + 1e-9) < 1 the brevity penalty applies too: exp(1 - 1/ratio) ~ 1 - 2e-10.
        // BLEU-1 ~ 1 - 2e-10 - 2e-10; BLEU-4 ~ 1 - (1e-9 / 4)(1/5 + 1/4 + 1/3 + 1/2) - 2e-10 = 1 - 5.2083e-10.
        assertEquals(1 - 4e-10, s.get(0).corpus(), 1e-15);
        assertEquals(1 - 5.208333e-10, s.get(3).corpus(), 1e-15);
        assertTrue(s.get(3).corpus() < 1.0);
    }

    @Test
    void candidateLongerThanTheReferenceHasNoBrevityPenalty() {
        List<MetricScore> s = bleu("a cat on a mat today", "a cat on a mat");
        // 5 of 6 unigrams, 4 of 5 bigrams ("mat today" is not in the reference); 6 > 5 words -> no penalty
        assertEquals(5.0 / 6.0, s.get(0).corpus(), 1e-9);
        assertEquals(Math.sqrt(5.0 / 6.0 * 4.0 / 5.0), s.get(1).corpus(), 1e-9);        // sqrt(2/3)
    }

    @Test
    void repeatedWordsAreClippedToTheirMostFrequentReferenceCount() {
        List<MetricScore> s = bleu("the the the the", "the cat", "the the dog");
        // "the" may match at most twice (ref 2) -> 2 of 4; "the the" at most once -> 1 of 3;
        // effective reference length: 3 (closest to 4) -> no penalty
        assertEquals(0.5, s.get(0).corpus(), 1e-9);
        assertEquals(Math.sqrt(0.5 / 3.0), s.get(1).corpus(), 1e-9);                     // 0.40824829
    }

    @Test
    void closestReferenceLengthPrefersTheShorterOnATie() {
        // 5 words between references of 4 and 6: the toolkit takes 4 -> no brevity penalty, BLEU-1 = 5/5.
        // (Taking 6 would give exp(1 - 6/5) = 0.8187.)
        assertEquals(1.0, bleu("a b c d e", "a b c d e f", "a b c d").get(0).corpus(), 1e-9);
        assertEquals(4, Bleu.closest(List.of(6, 4), 5));
        assertEquals(5, Bleu.closest(List.of(7, 3, 5), 5));
        assertEquals(9, Bleu.closest(List.of(2, 9), 6));
        assertEquals(3, Bleu.closest(List.of(7, 3), 5));
    }

    @Test
    void corpusScoreSumsCountsOverImagesAndIsNotTheMeanOfSentenceScores() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        refs.put("A", List.of("a cat sat"));
        cands.put("A", "a cat");
        refs.put("B", List.of("the dog runs"));
        cands.put("B", "the dog runs fast");
        List<MetricScore> s = new Bleu().score(refs, cands);
        // corpus: unigrams (2 + 3) / (2 + 4) = 5/6, bigrams (1 + 2) / (1 + 3) = 3/4, lengths 6 vs 3 + 3
        assertEquals(5.0 / 6.0, s.get(0).corpus(), 1e-9);
        assertEquals(Math.sqrt(5.0 / 6.0 * 0.75), s.get(1).corpus(), 1e-9);              // 0.79056942
        // sentence A: p1 = 1, penalty exp(1 - 3/2); sentence B: p1 = 3/4, no penalty
        assertEquals(E_HALF, s.get(0).perImage().get("A"), 1e-9);
        assertEquals(0.75, s.get(0).perImage().get("B"), 1e-9);
        // The toolkit's sentence-BLEU quirk: A has no trigram, so p3 = 1e-15 / 1e-9 = 1e-6, not 0:
        // BLEU-3(A) = (1 * 1 * 1e-6)^(1/3) * exp(-0.5) = 0.01 * 0.60653 (the 1e-9 in the other two
        // precisions and in the length ratio lower it by about 1e-9 relative, 6e-12 here)
        assertEquals(0.01 * E_HALF, s.get(2).perImage().get("A"), 1e-11);
        assertEquals(List.of("A", "B"), List.copyOf(s.get(0).perImage().keySet()));
    }

    @Test
    void emptyCandidateScoresZeroEverywhere() {
        // testLen 0: ratio = 1e-15 / (3 + 1e-9), so the brevity penalty exp(1 - 3e15) is exactly 0.
        for (MetricScore m : bleu("", "a dog runs")) {
            assertEquals(0.0, m.corpus(), 0.0);
            assertEquals(0.0, m.perImage().get("img"), 0.0);
        }
    }

    @Test
    void refusesOrderBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new Bleu(0));
    }
}

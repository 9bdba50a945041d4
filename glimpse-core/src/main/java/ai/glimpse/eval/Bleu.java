package ai.glimpse.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-1..n (Papineni et al. 2002) exactly as the COCO caption toolkit's {@code bleu_scorer.py}
 * computes it with {@code option='closest'}.
 *
 * <p>Per image: clipped n-gram matches (each candidate n-gram counts at most as often as in the
 * reference that has it most often), the number of candidate n-grams, and the effective reference
 * length, the reference length closest to the candidate's (ties go to the shorter). Corpus: the sums of
 * those over images give the precision {@code p_k = (correct_k + 1e-15) / (guess_k + 1e-9)}, BLEU-k is
 * the geometric mean {@code (p_1 ... p_k)^(1/k)}, multiplied by the brevity penalty
 * {@code exp(1 - 1/ratio)} when {@code ratio = (testLen + 1e-15) / (refLen + 1e-9) < 1}. The tiny
 * constants make an exact match score slightly below 1 (about {@code 1 - 1e-9 / length}) and a
 * zero-length candidate score 0 instead of dividing by zero.
 *
 * <p>Per-image scores are the toolkit's sentence BLEU: the same formulas on one image's counts, with
 * its quirks kept (an n-gram order the candidate is too short for has precision
 * {@code 1e-15 / 1e-9 = 1e-6} rather than 0 or 1).
 */
public final class Bleu implements CaptionScorer {
    /** Added to matches so that a precision with no guesses is defined ({@code tiny} in the toolkit). */
    static final double TINY = 1e-15;
    /** Added to guesses and reference lengths against division by zero ({@code small} in the toolkit). */
    static final double SMALL = 1e-9;

    private final int maxN;

    /** BLEU-1..4, what the toolkit's {@code Bleu(4)} reports. */
    public Bleu() {
        this(4);
    }

    /** BLEU-1..{@code maxN}. */
    public Bleu(int maxN) {
        if (maxN < 1) {
            throw new IllegalArgumentException("BLEU order must be >= 1, got " + maxN);
        }
        this.maxN = maxN;
    }

    /** Returns {@code Bleu_1}..{@code Bleu_n}, in that order. */
    @Override
    public List<MetricScore> score(EvalSet set) {
        long testLen = 0;
        long refLen = 0;
        long[] guess = new long[maxN];
        long[] correct = new long[maxN];
        List<Map<String, Double>> perImage = new ArrayList<>();
        for (int k = 0; k < maxN; k++) {
            perImage.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, String> e : set.candidates().entrySet()) {
            Counts c = counts(e.getValue(), set.references().get(e.getKey()));
            testLen += c.testLen;
            refLen += c.refLen;
            for (int k = 0; k < maxN; k++) {
                guess[k] += c.guess[k];
                correct[k] += c.correct[k];
            }
            double[] sentence = bleu(c.testLen, c.refLen, c.guess, c.correct);
            for (int k = 0; k < maxN; k++) {
                perImage.get(k).put(e.getKey(), sentence[k]);
            }
        }
        double[] corpus = bleu(testLen, refLen, guess, correct);
        List<MetricScore> scores = new ArrayList<>(maxN);
        for (int k = 0; k < maxN; k++) {
            scores.add(new MetricScore("Bleu_" + (k + 1), corpus[k], perImage.get(k)));
        }
        return scores;
    }

    /** BLEU-1..n from lengths and n-gram totals: the toolkit's {@code compute_score} formulas. */
    private double[] bleu(long testLen, long refLen, long[] guess, long[] correct) {
        double[] bleus = new double[maxN];
        double product = 1.0;
        for (int k = 0; k < maxN; k++) {
            product *= ((double) correct[k] + TINY) / ((double) guess[k] + SMALL);
            bleus[k] = Math.pow(product, 1.0 / (k + 1));
        }
        double ratio = (testLen + TINY) / (refLen + SMALL);
        if (ratio < 1) {
            double penalty = Math.exp(1 - 1 / ratio);
            for (int k = 0; k < maxN; k++) {
                bleus[k] *= penalty;
            }
        }
        return bleus;
    }

    /** The toolkit's {@code cook_refs} + {@code cook_test} for one image, with the closest reference length. */
    private Counts counts(String candidate, List<String> references) {
        Map<String, Integer> maxRefCounts = new HashMap<>();
        List<Integer> refLens = new ArrayList<>(references.size());
        for (String reference : references) {
            Ngrams ref = Ngrams.of(reference, maxN);
            refLens.add(ref.length());
            for (Map<String, Integer> kgrams : ref.counts()) {
                kgrams.forEach((gram, n) -> maxRefCounts.merge(gram, n, Math::max));
            }
        }
        Ngrams test = Ngrams.of(candidate, maxN);
        Counts c = new Counts(maxN);
        c.testLen = test.length();
        c.refLen = closest(refLens, test.length());
        for (int k = 0; k < maxN; k++) {
            c.guess[k] = test.total(k + 1);
            for (Map.Entry<String, Integer> g : test.counts().get(k).entrySet()) {
                c.correct[k] += Math.min(maxRefCounts.getOrDefault(g.getKey(), 0), g.getValue());
            }
        }
        return c;
    }

    /** The reference length closest to {@code testLen}; of two equally close, the shorter. */
    static int closest(List<Integer> refLens, int testLen) {
        int best = refLens.get(0);
        for (int len : refLens) {
            int d = Math.abs(len - testLen);
            int bestD = Math.abs(best - testLen);
            if (d < bestD || (d == bestD && len < best)) {
                best = len;
            }
        }
        return best;
    }

    /** One image's lengths and n-gram totals. */
    private static final class Counts {
        int testLen;
        int refLen;
        final long[] guess;
        final long[] correct;

        Counts(int n) {
            guess = new long[n];
            correct = new long[n];
        }
    }
}

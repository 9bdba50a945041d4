package ai.glimpse.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROUGE-L (Lin 2004), the longest-common-subsequence F-measure, exactly as the COCO caption toolkit's
 * {@code rouge.py} computes it.
 *
 * <p>Per image: for every reference, precision {@code LCS / |candidate|} and recall
 * {@code LCS / |reference|}; the maximum precision and the maximum recall over the references (taken
 * separately, so they may come from different references) give
 * {@code F = (1 + beta^2) P R / (R + beta^2 P)} with {@code beta = 1.2}, or 0 when either is 0. Tokens
 * are the caption split on single spaces like Python's {@code str.split(" ")}, so an empty caption is
 * one empty token and never divides by zero. Corpus: the mean over images.
 */
public final class RougeL implements CaptionScorer {
    /** The toolkit's beta, which weighs recall 1.2 times as much as precision. */
    static final double BETA = 1.2;

    /** Returns the one metric {@code ROUGE_L}. */
    @Override
    public List<MetricScore> score(EvalSet set) {
        Map<String, Double> perImage = new LinkedHashMap<>();
        double sum = 0;
        for (Map.Entry<String, String> e : set.candidates().entrySet()) {
            double score = score(e.getValue(), set.references().get(e.getKey()));
            perImage.put(e.getKey(), score);
            sum += score;
        }
        return List.of(new MetricScore("ROUGE_L", sum / perImage.size(), perImage));
    }

    /** The ROUGE-L F-measure of one candidate against its references (the toolkit's {@code calc_score}). */
    static double score(String candidate, List<String> references) {
        String[] cand = candidate.split(" ", -1);
        double precMax = 0;
        double recMax = 0;
        for (String reference : references) {
            String[] ref = reference.split(" ", -1);
            int lcs = lcs(ref, cand);
            precMax = Math.max(precMax, lcs / (double) cand.length);
            recMax = Math.max(recMax, lcs / (double) ref.length);
        }
        if (precMax == 0 || recMax == 0) {
            return 0.0;
        }
        double beta2 = BETA * BETA;
        return ((1 + beta2) * precMax * recMax) / (recMax + beta2 * precMax);
    }

    /** Length of the longest common subsequence of two token arrays (dynamic programming, two rows). */
    static int lcs(String[] a, String[] b) {
        int[] prev = new int[b.length + 1];
        int[] curr = new int[b.length + 1];
        for (String x : a) {
            for (int j = 1; j <= b.length; j++) {
                curr[j] = x.equals(b[j - 1]) ? prev[j - 1] + 1 : Math.max(prev[j], curr[j - 1]);
            }
            int[] t = prev;
            prev = curr;
            curr = t;
        }
        return prev[b.length];
    }
}

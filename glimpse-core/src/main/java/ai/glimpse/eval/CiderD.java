package ai.glimpse.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D (Vedantam et al. 2015), the metric the COCO caption toolkit reports as {@code CIDEr}:
 * exactly its {@code cider_scorer.py}, which is the CIDEr-D variant of the COCO leaderboard.
 *
 * <p>Document frequencies come from the references of the evaluated images only ("corpus" mode):
 * {@code df(g)} is the number of images with n-gram {@code g} in any of their references. An n-gram
 * counted {@code tf} times in a sentence weighs {@code tf * (log(N) - log(max(1, df(g))))}, N the number
 * of evaluated images (so a single image always scores 0). For each order n = 1..4 and each reference,
 * the candidate's weights are clipped by the reference's, {@code sum_g min(c_g, r_g) r_g}, divided by
 * the two (unclipped) vector norms when both are non-zero, and multiplied by the Gaussian length penalty
 * {@code e^(-delta^2 / (2 sigma^2))}, sigma = 6. The image's score is the mean over orders of the sum
 * over references, divided by the number of references, times 10; the corpus score is the mean over
 * images. As in the toolkit, {@code delta} is the difference of the two sentences' <em>bigram</em>
 * counts ({@code max(0, words - 1)}) rather than of their word counts; the two agree whenever both
 * sentences have words, the only case in which the similarity is not 0 anyway.
 */
public final class CiderD implements CaptionScorer {
    private final int maxN;
    private final double sigma;

    /** CIDEr-D over 1..4-grams with sigma 6, what the toolkit's {@code Cider()} computes. */
    public CiderD() {
        this(4, 6.0);
    }

    /** CIDEr-D over 1..{@code maxN}-grams with length-penalty width {@code sigma}. */
    public CiderD(int maxN, double sigma) {
        if (maxN < 1) {
            throw new IllegalArgumentException("CIDEr n-gram order must be >= 1, got " + maxN);
        }
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("CIDEr sigma must be > 0, got " + sigma);
        }
        this.maxN = maxN;
        this.sigma = sigma;
    }

    /** Returns the one metric {@code CIDEr}. */
    @Override
    public List<MetricScore> score(EvalSet set) {
        Map<String, List<Ngrams>> refs = new LinkedHashMap<>();
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (String id : set.candidates().keySet()) {
            List<Ngrams> imageRefs = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String reference : set.references().get(id)) {
                Ngrams ref = Ngrams.of(reference, maxN);
                imageRefs.add(ref);
                ref.counts().forEach(kgrams -> seen.addAll(kgrams.keySet()));
            }
            refs.put(id, imageRefs);
            seen.forEach(gram -> documentFrequency.merge(gram, 1, Integer::sum));
        }
        double logImages = Math.log((double) set.size());

        Map<String, Double> perImage = new LinkedHashMap<>();
        double sum = 0;
        for (Map.Entry<String, String> e : set.candidates().entrySet()) {
            Weights hyp = weights(Ngrams.of(e.getValue(), maxN), documentFrequency, logImages);
            List<Ngrams> imageRefs = refs.get(e.getKey());
            double[] total = new double[maxN];
            for (Ngrams ref : imageRefs) {
                double[] sim = similarity(hyp, weights(ref, documentFrequency, logImages));
                for (int k = 0; k < maxN; k++) {
                    total[k] += sim[k];
                }
            }
            double mean = 0;
            for (double t : total) {
                mean += t;
            }
            double score = mean / maxN / imageRefs.size() * 10.0;
            perImage.put(e.getKey(), score);
            sum += score;
        }
        return List.of(new MetricScore("CIDEr", sum / perImage.size(), perImage));
    }

    /** Per order: clipped dot product over the norms, times the Gaussian length penalty (the toolkit's {@code sim}). */
    private double[] similarity(Weights hyp, Weights ref) {
        double delta = hyp.length - ref.length;
        double penalty = Math.pow(Math.E, -(delta * delta) / (2 * sigma * sigma));
        double[] val = new double[maxN];
        for (int k = 0; k < maxN; k++) {
            Map<String, Double> r = ref.byOrder.get(k);
            for (Map.Entry<String, Double> g : hyp.byOrder.get(k).entrySet()) {
                double rg = r.getOrDefault(g.getKey(), 0.0);
                val[k] += Math.min(g.getValue(), rg) * rg;
            }
            if (hyp.norm[k] != 0 && ref.norm[k] != 0) {
                val[k] /= hyp.norm[k] * ref.norm[k];
            }
            val[k] *= penalty;
        }
        return val;
    }

    /** TF-IDF weights of a sentence's n-grams, their norms per order and its bigram count (the toolkit's {@code counts2vec}). */
    private Weights weights(Ngrams sentence, Map<String, Integer> documentFrequency, double logImages) {
        List<Map<String, Double>> byOrder = new ArrayList<>(maxN);
        double[] norm = new double[maxN];
        for (int k = 0; k < maxN; k++) {
            Map<String, Double> w = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> g : sentence.counts().get(k).entrySet()) {
                double logDf = Math.log(Math.max(1.0, documentFrequency.getOrDefault(g.getKey(), 0)));
                double weight = g.getValue() * (logImages - logDf);
                w.put(g.getKey(), weight);
                norm[k] += weight * weight;
            }
            norm[k] = Math.sqrt(norm[k]);
            byOrder.add(w);
        }
        int bigrams = maxN >= 2 ? sentence.total(2) : 0;
        return new Weights(byOrder, norm, bigrams);
    }

    /** One sentence as the toolkit's vector: weights per order, norms per order, bigram count. */
    private record Weights(List<Map<String, Double>> byOrder, double[] norm, int length) {
    }
}

package ai.glimpse.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The result of one evaluation, as the COCO caption toolkit's {@code COCOEvalCap} holds it: the corpus
 * score of each metric ({@code eval}) and every image's scores ({@code imgToEval}), under the toolkit's
 * metric names. A metric that was not computed (METEOR without its jar) is absent, never 0.
 *
 * @param corpus   metric name to corpus score, in {@link #METRICS} order, computed metrics only
 * @param perImage image id to (metric name to score), in evaluation order, the same metrics as {@code corpus}
 */
public record CaptionScores(Map<String, Double> corpus, Map<String, Map<String, Double>> perImage) {
    /** The toolkit's metric names in its reporting order (SPICE is not computed). */
    public static final List<String> METRICS =
            List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L", "CIDEr");

    public CaptionScores {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(perImage, "perImage");
        Map<String, Double> c = new LinkedHashMap<>();
        for (String metric : METRICS) {
            if (corpus.containsKey(metric)) {
                c.put(metric, Objects.requireNonNull(corpus.get(metric), metric));
            }
        }
        if (c.size() != corpus.size()) {
            throw new IllegalArgumentException("unknown metric among " + corpus.keySet() + "; known: " + METRICS);
        }
        Map<String, Map<String, Double>> p = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Double>> e : perImage.entrySet()) {
            if (!e.getValue().keySet().equals(c.keySet())) {
                throw new IllegalArgumentException("image " + e.getKey() + " has scores for " + e.getValue().keySet()
                        + " but the corpus for " + c.keySet());
            }
            Map<String, Double> scores = new LinkedHashMap<>();
            c.keySet().forEach(m -> scores.put(m, e.getValue().get(m)));
            p.put(e.getKey(), Collections.unmodifiableMap(scores));
        }
        corpus = Collections.unmodifiableMap(c);
        perImage = Collections.unmodifiableMap(p);
    }

    /** Gathers scorer outputs; every metric must cover the same images. */
    public static CaptionScores of(List<MetricScore> metrics) {
        Map<String, Double> corpus = new LinkedHashMap<>();
        Map<String, Map<String, Double>> perImage = new LinkedHashMap<>();
        for (MetricScore m : metrics) {
            if (corpus.put(m.name(), m.corpus()) != null) {
                throw new IllegalArgumentException("metric " + m.name() + " given twice");
            }
            if (!perImage.isEmpty() && !perImage.keySet().equals(m.perImage().keySet())) {
                throw new IllegalArgumentException("metric " + m.name() + " scored other images than the others");
            }
            m.perImage().forEach((id, s) -> perImage.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(m.name(), s));
        }
        return new CaptionScores(corpus, perImage);
    }

    /** The corpus score of {@code metric}, empty when it was not computed. */
    public OptionalDouble score(String metric) {
        Double s = corpus.get(metric);
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(s);
    }

    /** The score of one image under {@code metric}, empty when either is unknown. */
    public OptionalDouble score(String imageId, String metric) {
        Map<String, Double> scores = perImage.get(imageId);
        Double s = scores == null ? null : scores.get(metric);
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(s);
    }

    /** Whether METEOR was computed (a jar was given). */
    public boolean hasMeteor() {
        return corpus.containsKey("METEOR");
    }
}

package ai.glimpse.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One metric's result: the corpus score and the per-image scores, as the toolkit's
 * {@code COCOEvalCap.eval[name]} and {@code imgToEval[id][name]} hold them.
 *
 * @param name     the toolkit's name of the metric: {@code Bleu_1}..{@code Bleu_4}, {@code METEOR},
 *                 {@code ROUGE_L}, {@code CIDEr}
 * @param corpus   the corpus-level score
 * @param perImage the score of each image, in evaluation order
 */
public record MetricScore(String name, double corpus, Map<String, Double> perImage) {
    public MetricScore {
        Objects.requireNonNull(name, "name");
        if (Double.isNaN(corpus)) {
            throw new IllegalArgumentException(name + ": corpus score is NaN");
        }
        perImage = Collections.unmodifiableMap(new LinkedHashMap<>(perImage));
    }
}

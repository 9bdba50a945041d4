package ai.glimpse.eval;

import java.util.List;
import java.util.Map;

/**
 * A caption metric of the COCO caption toolkit: scores tokenized candidates against tokenized
 * references and returns one {@link MetricScore} per metric it computes (BLEU gives four).
 */
public sealed interface CaptionScorer permits Bleu, RougeL, CiderD, MeteorRunner {

    /** Scores the candidates of {@code set}, whose captions are tokens joined by single spaces. */
    List<MetricScore> score(EvalSet set);

    /** Convenience for {@link #score(EvalSet)} on plain maps keyed by image id. */
    default List<MetricScore> score(Map<String, List<String>> references, Map<String, String> candidates) {
        return score(new EvalSet(references, candidates));
    }
}

package ai.glimpse.model;

import static ai.glimpse.model.WordDetector.*;

import org.nd4j.autodiff.samediff.SDVariable;

/** {@link WordDetector} as a SameDiff graph, the oracle of its hand-written loss and gradients. */
final class WordDetectorGraph {
    private WordDetectorGraph() {
    }

    /** Region features [N, L, D] to word scores [N, K] (logits) of each channel's strongest response. */
    static SDVariable imageScores(ModelGraph g, SDVariable perImage) {
        return g.linear(perImage.max(1), W, B);                            // [N, D] max over regions, then [N, K]
    }

    /**
     * Logistic loss of scores [B, K] against present [B, K] (1 where the caption uses the word), summed
     * over the vocabulary and averaged over captions: softplus(s) - y s = -log sigmoid(+-s).
     */
    static SDVariable loss(ModelGraph g, SDVariable scores, SDVariable present) {
        return g.sd().nn().softplus(scores).sub(present.mul(scores)).sum(1).mean(); // []
    }
}

package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Word detectors on the encoder's regions, a multiple-instance auxiliary loss in the spirit of Fang et
 * al. 2015 ("From captions to visual concepts and back"): each feature channel is max-pooled over the
 * regions (global max pooling, as Oquab et al. 2015 do for weakly supervised localisation), a linear
 * layer scores every vocabulary word from the pooled vector, and a logistic loss asks those scores to
 * tell which words the caption uses. Used only as an auxiliary training loss of the {@code small}
 * encoder ({@link ModelConfig#wordLoss()}): its gradient reaches the CNN through each channel's
 * strongest region, so a word such as "star" trains the cells that hold the star from the first step,
 * where the decoder's mean feature and near-uniform early attention spread it over the textured
 * background. Captioning never reads the detectors.
 */
public final class WordDetector {
    static final String W = "aux.words.W";
    static final String B = "aux.words.b";

    private WordDetector() {
    }

    /** Detector weights [D, K] (Xavier) and biases [K] at -ln K, so each word starts at a prior of about 1/K. */
    static void init(ModelConfig c, ParameterSet p, SplittableRandom rng) {
        p.addXavier(W, rng, c.featureDim(), c.vocabSize(), c.featureDim(), c.vocabSize());
        p.addConstant(B, -Math.log(c.vocabSize()), c.vocabSize());
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

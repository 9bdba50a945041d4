package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Word detectors on the encoder's regions, trained by multiple-instance learning (Fang et al. 2015,
 * "From captions to visual concepts and back"): a linear score of every vocabulary word in every region,
 * the image's score of a word is its best region's, and a logistic loss asks those scores to tell which
 * words the caption uses. Used only as an auxiliary training loss of the {@code small} encoder
 * ({@link ModelConfig#wordLoss()}): its gradient reaches the CNN through the one region that scores a
 * word best, so a word such as "star" trains the cells that hold the star from the first step, where
 * the decoder's mean feature and near-uniform early attention spread it over the textured background.
 * Captioning never reads the detectors.
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

    /** Region features [N, L, D] to each word's best score over the regions [N, K] (logits). */
    static SDVariable imageScores(ModelGraph g, ModelConfig c, SDVariable perImage) {
        return g.linear(perImage.reshape(-1, c.featureDim()), W, null)     // [N*L, K]
                .reshape(-1, c.regions(), c.vocabSize())                   // [N, L, K]
                .max(1)                                                    // [N, K], max over regions
                .add(g.param(B));                                          // [N, K]
    }

    /**
     * Logistic loss of scores [B, K] against present [B, K] (1 where the caption uses the word), summed
     * over the vocabulary and averaged over captions: softplus(s) - y s = -log sigmoid(+-s).
     */
    static SDVariable loss(ModelGraph g, SDVariable scores, SDVariable present) {
        return g.sd().nn().softplus(scores).sub(present.mul(scores)).sum(1).mean(); // []
    }
}

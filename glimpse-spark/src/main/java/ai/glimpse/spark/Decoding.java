package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.decode.SearchStrategy;
import java.io.Serializable;

/**
 * How the caption job searches, checked as {@code glimpse caption} checks its options; serializable,
 * to travel with the tasks.
 *
 * @param beam          beam width, 1 (greedy) to {@link #MAX_BEAM}
 * @param lengthPenalty beam score = log p / steps^lengthPenalty
 * @param maxLength     most words in a caption, 1 to {@link ModelConfig#MAX_LENGTH}
 * @param attention     whether rows carry each caption's alphas and betas
 */
record Decoding(int beam, double lengthPenalty, int maxLength, boolean attention) implements Serializable {
    /** The widest beam {@code glimpse caption} accepts. */
    static final int MAX_BEAM = 50;

    Decoding {
        if (beam < 1 || beam > MAX_BEAM) {
            throw new InputException("--beam must be between 1 and " + MAX_BEAM + ", got " + beam);
        }
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new InputException("--length-penalty must be >= 0, got " + lengthPenalty);
        }
        if (maxLength < 1 || maxLength > ModelConfig.MAX_LENGTH) {
            throw new InputException("--max-length must be between 1 and " + ModelConfig.MAX_LENGTH + ", got " + maxLength);
        }
    }

    /** Greedy for a beam of 1, else beam search, as {@code glimpse caption}. */
    SearchStrategy strategy() {
        return beam == 1 ? new SearchStrategy.Greedy() : new SearchStrategy.Beam(beam, lengthPenalty);
    }
}

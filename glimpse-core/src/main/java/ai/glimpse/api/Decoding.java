package ai.glimpse.api;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.decode.SearchStrategy;

/**
 * How a caption is searched for: beam width (1 is greedy search), most words, and the beam's length
 * penalty, as {@code glimpse caption --beam --max-length --length-penalty} take them.
 *
 * @param beam          beam width, 1..{@value #MAX_BEAM}; 1 is greedy search
 * @param maxLength     most words in a caption, 1..{@value ModelConfig#MAX_LENGTH}, or 0 for the model's own
 * @param lengthPenalty a finished beam scores log p / steps^lengthPenalty; 0 ranks by raw log-probability
 */
public record Decoding(int beam, int maxLength, double lengthPenalty) {
    /** The widest beam accepted, as on the command line (memory grows faster than the beam). */
    public static final int MAX_BEAM = 50;

    public Decoding {
        if (beam < 1 || beam > MAX_BEAM) {
            throw new IllegalArgumentException("beam must be between 1 and " + MAX_BEAM + ", got " + beam);
        }
        if (maxLength < 0 || maxLength > ModelConfig.MAX_LENGTH) {
            throw new IllegalArgumentException("max length must be between 1 and " + ModelConfig.MAX_LENGTH
                    + " (0: the model's), got " + maxLength);
        }
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new IllegalArgumentException("length penalty must be >= 0, got " + lengthPenalty);
        }
    }

    /** The command line's defaults: a beam of 3, the model's maximum length, length penalty 1. */
    public static Decoding defaults() {
        return new Decoding(3, 0, 1.0);
    }

    /** Greedy search: the most likely word at every step. */
    public static Decoding greedy() {
        return new Decoding(1, 0, 1.0);
    }

    public Decoding withBeam(int width) {
        return new Decoding(width, maxLength, lengthPenalty);
    }

    public Decoding withMaxLength(int words) {
        return new Decoding(beam, words, lengthPenalty);
    }

    public Decoding withLengthPenalty(double alpha) {
        return new Decoding(beam, maxLength, alpha);
    }

    /** The search this decoding runs. */
    SearchStrategy strategy() {
        return beam == 1 ? new SearchStrategy.Greedy() : new SearchStrategy.Beam(beam, lengthPenalty);
    }
}

package ai.glimpse.decode;

/** How a caption is searched for, word by word, with the model's single step function. */
public sealed interface SearchStrategy permits SearchStrategy.Greedy, SearchStrategy.Beam {

    /** Takes the most likely word at every step. */
    record Greedy() implements SearchStrategy {
    }

    /**
     * Keeps the {@code width} best partial captions; a finished caption's score is its log-probability
     * divided by (length)^lengthPenalty (0 = no normalisation, 1 = per-word average).
     */
    record Beam(int width, double lengthPenalty) implements SearchStrategy {
        public Beam {
            if (width < 1) {
                throw new IllegalArgumentException("beam size must be >= 1, got " + width);
            }
            if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
                throw new IllegalArgumentException("length penalty must be >= 0, got " + lengthPenalty);
            }
        }
    }
}

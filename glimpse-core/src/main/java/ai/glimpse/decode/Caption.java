package ai.glimpse.decode;

import java.util.List;

/**
 * A caption the model wrote, with where it looked: for word t (and for {@code <end>} when the caption
 * ended), {@code alphas[t]} are the attention weights over the L regions of the feature map (row-major,
 * L = grid x grid, each row sums to 1) and {@code betas[t]} the context gate.
 *
 * @param words    the caption's words, without special tokens
 * @param logProb  log-probability of the caption under the model (natural log, summed over its steps)
 * @param alphas   [steps][L] attention weights; steps = words.size() + 1 when {@code <end>} was emitted
 * @param betas    [steps] gate values in (0, 1)
 * @param finished whether the caption ended with {@code <end>} within the maximum length
 */
public record Caption(List<String> words, double logProb, float[][] alphas, float[] betas, boolean finished) {
    public Caption {
        words = List.copyOf(words);
        if (alphas.length != betas.length) {
            throw new IllegalArgumentException("alphas has " + alphas.length + " steps but betas " + betas.length);
        }
        if (alphas.length < words.size()) {
            throw new IllegalArgumentException("alphas has " + alphas.length + " steps for " + words.size() + " words");
        }
    }

    /** The caption as one line of text. */
    public String text() {
        return String.join(" ", words);
    }

    /** Side of the square attention grid (sqrt of L), or 0 for an empty caption without steps. */
    public int gridSize() {
        if (alphas.length == 0) {
            return 0;
        }
        int l = alphas[0].length;
        int g = (int) Math.round(Math.sqrt(l));
        if (g * g != l) {
            throw new IllegalStateException("attention over " + l + " regions is not a square grid");
        }
        return g;
    }
}

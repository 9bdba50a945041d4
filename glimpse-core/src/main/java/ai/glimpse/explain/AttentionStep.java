package ai.glimpse.explain;

import ai.glimpse.decode.Caption;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One decoding step of a {@link Caption} as the explain figures show it: the word emitted (or {@code
 * <end>}), its gate value beta and its attention weights (Xu et al. 2015, equations 4-6 and 4.2.1).
 *
 * @param index zero-based step number, the row of {@link Caption#alphas()}
 * @param word  the word, or {@value #END} for the step that ended the caption
 * @param end   whether this step emitted {@code <end>}
 * @param beta  the context gate of this step, in (0, 1)
 * @param alpha [L] attention weights over the grid, row-major (shared with the caption, not copied)
 */
public record AttentionStep(int index, String word, boolean end, float beta, float[] alpha) {
    /** Label of the step that emitted the end token. */
    public static final String END = "<end>";
    private static final int MAX_NAME = 40;

    public AttentionStep {
        Objects.requireNonNull(word, "word");
        Objects.requireNonNull(alpha, "alpha");
        if (index < 0) {
            throw new IllegalArgumentException("step index must be >= 0, got " + index);
        }
    }

    /**
     * Every step of a caption: one per word and, when the caption has one more row of attention (it
     * ended), the {@code <end>} step.
     *
     * @throws IllegalArgumentException when the attention rows are not all {@code grid x grid}, hold a
     *                                  negative, infinite or NaN weight, or outnumber the words + 1
     */
    public static List<AttentionStep> of(Caption caption) {
        int words = caption.words().size();
        int steps = caption.alphas().length;
        if (steps > words + 1) {
            throw new IllegalArgumentException("caption has " + steps + " attention steps for " + words
                    + " words (at most one extra step, for <end>)");
        }
        int grid = caption.gridSize();
        List<AttentionStep> out = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            float[] alpha = caption.alphas()[t];
            if (alpha == null || alpha.length != grid * grid) {
                throw new IllegalArgumentException("attention step " + t + " has " + (alpha == null ? 0 : alpha.length)
                        + " weights, expected " + grid * grid);
            }
            for (float a : alpha) {
                if (!(a >= 0) || Float.isInfinite(a)) {
                    throw new IllegalArgumentException("attention step " + t + " has weight " + a
                            + " (weights must be finite and >= 0)");
                }
            }
            boolean end = t == words;
            out.add(new AttentionStep(t, end ? END : caption.words().get(t), end, caption.betas()[t], alpha));
        }
        return out;
    }

    /**
     * What the figures write: the word, its gate and its largest weight against uniform attention, e.g.
     * {@code dog  β 0.83  peak 5.1×} (5.1 times 1/L: a word whose attention is nearly uniform reads about 1×).
     */
    public String label() {
        return word + "  \u03b2 " + String.format(Locale.ROOT, "%.2f", beta) + "  peak "
                + String.format(Locale.ROOT, "%.1f", peakOverUniform()) + "\u00d7";
    }

    /** The largest weight times the number of regions: how many times uniform attention (1/L) the peak is. */
    public double peakOverUniform() {
        return alpha.length == 0 ? 0 : (double) alpha[hottestRegion()] * alpha.length;
    }

    /** Index of the region with the largest weight (the first on ties). */
    public int hottestRegion() {
        int best = 0;
        for (int l = 1; l < alpha.length; l++) {
            if (alpha[l] > alpha[best]) {
                best = l;
            }
        }
        return best;
    }

    /**
     * A file name safe on every file system: the one-based step number padded to {@code digits}, an
     * underscore, the word in lower-case ASCII (accents dropped, anything but letters, digits and {@code
     * -} as {@code _}, at most {@value #MAX_NAME} characters), and {@code extension}; e.g. {@code
     * 01_dog.png}, {@code 07_end.png}. The number keeps names unique.
     */
    public String fileName(int digits, String extension) {
        String plain = Normalizer.normalize(end ? "end" : word, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < plain.length() && name.length() < MAX_NAME; i++) {
            char c = Character.toLowerCase(plain.charAt(i));
            boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
            name.append(ok ? c : '_');
        }
        String stem = name.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
        if (stem.isEmpty()) {
            stem = "word";
        }
        String number = String.format(Locale.ROOT, "%0" + Math.max(1, digits) + "d", index + 1);
        return number + "_" + stem + "." + extension;
    }
}

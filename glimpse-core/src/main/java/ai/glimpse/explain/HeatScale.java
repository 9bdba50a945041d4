package ai.glimpse.explain;

import java.util.List;
import java.util.Locale;

/**
 * How attention weights become heat in [0, 1], the input of a {@link ColourMap}.
 *
 * <p>{@link #WORD} is the figures' scale in Show, Attend and Tell: each word's map is divided by its own
 * largest value, so every word looks equally sure of where it looked. {@link #UNIFORM} is absolute: a
 * weight is read against uniform attention 1/L, on a logarithmic scale that puts 1/L of uniform (and
 * below) at 0, uniform at 0.5 and all of the attention on one region (L times uniform) at 1, the same
 * for every word and every image of the same grid; a word whose attention is nearly uniform then looks
 * flat instead of confident.
 */
public enum HeatScale {
    /** Each word's map divided by its largest value. */
    WORD,
    /** log(alpha L) / (2 log L) + 1/2, clamped to [0, 1]: uniform attention is 1/2. */
    UNIFORM;

    /**
     * The heat of a smoothed weight {@code value} in a map whose largest value is {@code max}, over
     * {@code regions} regions.
     */
    public float heat(double value, double max, int regions) {
        if (!(value > 0)) {
            return 0f;
        }
        if (this == WORD) {
            return max > 0 ? (float) Math.min(1, value / max) : 0f;
        }
        if (regions <= 1) {
            return 0.5f;
        }
        double t = 0.5 + Math.log(value * regions) / (2 * Math.log(regions));
        return (float) Math.max(0, Math.min(1, t));
    }

    /** Marks for a colour bar: each a heat in [0, 1] and its text, lowest first. */
    public List<Tick> ticks(int regions) {
        if (this == WORD) {
            return List.of(new Tick(0, "0"), new Tick(0.5, "half"), new Tick(1, "the word's peak"));
        }
        int l = Math.max(2, regions);
        int root = (int) Math.round(Math.sqrt(l));
        return List.of(new Tick(0, "\u2264 1/" + l + "\u00d7"), new Tick(0.25, "1/" + root + "\u00d7"),
                new Tick(0.5, "uniform"), new Tick(0.75, root + "\u00d7"), new Tick(1, l + "\u00d7"));
    }

    /** What the colours mean, in a few words. */
    public String description(int regions) {
        return this == WORD ? "each word's attention relative to its own peak"
                : "attention against uniform (1/" + regions + " per region), log scale";
    }

    /** A mark on the colour bar. */
    public record Tick(double heat, String text) {
    }

    public static HeatScale parse(String name) {
        for (HeatScale s : values()) {
            if (s.name().equalsIgnoreCase(name.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown heat scale '" + name + "' (expected word or uniform)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

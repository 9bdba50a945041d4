package ai.glimpse.synth;

import java.util.List;
import java.util.Locale;

/**
 * The ground a scene stands on. Each is one colour family with its own procedural texture (see
 * {@link BackgroundPainter}), and has the phrases captions use for it.
 */
public enum Background {
    GRASS(List.of("on the grass", "in the grass", "on green grass")),
    SAND(List.of("on the sand", "on sand")),
    WATER(List.of("in the water", "on the water")),
    SNOW(List.of("in the snow", "on the snow")),
    PLAIN(List.of("on a white background", "on a plain background"));

    private final List<String> phrases;

    Background(List<String> phrases) {
        this.phrases = phrases;
    }

    /** Prepositional phrases that place objects on this background, e.g. {@code in the snow}. */
    public List<String> phrases() {
        return phrases;
    }

    /** The noun every phrase contains: {@code grass}, {@code sand}, {@code water}, {@code snow} or {@code background}. */
    public String noun() {
        return this == PLAIN ? "background" : name().toLowerCase(Locale.ROOT);
    }
}

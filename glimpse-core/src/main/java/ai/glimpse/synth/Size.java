package ai.glimpse.synth;

import java.util.Locale;

/**
 * The two sizes of a shape, as a fraction of the image side. They differ by a factor of two, so that
 * "small" and "large" are clear to a reader and a model, even with the +-8% jitter the sampler adds.
 */
public enum Size {
    SMALL(0.20),
    LARGE(0.40);

    /** Relative jitter the sampler applies to the side, e.g. 0.08 gives 0.92..1.08 times the nominal side. */
    public static final double JITTER = 0.08;

    private final double fraction;

    Size(double fraction) {
        this.fraction = fraction;
    }

    /** The nominal side of the shape's square slot as a fraction of the image side. */
    public double fraction() {
        return fraction;
    }

    /** The adjective in captions, {@code small} or {@code large}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

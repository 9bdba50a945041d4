package ai.glimpse.synth;

import java.util.Locale;
import java.util.Objects;

/**
 * What to generate: how many images of which size, from which seed, of which variant, split how.
 * The same config always gives the same files, byte for byte.
 *
 * @param images  number of images, {@value #MIN_IMAGES}..{@value #MAX_IMAGES} (ids 1..images)
 * @param size    width and height of every image in pixels, {@value #MIN_SIZE}..{@value #MAX_SIZE}
 * @param seed    the seed of every random choice
 * @param variant shapes or the dog/wolf snow variant
 * @param split   the train/val/test percentages
 */
public record SynthConfig(int images, int size, long seed, Variant variant, SplitRatio split) {
    public static final int MIN_IMAGES = 3;
    /**
     * The most images one run makes: their file names have six digits, and the whole plan (about 1.6 KB
     * an image) is held in memory while they are drawn.
     */
    public static final int MAX_IMAGES = 999_999;
    public static final int MIN_SIZE = 32;
    public static final int MAX_SIZE = 1024;

    public SynthConfig {
        if (images < MIN_IMAGES) {
            throw new IllegalArgumentException("--images must be at least " + MIN_IMAGES + ", got " + images);
        }
        if (images > MAX_IMAGES) {
            throw new IllegalArgumentException("--images must be at most " + MAX_IMAGES + ", got " + images);
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("--size must be between " + MIN_SIZE + " and " + MAX_SIZE
                    + " pixels, got " + size);
        }
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(split, "split");
    }

    /** The file name of image {@code id}, e.g. {@code synth_000042.png}. */
    public static String fileName(int id) {
        return String.format(Locale.ROOT, "synth_%06d.png", id);
    }
}

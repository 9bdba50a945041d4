package ai.glimpse.data;

import java.util.Objects;

/**
 * How {@link ImageLoader} turns image files into encoder input.
 *
 * @param size              side of the square output in pixels (e.g. 224 for VGG16 and ResNet-50)
 * @param policy            how the image is brought to {@code size x size}
 * @param imagenetNormalize whether to normalise each channel with the ImageNet mean and standard
 *                          deviation, {@code (x - mean) / std}, as torchvision's pretrained models
 *                          expect; otherwise values stay in [0, 1]
 * @param maxPixels         images whose header claims more pixels than this are refused before
 *                          decoding (protects memory against huge or hostile files)
 */
public record ImageOptions(int size, ResizePolicy policy, boolean imagenetNormalize, long maxPixels) {
    /** The default pixel limit: 40 megapixels, above any ordinary camera photo. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** Largest accepted output side. */
    public static final int MAX_SIZE = 4096;

    public ImageOptions {
        Objects.requireNonNull(policy, "policy");
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be in 1.." + MAX_SIZE + ", got " + size);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels must be >= 1, got " + maxPixels);
        }
    }

    /** Shorter side to {@code size} and centre crop, ImageNet normalisation, the default pixel limit. */
    public static ImageOptions of(int size) {
        return new ImageOptions(size, ResizePolicy.SHORTER_SIDE_CENTER_CROP, true, DEFAULT_MAX_PIXELS);
    }

    /** A copy with another pixel limit. */
    public ImageOptions withMaxPixels(long limit) {
        return new ImageOptions(size, policy, imagenetNormalize, limit);
    }
}

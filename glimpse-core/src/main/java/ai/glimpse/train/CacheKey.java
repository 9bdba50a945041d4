package ai.glimpse.train;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.model.FrozenEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that decides what features an image gets: encoder and cut, weights, image size,
 * preprocessing, and the feature shape. A {@link FeatureCache} file is named after a hash of its key
 * and stores the whole key in its index, so features made under another key are never read.
 *
 * @param encoder       the encoder and where it is cut, e.g. {@code vgg16@16}
 * @param weights       the weights' fingerprint ({@link FrozenEncoder#fingerprint(java.nio.file.Path)})
 * @param imageSize     side of the square encoder input in pixels
 * @param preprocessing how images become encoder input (resize policy, normalisation, input convention)
 * @param regions       L, feature vectors per image
 * @param dim           D, size of each feature vector
 */
public record CacheKey(String encoder, String weights, int imageSize, String preprocessing, int regions, int dim) {
    public CacheKey {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (encoder.isBlank()) {
            throw new IllegalArgumentException("encoder must not be blank");
        }
        if (imageSize < 1 || regions < 1 || dim < 1) {
            throw new IllegalArgumentException("image size, regions and dim must be >= 1, got "
                    + imageSize + ", " + regions + ", " + dim);
        }
        if ((long) regions * dim > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("a feature row of " + regions + " x " + dim + " is too large");
        }
    }

    /**
     * The key of a frozen encoder's features for images prepared by {@code options}.
     *
     * @throws IllegalArgumentException when the options' image size is not the encoder's
     */
    public static CacheKey of(FrozenEncoder encoder, ImageOptions options) {
        if (options.size() != encoder.imageSize()) {
            throw new IllegalArgumentException("images of " + options.size() + " px for an encoder built for "
                    + encoder.imageSize() + " px");
        }
        String preprocessing = "resize=" + options.policy().name().toLowerCase(Locale.ROOT)
                + ",normalise=" + (options.imagenetNormalize() ? "imagenet" : "none")
                + ",input=" + encoder.convention().label();
        return new CacheKey(encoder.description(), encoder.weightsFingerprint(), encoder.imageSize(), preprocessing,
                encoder.regions(), encoder.featureDim());
    }

    /** 16 hex digits of the SHA-256 of every field. */
    public String id() {
        String canonical = String.join("\n", encoder, weights, Integer.toString(imageSize), preprocessing,
                Integer.toString(regions), Integer.toString(dim));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The cache file's name, e.g. {@code features-vgg16-224-0123456789abcdef.f16}. */
    public String fileName() {
        String name = encoder.replaceAll("@.*", "").replaceAll("[^A-Za-z0-9_-]", "_");
        return "features-" + name + "-" + imageSize + "-" + id() + ".f16";
    }
}

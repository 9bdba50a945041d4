package ai.glimpse.train;

import ai.glimpse.data.ImageLoader;
import ai.glimpse.model.FrozenEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Computes the features a {@link FeatureCache} stores: a frozen encoder over image files, or anything
 * else (tests count its calls).
 */
public interface FeatureSource {
    /**
     * The features of some images, in order.
     *
     * @param files image files as the corpus names them (at most {@link #batchSize()})
     * @return {@code files.size() * L * D} values, [N, L, D], regions row-major
     */
    float[] compute(List<String> files);

    /** How many images one {@link #compute} call should take. */
    int batchSize();

    /**
     * Features of a frozen encoder: each file is resolved against {@code imageDir}, loaded by {@code
     * loader} (ImageNet-normalised, at the encoder's size) and encoded {@code batchSize} at a time.
     */
    static FeatureSource of(FrozenEncoder encoder, ImageLoader loader, Path imageDir, int batchSize) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(imageDir, "imageDir");
        if (loader.options().size() != encoder.imageSize()) {
            throw new IllegalArgumentException("the loader makes " + loader.options().size()
                    + " px images, the encoder takes " + encoder.imageSize() + " px");
        }
        if (!loader.options().imagenetNormalize()) {
            throw new IllegalArgumentException("a frozen encoder takes ImageNet-normalised images");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return new FeatureSource() {
            @Override
            public float[] compute(List<String> files) {
                float[] images = loader.loadBatch(files.stream().map(imageDir::resolve).toList()); // [N, 3, S, S]
                return encoder.encode(images, files.size());                                     // [N, L, D]
            }

            @Override
            public int batchSize() {
                return batchSize;
            }
        };
    }
}

package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.NativeBackend;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.Captioner;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.model.ModelBundle;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkFiles;
import org.apache.spark.broadcast.Broadcast;

/**
 * A model bundle shipped to the executors: its bytes travel once per executor as a Spark broadcast and
 * are loaded on first use, once per JVM; every task of that JVM then shares the one model. A frozen
 * encoder's weights file (hundreds of MB) travels with {@code SparkContext.addFile} instead.
 *
 * <p>The core's inference engine is not thread-safe: tasks prepare their images in parallel
 * ({@link ImageLoader} is), and decode one batch at a time, in turn ({@link Loaded#caption}); the
 * decode itself uses the JVM's OpenMP pool.
 */
final class ShippedModel implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The model this JVM holds; guarded by {@code ShippedModel.class}. */
    private static Loaded loaded;

    private final Broadcast<byte[]> bytes;
    private final String sha256;
    private final String encoderWeights;
    private final int maxLength;

    /**
     * @param encoderWeights the name under which a frozen encoder's weights file was added with
     *                       {@code addFile}, or null (the path the model recorded at training)
     * @param maxLength      most words in a caption
     */
    ShippedModel(Broadcast<byte[]> bytes, String sha256, String encoderWeights, int maxLength) {
        this.bytes = bytes;
        this.sha256 = sha256;
        this.encoderWeights = encoderWeights;
        this.maxLength = maxLength;
    }

    /** The model loaded in this JVM, loading it on first use (or when another job's model is held). */
    Loaded get() {
        synchronized (ShippedModel.class) {
            String key = sha256 + "/" + maxLength + "/" + encoderWeights;
            if (loaded == null || !loaded.key.equals(key)) {
                loaded = null;                                   // let the old one go before loading
                loaded = new Loaded(key, load(), maxLength,
                        encoderWeights == null ? null : Path.of(SparkFiles.get(encoderWeights)));
            }
            return loaded;
        }
    }

    private ModelBundle load() {
        NativeBackend.start();
        try {
            Path tmp = Files.createTempFile("glimpse-model-", ".zip");
            try {
                Files.write(tmp, bytes.value());
                return ModelBundle.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the model in a temporary file", e);
        }
    }

    /** One JVM's model: preprocessing (thread-safe) and the decoder (one batch at a time). */
    static final class Loaded {
        private final String key;
        private final ModelBundle bundle;
        private final ImageLoader loader;
        private final ImageCaptioner inputs;
        private final Captioner captioner;

        private Loaded(String key, ModelBundle bundle, int maxLength, Path encoderWeights) {
            this.key = key;
            this.bundle = bundle;
            this.loader = new ImageLoader(bundle.preprocessing());
            this.inputs = new ImageCaptioner(bundle, maxLength, encoderWeights);
            this.captioner = new Captioner(bundle.model(), bundle.vocabulary()::word, maxLength);
        }

        /** Values per prepared image: 3 x S x S. */
        int imageValues() {
            int s = bundle.preprocessing().size();
            return 3 * s * s;
        }

        /**
         * Decodes and resizes one image file's bytes as {@code glimpse caption} does, on the calling thread.
         *
         * @return [3, S, S] values
         * @throws InputException naming the image when it cannot be decoded
         */
        float[] prepare(String name, byte[] image) {
            return loader.load(name, image).data();
        }

        /**
         * Captions {@code n} prepared images together (all beams of all images in one step call per word);
         * concurrent tasks take turns.
         *
         * @param pixels [n, 3, S, S]
         */
        synchronized List<Caption> caption(float[] pixels, int n, SearchStrategy strategy) {
            if (n == 0) {
                return List.of();
            }
            return captioner.caption(inputs.input(pixels, n), strategy);
        }
    }

    /** Refuses a model that cannot caption images, on the driver, before any task starts. */
    static void check(ModelBundle bundle, int maxLength, Path encoderWeights) {
        if (!bundle.model().takesImages() && bundle.encoder() == null) {
            throw new InputException("this model decodes features from an encoder it has no record of; it cannot caption images");
        }
        new ImageCaptioner(bundle, maxLength, encoderWeights);          // loads and checks a frozen encoder's weights
    }
}

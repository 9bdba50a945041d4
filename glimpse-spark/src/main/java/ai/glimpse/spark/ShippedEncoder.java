package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.NativeBackend;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.model.FrozenArchitecture;
import ai.glimpse.model.FrozenEncoder;
import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * A frozen encoder shipped to the executors: its weights file travels once per executor with {@code
 * SparkContext.addFile} and is loaded on first use, once per JVM, for every task of that JVM; it encodes
 * one batch at a time ({@link FrozenEncoder#encode} is synchronised) with the JVM's OpenMP pool, while
 * the other tasks prepare images.
 */
final class ShippedEncoder implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The encoder this JVM holds; guarded by {@code ShippedEncoder.class}. */
    private static Loaded loaded;

    private final FrozenArchitecture architecture;
    private final String weightsFile;
    private final String fingerprint;
    private final int imageSize;

    /**
     * @param weightsFile the name under which the weights were added with {@code addFile}
     * @param fingerprint the weights' fingerprint the driver computed (checked on every executor)
     */
    ShippedEncoder(FrozenArchitecture architecture, String weightsFile, String fingerprint, int imageSize) {
        this.architecture = architecture;
        this.weightsFile = weightsFile;
        this.fingerprint = fingerprint;
        this.imageSize = imageSize;
    }

    /** How images are prepared for a frozen encoder, exactly as {@code glimpse train} prepares them. */
    static ImageOptions preprocessing(FrozenEncoder encoder) {
        return new ImageOptions(encoder.imageSize(), ResizePolicy.SHORTER_SIDE_CENTER_CROP, true, ImageOptions.DEFAULT_MAX_PIXELS);
    }

    Loaded get() {
        synchronized (ShippedEncoder.class) {
            String key = architecture + "/" + fingerprint + "/" + imageSize;
            if (loaded == null || !loaded.key.equals(key)) {
                loaded = null;
                NativeBackend.start();
                FrozenEncoder encoder = FrozenEncoder.load(architecture, Path.of(SparkFiles.get(weightsFile)), imageSize);
                if (!encoder.weightsFingerprint().equals(fingerprint)) {
                    throw new InputException("encoder weights on this executor have fingerprint " + encoder.weightsFingerprint()
                            + ", the driver's " + fingerprint);
                }
                loaded = new Loaded(key, encoder);
            }
            return loaded;
        }
    }

    /** One JVM's encoder and image loader. */
    static final class Loaded {
        private final String key;
        final FrozenEncoder encoder;
        final ImageLoader loader;

        private Loaded(String key, FrozenEncoder encoder) {
            this.key = key;
            this.encoder = encoder;
            this.loader = new ImageLoader(preprocessing(encoder));
        }
    }
}

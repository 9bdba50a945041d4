package ai.glimpse.api;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.NativeBackend;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.RgbImage;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.Captioner;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.model.ModelBundle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A captioning model loaded once, for use from Java: caption or explain images given as a {@link Path},
 * {@code byte[]}, {@link InputStream} or {@link BufferedImage}. Each caption is a {@link Caption}: its
 * words, log-probability, and per step the attention weights over the image's grid (alphas) and the
 * context gate (betas), as in Show, Attend and Tell (Xu et al. 2015).
 *
 * <pre>{@code
 * try (Glimpse glimpse = Glimpse.load(Path.of("pretrained/glimpse-shapes.zip"))) {
 *     Caption caption = glimpse.caption(Path.of("datasets/samples/shapes_1.png"));
 *     System.out.println(caption.text() + " " + caption.logProb());
 * }
 * }</pre>
 *
 * <p>Thread-safe. An image is decoded and resized on the calling thread, so many threads prepare
 * images in parallel; the model then decodes one batch at a time (its inference engine is not
 * thread-safe) and concurrent calls take turns. To caption many images quickly, give them to
 * {@link #captionAll} together: all of them (and all their beams) advance in one step call per word.
 * {@code glimpse serve} gathers concurrent requests into such batches.
 *
 * <p>Bad images (not an image, damaged, truncated, above the pixel limit of the model's preprocessing)
 * raise an {@link InputException} whose one-line message names the image and what is wrong. Logs go to
 * the SLF4J API; the application chooses the binding.
 */
public final class Glimpse implements AutoCloseable {
    /** Most bytes read from an {@link InputStream} (an image file larger than this is refused). */
    public static final int MAX_STREAM_BYTES = 256 << 20;
    /** Decoders kept for maximum lengths other than the model's (each holds copies of the LSTM's weights). */
    private static final int KEPT_LENGTHS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(Glimpse.class);

    static {
        NativeBackend.configure();                                     // the ND4J native build this jar was made with
    }

    private final ModelBundle bundle;
    private final ImageLoader loader;
    private final ImageCaptioner inputs;
    private final Object decoding = new Object();
    /** Captioners by maximum length, least recently used first; guarded by {@link #decoding}. */
    private final Map<Integer, Captioner> captioners = new LinkedHashMap<>(8, 0.75f, true);
    private volatile boolean closed;

    private Glimpse(ModelBundle bundle, Path encoderWeights) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.loader = new ImageLoader(bundle.preprocessing());
        this.inputs = new ImageCaptioner(bundle, bundle.config().maxLength(), encoderWeights);
    }

    /**
     * Loads a model bundle made by {@code glimpse train}.
     *
     * @throws InputException when the file is missing or not a Glimpse model
     */
    public static Glimpse load(Path model) {
        return load(model, null);
    }

    /**
     * Loads a model bundle; for a model on frozen vgg16/resnet50 features, {@code encoderWeights} is the
     * encoder's weights file (null: where it was at training).
     */
    public static Glimpse load(Path model, Path encoderWeights) {
        ModelBundle bundle = ModelBundle.load(model);
        LOG.debug("loaded {}: {}x{} pixel input", model, bundle.preprocessing().size(), bundle.preprocessing().size());
        return new Glimpse(bundle, encoderWeights);
    }

    /** A model already in memory (e.g. one just trained). */
    public static Glimpse of(ModelBundle bundle) {
        return new Glimpse(bundle, null);
    }

    /** The model bundle: configuration, vocabulary, preprocessing. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** How images become the model's input: size, resize policy, normalisation, pixel limit. */
    public ImageOptions preprocessing() {
        return bundle.preprocessing();
    }

    public Caption caption(Path image) {
        return caption(image, Decoding.defaults());
    }

    public Caption caption(Path image, Decoding decoding) {
        return caption(prepare(image.toString(), read(image), false), decoding);
    }

    public Caption caption(byte[] image) {
        return caption(image, Decoding.defaults());
    }

    public Caption caption(byte[] image, Decoding decoding) {
        return caption(prepare("image", image, false), decoding);
    }

    public Caption caption(InputStream image) {
        return caption(image, Decoding.defaults());
    }

    public Caption caption(InputStream image, Decoding decoding) {
        return caption(prepare("image", read(image), false), decoding);
    }

    public Caption caption(BufferedImage image) {
        return caption(image, Decoding.defaults());
    }

    public Caption caption(BufferedImage image, Decoding decoding) {
        return caption(prepare(image, false), decoding);
    }

    public Caption caption(PreparedImage image, Decoding decoding) {
        return captionAll(List.of(image), decoding).get(0);
    }

    /** Captions and keeps the picture, for overlays: {@link Explanation#writeTo}, {@code gridPng}, {@code html}. */
    public Explanation explain(Path image) {
        return explain(image, Decoding.defaults());
    }

    public Explanation explain(Path image, Decoding decoding) {
        return explain(prepare(image.toString(), read(image), true), decoding);
    }

    public Explanation explain(byte[] image) {
        return explain(image, Decoding.defaults());
    }

    public Explanation explain(byte[] image, Decoding decoding) {
        return explain(prepare("image", image, true), decoding);
    }

    public Explanation explain(InputStream image) {
        return explain(image, Decoding.defaults());
    }

    public Explanation explain(InputStream image, Decoding decoding) {
        return explain(prepare("image", read(image), true), decoding);
    }

    public Explanation explain(BufferedImage image) {
        return explain(image, Decoding.defaults());
    }

    public Explanation explain(BufferedImage image, Decoding decoding) {
        return explain(prepare(image, true), decoding);
    }

    /** Explains an image prepared with its original kept ({@code keepOriginal}). */
    public Explanation explain(PreparedImage image, Decoding decoding) {
        if (image.original() == null) {
            throw new IllegalArgumentException(image.name() + ": prepared without its original picture; prepare it with keepOriginal");
        }
        return new Explanation(caption(image, decoding), image.original(), bundle.preprocessing());
    }

    /**
     * Decodes and resizes an image file's bytes for this model, on the calling thread.
     *
     * @param name         what to call the image in error messages
     * @param keepOriginal whether to keep the picture at its own size (for {@link #explain})
     * @throws InputException naming the image when it is empty, not a supported image (PNG, JPEG, BMP,
     *                        TIFF, WebP, GIF), damaged, truncated or above the pixel limit
     */
    public PreparedImage prepare(String name, byte[] bytes, boolean keepOriginal) {
        checkOpen();
        if (!keepOriginal) {
            return new PreparedImage(name, loader.load(name, bytes).data(), null);
        }
        RgbImage original = loader.loadOriginal(name, bytes);
        return new PreparedImage(name, loader.prepare(original).data(), original.toBufferedImage());
    }

    /** Resizes a picture for this model (alpha over white), on the calling thread. */
    public PreparedImage prepare(BufferedImage image, boolean keepOriginal) {
        checkOpen();
        RgbImage original = RgbImage.of(image);
        return new PreparedImage("image", loader.prepare(original).data(), keepOriginal ? image : null);
    }

    /**
     * Captions prepared images together: one encoder pass and one decoder step per word for all of them
     * (and all their beams). Waits while another thread decodes.
     *
     * @return one caption per image, in order
     */
    public List<Caption> captionAll(List<PreparedImage> images, Decoding decoding) {
        return captionAll(images, decoding, (image, caption) -> { });
    }

    /**
     * The same, telling {@code onEach} (index into {@code images}, caption) each image's caption as soon as
     * its search ends, on the calling thread, while the others' go on: short captions of a batch need not
     * wait for its long ones.
     */
    public List<Caption> captionAll(List<PreparedImage> images, Decoding decoding, BiConsumer<Integer, Caption> onEach) {
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(onEach, "onEach");
        if (images.isEmpty()) {
            return List.of();
        }
        int per = 3 * bundle.preprocessing().size() * bundle.preprocessing().size();
        float[] pixels = new float[Math.multiplyExact(images.size(), per)];       // [n, 3, S, S]
        for (int i = 0; i < images.size(); i++) {
            float[] one = images.get(i).pixels();
            if (one.length != per) {
                throw new IllegalArgumentException(images.get(i).name() + ": " + one.length + " values, not this model's 3x"
                        + bundle.preprocessing().size() + "x" + bundle.preprocessing().size());
            }
            System.arraycopy(one, 0, pixels, i * per, per);
        }
        int maxLength = decoding.maxLength() == 0 ? bundle.config().maxLength() : decoding.maxLength();
        synchronized (this.decoding) {
            checkOpen();
            return captioner(maxLength).caption(inputs.input(pixels, images.size()), decoding.strategy(), onEach);
        }
    }

    /** The decoder for captions of at most {@code maxLength} words; called holding {@link #decoding}. */
    private Captioner captioner(int maxLength) {
        Captioner c = captioners.get(maxLength);
        if (c == null) {
            c = new Captioner(bundle.model(), bundle.vocabulary()::word, maxLength);
            captioners.put(maxLength, c);
            if (captioners.size() > KEPT_LENGTHS) {
                captioners.remove(captioners.keySet().iterator().next());
            }
        }
        return c;
    }

    /** Waits for a decode in progress, then refuses every later call. Idempotent. */
    @Override
    public void close() {
        synchronized (decoding) {
            closed = true;
            captioners.clear();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Glimpse model is closed");
        }
    }

    private static byte[] read(Path image) {
        InputFiles.requireFile(image, image.toString());                // missing, a folder, a named pipe: one line
        try {
            return Files.readAllBytes(image);
        } catch (IOException e) {
            throw new InputException(image + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] read(InputStream image) {
        try {
            byte[] bytes = image.readNBytes(MAX_STREAM_BYTES + 1);
            if (bytes.length > MAX_STREAM_BYTES) {
                throw new InputException("image: more than " + (MAX_STREAM_BYTES >> 20) + " MB, too large for an image file");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image stream", e);
        }
    }
}

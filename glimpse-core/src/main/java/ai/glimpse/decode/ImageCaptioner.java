package ai.glimpse.decode;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.RgbImage;
import ai.glimpse.model.FrozenEncoder;
import ai.glimpse.model.HostCopy;
import ai.glimpse.model.ModelBundle;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Captions image files with a model bundle: loads them with the bundle's preprocessing, decodes them in
 * batches (all beams of a batch in one step call), and reports each result or failure as it comes, so
 * one unreadable image never stops the others. The {@code caption}, {@code explain} and
 * {@code evaluate} commands all caption through here.
 */
public final class ImageCaptioner {
    /** Images decoded together. */
    public static final int BATCH = 16;

    /** A captioned image, or the one-line reason it could not be. */
    public record Result(Path file, Caption caption, String error) {
        public boolean ok() {
            return caption != null;
        }
    }

    private final ModelBundle bundle;
    private final ImageLoader loader;
    private final Captioner captioner;
    private final FrozenEncoder encoder;

    /**
     * @param encoderWeights for a model on a frozen encoder: its weights file (null: the path recorded
     *                       at training time); ignored for the small encoder
     */
    public ImageCaptioner(ModelBundle bundle, int maxLength, Path encoderWeights) {
        if (!bundle.model().takesImages() && bundle.encoder() == null) {
            throw new InputException("this model decodes features from an encoder it has no record of; it cannot caption images");
        }
        this.encoder = bundle.model().takesImages() ? null : bundle.encoder().load(encoderWeights, bundle.config().imageSize());
        this.bundle = bundle;
        this.loader = new ImageLoader(bundle.preprocessing());
        this.captioner = new Captioner(bundle.model(), bundle.vocabulary()::word, maxLength);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /**
     * The model's input for n images loaded with the bundle's preprocessing, for {@link Captioner#caption}:
     * the pixels [n, 3, S, S], or the frozen encoder's features [n, L, D]. Not thread-safe with a frozen
     * encoder (call it from the thread that decodes).
     */
    public INDArray input(float[] pixels, int n) {
        int size = bundle.preprocessing().size();
        float[] images = pixels.length == n * 3 * size * size ? pixels : java.util.Arrays.copyOf(pixels, n * 3 * size * size);
        if (encoder == null) {
            return HostCopy.array(images, n, 3, size, size);                // [n, 3, S, S]; Nd4j.create copied 7x slower
        }
        return HostCopy.array(encoder.encode(images, n), n, encoder.regions(), encoder.featureDim()); // [n, L, D]
    }

    /**
     * A batch of files read for the model: the region features [n, L, D] of the n files that loaded, in
     * order (null when none did), and per file the one-line reason it could not be read (null when it was).
     */
    public record Batch(List<Path> files, String[] errors, INDArray features) {
        /** Files that loaded. */
        public int loaded() {
            return features == null ? 0 : (int) features.size(0);
        }
    }

    /** Reads and encodes files (at most {@link #BATCH} at a time is what the other methods do): their region features. */
    public Batch read(List<Path> files) {
        int size = bundle.preprocessing().size();
        int per = 3 * size * size;
        String[] errors = new String[files.size()];                        // per batch position, null when loaded
        int loaded = 0;
        float[] pixels = new float[files.size() * per];                    // [n, 3, S, S]
        for (int i = 0; i < files.size(); i++) {
            try {
                RgbImage image = loader.load(files.get(i));
                System.arraycopy(image.data(), 0, pixels, loaded++ * per, per);
            } catch (InputException e) {
                errors[i] = e.getMessage();
            }
        }
        return new Batch(List.copyOf(files), errors, loaded == 0 ? null : captioner.inference().features(input(pixels, loaded)));
    }

    /**
     * The region features [1, L, D] of a blank picture: uniform mid-grey, prepared as any image is (resized,
     * normalised when the model's input is). A probe fills masked regions with them to say "nothing here".
     */
    public INDArray blankFeatures() {
        int size = bundle.preprocessing().size();
        float[] grey = new float[3 * size * size];
        java.util.Arrays.fill(grey, 0.5f);
        RgbImage prepared = loader.prepare(new RgbImage(size, size, grey));
        return captioner.inference().features(input(prepared.data(), 1));
    }

    /** The captioner over this bundle's model, for callers that decode features they prepared. */
    public Captioner captioner() {
        return captioner;
    }

    /** Captions every file in order, handing each result to {@code sink}; returns the number that failed. */
    public int caption(List<Path> files, SearchStrategy strategy, Progress progress, Consumer<Result> sink) {
        return caption(files, strategy, progress, (batch, results) -> results.forEach(sink));
    }

    /**
     * Captions every file in order, {@link #BATCH} at a time, handing each batch's results (one per file)
     * with the batch's features to {@code sink}; returns the number of files that failed.
     */
    public int caption(List<Path> files, SearchStrategy strategy, Progress progress,
            java.util.function.BiConsumer<Batch, List<Result>> sink) {
        int failed = 0;
        progress.start("caption", files.size());
        for (int from = 0; from < files.size(); from += BATCH) {
            Batch batch = read(files.subList(from, Math.min(files.size(), from + BATCH)));
            List<Caption> captions = batch.loaded() == 0 ? List.of()
                    : captioner.caption(captioner.inference().encodeFeatures(batch.features()), strategy);
            List<Result> results = new java.util.ArrayList<>(batch.files().size());
            int k = 0;
            for (int i = 0; i < batch.files().size(); i++) {
                if (batch.errors()[i] == null) {
                    results.add(new Result(batch.files().get(i), captions.get(k++), null));
                } else {
                    failed++;
                    results.add(new Result(batch.files().get(i), null, batch.errors()[i]));
                }
            }
            sink.accept(batch, results);
            progress.advance(from + batch.files().size(), failed > 0 ? failed + " failed" : null);
        }
        progress.finish();
        return failed;
    }
}

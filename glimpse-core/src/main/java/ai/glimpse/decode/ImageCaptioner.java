package ai.glimpse.decode;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.RgbImage;
import ai.glimpse.model.FrozenEncoder;
import ai.glimpse.model.ModelBundle;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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
        float[] images = java.util.Arrays.copyOf(pixels, n * 3 * size * size);
        if (encoder == null) {
            return Nd4j.create(images, new long[] {n, 3, size, size}, 'c');
        }
        return Nd4j.create(encoder.encode(images, n), new long[] {n, encoder.regions(), encoder.featureDim()}, 'c');
    }

    /** Captions every file in order, handing each result to {@code sink}; returns the number that failed. */
    public int caption(List<Path> files, SearchStrategy strategy, Progress progress, Consumer<Result> sink) {
        int size = bundle.preprocessing().size();
        int per = 3 * size * size;
        int failed = 0;
        progress.start("caption", files.size());
        for (int from = 0; from < files.size(); from += BATCH) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + BATCH));
            String[] errors = new String[batch.size()];                    // per batch position, null when loaded
            int loaded = 0;
            float[] pixels = new float[batch.size() * per];                // [n, 3, S, S]
            for (int i = 0; i < batch.size(); i++) {
                try {
                    RgbImage image = loader.load(batch.get(i));
                    System.arraycopy(image.data(), 0, pixels, loaded++ * per, per);
                } catch (InputException e) {
                    errors[i] = e.getMessage();
                }
            }
            List<Caption> captions = loaded == 0 ? List.of() : captioner.caption(input(pixels, loaded), strategy);
            int k = 0;
            for (int i = 0; i < batch.size(); i++) {
                if (errors[i] == null) {
                    sink.accept(new Result(batch.get(i), captions.get(k++), null));
                } else {
                    failed++;
                    sink.accept(new Result(batch.get(i), null, errors[i]));
                }
            }
            progress.advance(from + batch.size(), failed > 0 ? failed + " failed" : null);
        }
        progress.finish();
        return failed;
    }
}

package ai.glimpse.train;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.RgbImage;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.HostCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The images of one split as the model's input, with every caption encoded by the vocabulary: either
 * pixels held in memory as 8-bit CHW (a 128 px image takes 48 KB; for the {@code small} encoder) or
 * rows of a frozen encoder's {@link FeatureCache}. Training samples are (image, caption) pairs, as in
 * the paper.
 */
public final class TrainingSet {
    private final List<CorpusImage> images;
    private final byte[][] pixels;
    private final FeatureCache cache;
    private final int[] rows;
    private final long[] inputShape;
    private final List<int[]> captions = new ArrayList<>();
    private final List<Integer> captionImage = new ArrayList<>();
    private final int[] firstCaption;                                      // image i's captions: [first[i], first[i + 1])

    private TrainingSet(List<CorpusImage> images, byte[][] pixels, FeatureCache cache, int[] rows, long[] inputShape,
            Vocabulary vocab, int maxLength) {
        this.images = List.copyOf(images);
        this.pixels = pixels;
        this.cache = cache;
        this.rows = rows;
        this.inputShape = inputShape;
        this.firstCaption = new int[images.size() + 1];
        for (int i = 0; i < images.size(); i++) {
            firstCaption[i] = captions.size();
            for (String caption : images.get(i).captions()) {
                captions.add(vocab.encode(Tokenizer.tokens(caption), maxLength));
                captionImage.add(i);
            }
        }
        firstCaption[images.size()] = captions.size();
    }

    /** A frozen encoder's features of the images, read from {@code cache} (which must hold them all). */
    public static TrainingSet features(List<CorpusImage> images, FeatureCache cache, Vocabulary vocab, int maxLength) {
        int[] rows = images.stream().mapToInt(i -> cache.row(i.file())).toArray();
        return new TrainingSet(images, null, cache, rows, new long[] {cache.regions(), cache.dim()}, vocab, maxLength);
    }

    /**
     * Loads the images (refusing, with a count and the first few names, any that are missing) and
     * encodes their captions to at most {@code maxLength} words.
     */
    public static TrainingSet load(List<CorpusImage> images, Path imageDir, ImageLoader loader, Vocabulary vocab,
            int maxLength, String label, Progress progress) {
        requireImages(images, imageDir, label);
        int size = loader.options().size();
        byte[][] pixels = new byte[images.size()][];
        progress.start("loading " + label + " images", images.size());
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = loader.load(imageDir.resolve(images.get(i).file()));
            float[] data = img.data();
            byte[] b = new byte[data.length];
            for (int k = 0; k < data.length; k++) {
                b[k] = (byte) Math.round(Math.max(0f, Math.min(1f, data[k])) * 255f);
            }
            pixels[i] = b;
            progress.advance(i + 1, null);
        }
        progress.finish();
        return new TrainingSet(images, pixels, null, null, new long[] {3, size, size}, vocab, maxLength);
    }

    /** Refuses, with a count and the first few names, images that are not in {@code imageDir}. */
    public static void requireImages(List<CorpusImage> images, Path imageDir, String label) {
        List<String> missing = images.stream().map(CorpusImage::file)
                .filter(f -> !Files.isRegularFile(imageDir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new InputException(missing.size() + " of " + images.size() + " " + label + " images are missing in "
                    + imageDir + " (first: " + String.join(", ", missing.subList(0, Math.min(3, missing.size()))) + ")");
        }
    }

    public int imageCount() {
        return images.size();
    }

    public int captionCount() {
        return captions.size();
    }

    public CorpusImage image(int index) {
        return images.get(index);
    }

    /** Encoded caption k: {@code <start>} words {@code <end>}. */
    public int[] caption(int k) {
        return captions.get(k);
    }

    /** The indices of image i's captions. */
    public int[] captionsOf(int i) {
        return IntStream.range(firstCaption[i], firstCaption[i + 1]).toArray();
    }

    /** The image index caption k belongs to. */
    public int imageOf(int k) {
        return captionImage.get(k);
    }

    /** The shape of one image's model input: [3, S, S] pixels or [L, D] features. */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Values in one image's model input. */
    public int inputSize() {
        long n = 1;
        for (long d : inputShape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** Whether the inputs are pixels (else cached features). */
    public boolean holdsPixels() {
        return pixels != null;
    }

    /** Writes image i's model input into {@code out} at {@code offset}: pixels in [0, 1] or its features. */
    public void copyInput(int i, float[] out, int offset) {
        if (pixels == null) {
            cache.copy(rows[i], out, offset);
            return;
        }
        byte[] b = pixels[i];
        for (int k = 0; k < b.length; k++) {
            out[offset + k] = (b[k] & 0xff) / 255f;
        }
    }

    /** The input of images [from, from + n) as one batch array [n, ...inputShape]. */
    public org.nd4j.linalg.api.ndarray.INDArray batchInput(int from, int n) {
        float[] values = new float[n * inputSize()];
        for (int k = 0; k < n; k++) {
            copyInput(from + k, values, k * inputSize());
        }
        long[] shape = new long[inputShape.length + 1];
        shape[0] = n;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        return HostCopy.array(values, shape);
    }
}

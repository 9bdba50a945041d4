package ai.glimpse.train;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.RgbImage;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images of one split held in memory as 8-bit CHW pixels (a 128 px image takes 48 KB), with every
 * caption encoded by the vocabulary. Training samples are (image, caption) pairs, as in the paper.
 */
public final class TrainingSet {
    private final List<CorpusImage> images;
    private final byte[][] pixels;
    private final List<int[]> captions = new ArrayList<>();
    private final List<Integer> captionImage = new ArrayList<>();
    private final int size;

    private TrainingSet(List<CorpusImage> images, byte[][] pixels, int size) {
        this.images = images;
        this.pixels = pixels;
        this.size = size;
    }

    /**
     * Loads the images (refusing, with a count and the first few names, any that are missing) and
     * encodes their captions to at most {@code maxLength} words.
     */
    public static TrainingSet load(List<CorpusImage> images, Path imageDir, ImageLoader loader, Vocabulary vocab,
            int maxLength, String label, Progress progress) {
        List<String> missing = images.stream().map(CorpusImage::file)
                .filter(f -> !Files.isRegularFile(imageDir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new InputException(missing.size() + " of " + images.size() + " " + label + " images are missing in "
                    + imageDir + " (first: " + String.join(", ", missing.subList(0, Math.min(3, missing.size()))) + ")");
        }
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
        TrainingSet set = new TrainingSet(List.copyOf(images), pixels, size);
        for (int i = 0; i < images.size(); i++) {
            for (String caption : images.get(i).captions()) {
                set.captions.add(vocab.encode(Tokenizer.tokens(caption), maxLength));
                set.captionImage.add(i);
            }
        }
        return set;
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

    /** The image index caption k belongs to. */
    public int imageOf(int k) {
        return captionImage.get(k);
    }

    /** Side of the stored images. */
    public int imageSize() {
        return size;
    }

    /** Writes image i as floats in [0, 1] into {@code out} at {@code offset} ([3, S, S]). */
    public void copyPixels(int i, float[] out, int offset) {
        byte[] b = pixels[i];
        for (int k = 0; k < b.length; k++) {
            out[offset + k] = (b[k] & 0xff) / 255f;
        }
    }
}

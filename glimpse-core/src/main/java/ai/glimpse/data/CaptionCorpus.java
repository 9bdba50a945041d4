package ai.glimpse.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A set of images with their reference captions, whatever file format it came from (COCO captions,
 * Karpathy split, Flickr8k). Readers produce it; the vocabulary, batching and evaluation consume it.
 *
 * @param format a short name of the source format, e.g. {@code coco}, {@code karpathy}, {@code flickr8k}
 * @param images the images in file order
 */
public record CaptionCorpus(String format, List<CorpusImage> images) {
    public CaptionCorpus {
        images = List.copyOf(images);
    }

    /** The images that serve as {@code split} ({@code TRAIN} includes {@code RESTVAL}). */
    public List<CorpusImage> split(Split split) {
        return images.stream().filter(i -> i.split().servesAs(split)).toList();
    }

    /** Number of images per split, in enum order. */
    public Map<Split, Integer> imagesPerSplit() {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        for (CorpusImage image : images) {
            counts.merge(image.split(), 1, Integer::sum);
        }
        return counts;
    }

    /** Total number of captions over all images. */
    public int captionCount() {
        return images.stream().mapToInt(i -> i.captions().size()).sum();
    }
}

package ai.glimpse.data;

import java.util.List;
import java.util.Objects;

/**
 * One image of a caption corpus with its raw (untokenized) reference captions.
 *
 * @param id       the dataset's id for the image: the COCO numeric id as text, or the file name for
 *                 Flickr8k; what results files carry as {@code image_id}
 * @param file     the image's path relative to the images folder (e.g. {@code val2014/COCO_val2014_...jpg})
 * @param width    width in pixels, or 0 when the file does not say
 * @param height   height in pixels, or 0 when the file does not say
 * @param split    the split the image belongs to
 * @param captions raw captions as written in the file
 */
public record CorpusImage(String id, String file, int width, int height, Split split, List<String> captions) {
    public CorpusImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(split, "split");
        captions = List.copyOf(captions);
    }

    /** The numeric id when the id is a number (COCO), for results files; otherwise empty. */
    public java.util.OptionalLong numericId() {
        try {
            return java.util.OptionalLong.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }
}

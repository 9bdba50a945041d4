package ai.glimpse.api;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.decode.Caption;
import ai.glimpse.explain.CropBox;
import ai.glimpse.explain.ExplainFiles;
import ai.glimpse.explain.ExplainOptions;
import ai.glimpse.explain.ExplainWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * A caption with the picture it was made from, ready to be drawn: per-word overlays, the paper's grid
 * figure, the interactive page ({@link ExplainWriter}). Drawing needs no model.
 *
 * @param caption the caption, with its alphas and betas
 * @param image   the original image, at its own size
 * @param input   how the model's input was made from it (size and resize policy)
 */
public record Explanation(Caption caption, BufferedImage image, ImageOptions input) {
    /** Where on the original image the attention grid lies (the centre square of a centre crop). */
    public CropBox cropBox() {
        return CropBox.of(image.getWidth(), image.getHeight(), input);
    }

    /**
     * Writes what {@code glimpse explain} writes into {@code folder} (created when missing): one PNG per
     * word, {@code grid.png}, {@code attention.gif}, {@code index.html} and {@code attention.json}.
     *
     * @throws ai.glimpse.InputException naming the file when one cannot be written
     */
    public ExplainFiles writeTo(Path folder) {
        return writeTo(folder, ExplainOptions.defaults());
    }

    /** As {@link #writeTo(Path)}, drawn with {@code options} (smoothing, opacity, colours). */
    public ExplainFiles writeTo(Path folder, ExplainOptions options) {
        return new ExplainWriter(options).write(caption, image, input, folder);
    }

    /** {@code grid.png} as bytes: the image and one panel per word. */
    public byte[] gridPng() {
        return new ExplainWriter(ExplainOptions.defaults()).gridPng(caption, image, input);
    }

    /** {@code index.html} as text: a self-contained page that shows each word's attention on hover. */
    public String html() {
        return new ExplainWriter(ExplainOptions.defaults()).page(caption, image, input);
    }
}

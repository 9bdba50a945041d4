package ai.glimpse.explain;

import ai.glimpse.AtomicFile;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.decode.Caption;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes what a user needs to see where the model looked for each word of a {@link Caption}, as in the
 * figures of Show, Attend and Tell (Xu et al. 2015, 5.4): one PNG per word at the image's size ({@code
 * 01_a.png}, ...), {@code grid.png}, {@code attention.gif}, a self-contained {@code index.html} and
 * {@code attention.json}. It draws; it does not run the model.
 *
 * <p>The attention grid covers the model's square input, so it is laid over the {@link CropBox} that
 * the {@link ImageOptions} of the model's {@link ai.glimpse.data.ImageLoader} kept of the original (the
 * centre square for a centre crop); pixels outside it are shown dimmed and grey. The {@code <end>} step,
 * when the caption has one, gets its picture, panel and frame like a word (labelled {@code <end>}) unless
 * {@link ExplainOptions#includeEnd()} is false; the JSON always has every step. Every file is written
 * atomically ({@link AtomicFile}); files of an earlier run in the same folder are replaced when their
 * names recur and otherwise left alone.
 */
public final class ExplainWriter {
    /** JPEG quality of the pictures embedded in the HTML page. */
    private static final float PAGE_JPEG_QUALITY = 0.9f;

    private final ExplainOptions options;

    public ExplainWriter(ExplainOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public ExplainOptions options() {
        return options;
    }

    /**
     * Writes every file into {@code folder} (created when missing).
     *
     * @param caption the caption and its attention
     * @param image   the original image, as {@link ai.glimpse.data.ImageLoader#loadBufferedImage} gives it
     * @param input   how the model's input was made from it (size and resize policy)
     * @throws IllegalArgumentException when the caption's attention is malformed (not square, negative or
     *                                  NaN weights, more steps than words + 1)
     * @throws ai.glimpse.InputException naming the file when one cannot be written
     */
    public ExplainFiles write(Caption caption, BufferedImage image, ImageOptions input, Path folder) {
        List<AttentionStep> steps = AttentionStep.of(caption);
        List<AttentionStep> shown = steps.stream().filter(s -> options.includeEnd() || !s.end()).toList();
        int width = image.getWidth();
        int height = image.getHeight();
        CropBox box = CropBox.of(width, height, input);
        int grid = caption.gridSize();
        int digits = Math.max(2, Integer.toString(shown.size()).length());

        Scaled preview = Scaled.of(image, box, options.previewSide());
        List<Path> stepFiles = new ArrayList<>();
        List<BufferedImage> frames = new ArrayList<>();
        for (AttentionStep step : shown) {
            BufferedImage full = overlay(step, grid, image, box, 1.0);
            Label.drawBar(full, step.label());
            Path file = folder.resolve(step.fileName(digits, "png"));
            AtomicFile.write(file, ImageBytes.png(full));
            stepFiles.add(file);

            BufferedImage small = overlay(step, grid, preview.image(), preview.box(), preview.scale());
            Label.drawBar(small, step.label());
            frames.add(small);
        }
        Path gridFile = folder.resolve("grid.png");
        AtomicFile.write(gridFile, gridPng(caption, image, input));

        if (frames.isEmpty()) {
            BufferedImage only = Overlay.copy(preview.image());
            Label.drawBar(only, "(no attention steps)");
            frames.add(only);
        }
        Path gifFile = folder.resolve("attention.gif");
        AtomicFile.write(gifFile, out -> GifAnimation.write(out, frames, options.frameDelayMs()));

        Path pageFile = folder.resolve("index.html");
        AtomicFile.write(pageFile, page(caption, image, input).getBytes(StandardCharsets.UTF_8));

        Path jsonFile = folder.resolve("attention.json");
        AtomicFile.write(jsonFile, out -> AttentionJson.write(out, caption, steps, width, height, input, box));
        return new ExplainFiles(folder, stepFiles, gridFile, gifFile, pageFile, jsonFile);
    }

    /**
     * {@code grid.png} in memory: the image and one labelled panel per shown step, titled with the caption.
     *
     * @throws IllegalArgumentException as {@link #write}
     */
    public byte[] gridPng(Caption caption, BufferedImage image, ImageOptions input) {
        CropBox box = CropBox.of(image.getWidth(), image.getHeight(), input);
        int grid = caption.gridSize();
        Scaled panel = Scaled.of(image, box, options.panelSide());
        List<BufferedImage> panels = new ArrayList<>();
        List<String> labels = new ArrayList<>(List.of("image"));
        for (AttentionStep step : shown(caption)) {
            panels.add(overlay(step, grid, panel.image(), panel.box(), panel.scale()));
            labels.add(step.label());
        }
        return ImageBytes.png(GridFigure.draw(panel.image(), panels, labels, title(caption), options.gridColumns()));
    }

    /**
     * {@code index.html} in memory: the self-contained page (pictures as data URIs, no outside reference).
     *
     * @throws IllegalArgumentException as {@link #write}
     */
    public String page(Caption caption, BufferedImage image, ImageOptions input) {
        int width = image.getWidth();
        int height = image.getHeight();
        CropBox box = CropBox.of(width, height, input);
        int grid = caption.gridSize();
        Scaled preview = Scaled.of(image, box, options.previewSide());
        List<AttentionStep> shown = shown(caption);
        List<byte[]> overlays = new ArrayList<>();
        for (AttentionStep step : shown) {
            overlays.add(ImageBytes.jpeg(overlay(step, grid, preview.image(), preview.box(), preview.scale()), PAGE_JPEG_QUALITY));
        }
        HtmlReport.Facts facts = new HtmlReport.Facts(caption.text(), caption.logProb(), caption.finished(), grid,
                describe(box, width, height, input));
        return HtmlReport.render(ImageBytes.jpeg(preview.image(), PAGE_JPEG_QUALITY), overlays, shown, facts);
    }

    /** The steps that get pictures: every step, less {@code <end>} unless the options include it. */
    private List<AttentionStep> shown(Caption caption) {
        return AttentionStep.of(caption).stream().filter(s -> options.includeEnd() || !s.end()).toList();
    }

    /**
     * The heat of one step over a {@code width x height} original whose grid lies in {@code box}, with
     * these options' smoothing; what the per-word pictures colour.
     */
    public HeatMap heatMap(AttentionStep step, int grid, CropBox box, int width, int height) {
        return HeatMap.of(step.alpha(), grid, box, width, height, sigma(box, grid, 1.0));
    }

    /**
     * The per-word picture of step {@code step} of the caption (0-based), labelled with the word and its
     * gate, at the size of {@code image}.
     */
    public BufferedImage picture(Caption caption, int step, BufferedImage image, ImageOptions input) {
        List<AttentionStep> steps = AttentionStep.of(caption);
        if (step < 0 || step >= steps.size()) {
            throw new IndexOutOfBoundsException("step " + step + " of a caption with " + steps.size() + " steps");
        }
        CropBox box = CropBox.of(image.getWidth(), image.getHeight(), input);
        BufferedImage out = overlay(steps.get(step), caption.gridSize(), image, box, 1.0);
        Label.drawBar(out, steps.get(step).label());
        return out;
    }

    /** The overlay of one step on {@code image} whose grid lies in {@code box}; {@code scale} is image / original. */
    private BufferedImage overlay(AttentionStep step, int grid, BufferedImage image, CropBox box, double scale) {
        HeatMap heat = HeatMap.of(step.alpha(), grid, box, image.getWidth(), image.getHeight(), sigma(box, grid, scale));
        return Overlay.blend(image, heat, box, options.colourMap(), options.opacity());
    }

    /** Sigma in pixels of an image at {@code scale} of the original, whose crop box is {@code box}. */
    private double sigma(CropBox box, int grid, double scale) {
        double cell = Math.min(box.width(), box.height()) / grid / scale;   // cell side in original pixels
        return options.sigmaFor(cell) * scale;
    }

    private static String title(Caption caption) {
        String text = caption.words().isEmpty() ? "(empty caption)" : "\u201c" + caption.text() + "\u201d";
        String logProb = Double.isFinite(caption.logProb())
                ? String.format(Locale.ROOT, "%.3f", caption.logProb()) : String.valueOf(caption.logProb());
        return text + "   log p = " + logProb + (caption.finished() ? "" : "   (did not end)");
    }

    private static String describe(CropBox box, int width, int height, ImageOptions input) {
        if (box.coversWhole(width, height)) {
            return "the whole " + width + "\u00d7" + height + " image (" + input.policy().name().toLowerCase(Locale.ROOT)
                    + " resize to " + input.size() + ")";
        }
        return String.format(Locale.ROOT, "the centre %.0f\u00d7%.0f of the %d\u00d7%d image, from (%.1f, %.1f) "
                + "(shorter side to %d, centre crop)", box.width(), box.height(), width, height, box.x(), box.y(),
                input.size());
    }

    /** The image scaled to a longer side of {@code side}, with its crop box and its scale against the original. */
    private record Scaled(BufferedImage image, CropBox box, double scale) {
        static Scaled of(BufferedImage original, CropBox box, int side) {
            BufferedImage image = Overlay.resize(original, side);
            double sx = (double) image.getWidth() / original.getWidth();
            double sy = (double) image.getHeight() / original.getHeight();
            return new Scaled(image, box.scaled(sx, sy), (sx + sy) / 2);
        }
    }
}

package ai.glimpse.explain;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.decode.Caption;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Writes what a user needs to see where the model looked for each word of a {@link Caption}, as in the
 * figures of Show, Attend and Tell (Xu et al. 2015, 5.4): one PNG per word at the image's size ({@code
 * 01_a.png}, ...), {@code grid.png}, {@code attention.gif}, a self-contained {@code index.html} and
 * {@code attention.json}; with an {@link Explanation}'s deletion test, each word's result under its
 * panel, on the page and in the JSON; with its counterfactual, {@code grid_masked.png} and the masked
 * caption beside the original on the page. It draws; it does not run the model.
 *
 * <p>The attention grid covers the model's square input, so it is laid over the {@link CropBox} that
 * the {@link ImageOptions} of the model's {@link ai.glimpse.data.ImageLoader} kept of the original (the
 * centre square for a centre crop); pixels outside it are shown dimmed and grey. The {@code <end>} step,
 * when the caption has one, gets its picture, panel and frame like a word (labelled {@code <end>}) unless
 * {@link ExplainOptions#includeEnd()} is false; the JSON always has every step. Every file is written
 * atomically ({@link AtomicFile}). A folder an earlier run wrote (it holds a Glimpse {@code
 * attention.json}) loses that run's files first, so no stale word picture survives; other files are
 * left alone.
 */
public final class ExplainWriter {
    /** JPEG quality of the pictures embedded in the HTML page. */
    private static final float PAGE_JPEG_QUALITY = 0.9f;
    /** The files an explain run writes, by name. */
    private static final Pattern WRITTEN = Pattern.compile("\\d+_[a-z0-9_-]+\\.png|grid\\.png|grid_masked\\.png"
            + "|attention\\.gif|index\\.html|attention\\.json");
    private static final Color FAITHFUL = new Color(0x1a, 0x7f, 0x37);
    private static final Color UNFAITHFUL = new Color(0xb0, 0x30, 0x20);

    private final ExplainOptions options;

    public ExplainWriter(ExplainOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public ExplainOptions options() {
        return options;
    }

    /** Writes a caption alone: {@link #write(Explanation, BufferedImage, ImageOptions, Path)} without tests. */
    public ExplainFiles write(Caption caption, BufferedImage image, ImageOptions input, Path folder) {
        return write(Explanation.of(caption), image, input, folder);
    }

    /**
     * Writes every file into {@code folder} (created when missing).
     *
     * @param explanation the caption and its attention, with the probes' results when they were run
     * @param image       the original image, as {@link ai.glimpse.data.ImageLoader#loadBufferedImage} gives it
     * @param input       how the model's input was made from it (size and resize policy)
     * @throws IllegalArgumentException when a caption's attention is malformed (not square, negative or
     *                                  NaN weights, more steps than words + 1)
     * @throws ai.glimpse.InputException naming the file when one cannot be written
     */
    public ExplainFiles write(Explanation explanation, BufferedImage image, ImageOptions input, Path folder) {
        Caption caption = explanation.caption();
        List<AttentionStep> steps = AttentionStep.of(caption);
        List<AttentionStep> maskedSteps = explanation.counterfactual() == null ? List.of()
                : AttentionStep.of(explanation.counterfactual().caption());
        List<AttentionStep> shown = visible(steps);
        int width = image.getWidth();
        int height = image.getHeight();
        CropBox box = CropBox.of(width, height, input);
        int grid = caption.gridSize();
        int regions = grid * grid;
        int digits = Math.max(2, Integer.toString(shown.size()).length());
        clearEarlierRun(folder);

        Scaled preview = Scaled.of(image, box, Math.min(options.previewSide(), 2 * Math.max(width, height)));
        Scaled panel = Scaled.of(image, box, options.panelSide());
        Explanation.Faithfulness tests = explanation.faithfulness();
        Drawn[] drawn = new Drawn[shown.size()];
        try (Painters painters = Painters.of(box.coversWhole(width, height), options, image, preview.image(), panel.image())) {
            IntStream.range(0, shown.size()).parallel().forEach(i -> {
                AttentionStep step = shown.get(i);
                HeatMap.Field field = field(step, grid, box);
                BufferedImage full = overlay(field, image, box, painters.full());
                Label.drawBar(full, step.label());
                Path file = folder.resolve(step.fileName(digits, "png"));
                AtomicFile.write(file, ImageBytes.png(full));
                BufferedImage small = overlay(field, preview.image(), preview.box(), painters.preview());
                byte[] jpeg = ImageBytes.jpeg(small, PAGE_JPEG_QUALITY);
                Label.drawBar(small, step.label());
                drawn[i] = new Drawn(file, jpeg, small, overlay(field, panel.image(), panel.box(), painters.panel()));
            });
        }
        List<Path> stepFiles = new ArrayList<>();
        List<BufferedImage> frames = new ArrayList<>();
        List<byte[]> pageOverlays = new ArrayList<>();
        List<BufferedImage> panels = new ArrayList<>();
        List<GridFigure.Caption> labels = new ArrayList<>(List.of(new GridFigure.Caption("image", null)));
        for (int i = 0; i < shown.size(); i++) {
            AttentionStep step = shown.get(i);
            stepFiles.add(drawn[i].file());
            pageOverlays.add(drawn[i].jpeg());
            frames.add(drawn[i].frame());
            panels.add(drawn[i].panel());
            labels.add(panelLabel(step, tests == null ? null : tests.steps().get(step.index()), tests));
        }
        if (frames.isEmpty()) {
            BufferedImage only = Overlay.copy(preview.image());
            Label.drawBar(only, "(no attention steps)");
            frames.add(only);
        }
        Path gifFile = folder.resolve("attention.gif");
        CompletableFuture<Void> gifWritten = CompletableFuture.runAsync(   // the slowest file, beside the others
                () -> AtomicFile.write(gifFile, out -> GifAnimation.write(out, frames, options.frameDelayMs())));
        Path gridFile = folder.resolve("grid.png");
        AtomicFile.write(gridFile, gridFigure(panel.image(), panels, labels, title(caption, ""), regions));

        Path maskedGridFile = null;
        HtmlReport.Side maskedSide = null;
        if (explanation.counterfactual() != null) {
            Explanation.Counterfactual cf = explanation.counterfactual();
            BufferedImage maskedPanel = Overlay.hatch(panel.image(), panel.box(), grid, cf.masked());
            BufferedImage maskedPreview = Overlay.hatch(preview.image(), preview.box(), grid, cf.masked());
            List<BufferedImage> cfPanels = new ArrayList<>();
            List<byte[]> cfOverlays = new ArrayList<>();
            List<GridFigure.Caption> cfLabels = new ArrayList<>(List.of(new GridFigure.Caption("masked", null)));
            List<AttentionStep> cfShown = visible(maskedSteps);
            BufferedImage[] cfDrawn = new BufferedImage[cfShown.size()];
            byte[][] cfJpegs = new byte[cfShown.size()][];
            try (Painters painters = Painters.of(box.coversWhole(width, height), options, null, maskedPreview, maskedPanel)) {
                IntStream.range(0, cfShown.size()).parallel().forEach(i -> {
                    HeatMap.Field field = field(cfShown.get(i), grid, box);
                    cfDrawn[i] = overlay(field, maskedPanel, panel.box(), painters.panel());
                    cfJpegs[i] = ImageBytes.jpeg(overlay(field, maskedPreview, preview.box(), painters.preview()), PAGE_JPEG_QUALITY);
                });
            }
            for (int i = 0; i < cfShown.size(); i++) {
                cfPanels.add(cfDrawn[i]);
                cfOverlays.add(cfJpegs[i]);
                cfLabels.add(new GridFigure.Caption(cfShown.get(i).label(), null));
            }
            maskedGridFile = folder.resolve("grid_masked.png");
            AtomicFile.write(maskedGridFile, gridFigure(maskedPanel, cfPanels, cfLabels,
                    title(cf.caption(), "masked " + cf.description() + ": "), regions));
            maskedSide = new HtmlReport.Side("masked " + cf.description() + " (" + cf.count() + " of " + regions
                    + " cells masked)", ImageBytes.jpeg(maskedPreview, PAGE_JPEG_QUALITY),
                    cfOverlays, cfShown, null, cf.caption().text(), cf.caption().logProb(), cf.caption().finished());
        }

        HtmlReport.Side original = new HtmlReport.Side("the image", ImageBytes.jpeg(preview.image(), PAGE_JPEG_QUALITY),
                pageOverlays, shown, tests, caption.text(), caption.logProb(), caption.finished());
        HtmlReport.Facts facts = new HtmlReport.Facts(caption.text(), grid, describe(box, width, height, input),
                options.colourMap(), options.scale());
        String html = HtmlReport.render(original, maskedSide, facts);
        Path pageFile = folder.resolve("index.html");
        AtomicFile.write(pageFile, html.getBytes(StandardCharsets.UTF_8));

        try {
            gifWritten.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Path jsonFile = folder.resolve("attention.json");
        AtomicFile.write(jsonFile, out -> AttentionJson.write(out, explanation, steps, width, height, input, box));
        return new ExplainFiles(folder, stepFiles, gridFile, gifFile, pageFile, jsonFile, maskedGridFile);
    }

    /**
     * {@code grid.png} in memory, without the deletion test: what the library and the server hand out.
     *
     * @throws IllegalArgumentException as {@link #write}
     */
    public byte[] gridPng(Caption caption, BufferedImage image, ImageOptions input) {
        CropBox box = CropBox.of(image.getWidth(), image.getHeight(), input);
        int grid = caption.gridSize();
        Scaled panel = Scaled.of(image, box, options.panelSide());
        List<AttentionStep> shown = visible(AttentionStep.of(caption));
        List<GridFigure.Caption> labels = new ArrayList<>(List.of(new GridFigure.Caption("image", null)));
        shown.forEach(step -> labels.add(new GridFigure.Caption(step.label(), null)));
        return gridFigure(panel.image(), overlays(shown, grid, box, image, panel), labels, title(caption, ""), grid * grid);
    }

    /**
     * {@code index.html} in memory, without the deletion test: the self-contained page (pictures as data
     * URIs, no outside reference).
     *
     * @throws IllegalArgumentException as {@link #write}
     */
    public String page(Caption caption, BufferedImage image, ImageOptions input) {
        int width = image.getWidth();
        int height = image.getHeight();
        CropBox box = CropBox.of(width, height, input);
        int grid = caption.gridSize();
        Scaled preview = Scaled.of(image, box, Math.min(options.previewSide(), 2 * Math.max(width, height)));
        List<AttentionStep> shown = visible(AttentionStep.of(caption));
        List<byte[]> overlays = overlays(shown, grid, box, image, preview).stream().parallel()
                .map(o -> ImageBytes.jpeg(o, PAGE_JPEG_QUALITY)).toList();
        HtmlReport.Side original = new HtmlReport.Side("the image", ImageBytes.jpeg(preview.image(), PAGE_JPEG_QUALITY),
                overlays, shown, null, caption.text(), caption.logProb(), caption.finished());
        HtmlReport.Facts facts = new HtmlReport.Facts(caption.text(), grid, describe(box, width, height, input),
                options.colourMap(), options.scale());
        return HtmlReport.render(original, null, facts);
    }

    /** Each step's overlay on the scaled copy {@code at} of {@code image}, drawn in parallel. */
    private List<BufferedImage> overlays(List<AttentionStep> steps, int grid, CropBox box, BufferedImage image, Scaled at) {
        BufferedImage[] out = new BufferedImage[steps.size()];
        boolean whole = box.coversWhole(image.getWidth(), image.getHeight());
        try (Painters painters = Painters.of(whole, options, null, null, at.image())) {
            IntStream.range(0, steps.size()).parallel().forEach(i ->
                    out[i] = overlay(field(steps.get(i), grid, box), at.image(), at.box(), painters.panel()));
        }
        return List.of(out);
    }

    /** A grid figure's PNG: the first picture and the panels with their labels, titled, with the colour legend. */
    private byte[] gridFigure(BufferedImage first, List<BufferedImage> panels, List<GridFigure.Caption> labels, String title,
            int regions) {
        GridFigure.LegendSpec legend = new GridFigure.LegendSpec(options.colourMap(), options.scale(), Math.max(1, regions));
        return ImageBytes.png(GridFigure.draw(first, panels, labels, title, options.gridColumns(), legend));
    }

    private List<AttentionStep> visible(List<AttentionStep> steps) {
        return steps.stream().filter(s -> options.includeEnd() || !s.end()).toList();
    }

    /** The grid panel's label: the step's label, and under it what the deletion test found. */
    private static GridFigure.Caption panelLabel(AttentionStep step, Explanation.StepTest test, Explanation.Faithfulness f) {
        if (test == null) {
            return new GridFigure.Caption(step.label(), null);
        }
        String line = String.format(Locale.ROOT, "mask top %d%%: %+.2f  other: %+.2f", Math.round(100 * f.share()),
                -test.dropTop(), -test.dropControl()).replace('-', '\u2212');
        return new GridFigure.Caption(step.label() + "\n" + line, test.faithful() ? FAITHFUL : UNFAITHFUL);
    }

    /**
     * Deletes the files an earlier run wrote into {@code folder} when it holds a Glimpse {@code
     * attention.json}: a run with fewer words must not leave the old words' pictures behind.
     */
    private static void clearEarlierRun(Path folder) {
        Path json = folder.resolve("attention.json");
        if (!Files.isRegularFile(json) || !AttentionJson.isOurs(json)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && WRITTEN.matcher(f.getFileName().toString()).matches()) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot replace the earlier explanation in " + folder + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new InputException("cannot replace the earlier explanation in " + folder + ": " + e.getCause().getMessage());
        }
    }

    /**
     * The heat of one step over a {@code width x height} original whose grid lies in {@code box}, with
     * these options' smoothing and scale; what the per-word pictures colour.
     */
    public HeatMap heatMap(AttentionStep step, int grid, CropBox box, int width, int height) {
        return field(step, grid, box).sample(box, width, height, options.scale());
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
        BufferedImage out = overlay(field(steps.get(step), caption.gridSize(), box), image, box, null);
        Label.drawBar(out, steps.get(step).label());
        return out;
    }

    /** One step's attention upsampled and smoothed over the crop box of the original, once for every picture of it. */
    private HeatMap.Field field(AttentionStep step, int grid, CropBox box) {
        double cell = Math.min(box.width(), box.height()) / grid;          // cell side in original pixels
        return HeatMap.Field.of(step.alpha(), grid, box, options.sigmaFor(cell));
    }

    /**
     * The overlay of a field on {@code image} whose grid lies in {@code box}: through the image's painter
     * (OpenCV) when it has one, else sampled and blended in Java (which also greys what lies outside the box).
     */
    private BufferedImage overlay(HeatMap.Field field, BufferedImage image, CropBox box, OverlayPainter painter) {
        if (painter != null) {
            return painter.paint(field);
        }
        HeatMap heat = field.sample(box, image.getWidth(), image.getHeight(), options.scale());
        return Overlay.blend(image, heat, box, options.colourMap(), options.opacity());
    }

    /** One step's pictures: its PNG file, the page's JPEG, the GIF frame (labelled) and the grid panel. */
    private record Drawn(Path file, byte[] jpeg, BufferedImage frame, BufferedImage panel) {
    }

    /** Painters of the three pictures of one image (all null when the grid does not cover the whole image). */
    private record Painters(OverlayPainter full, OverlayPainter preview, OverlayPainter panel) implements AutoCloseable {
        static Painters of(boolean whole, ExplainOptions o, BufferedImage full, BufferedImage preview, BufferedImage panel) {
            if (!whole) {
                return new Painters(null, null, null);
            }
            return new Painters(painter(o, full), painter(o, preview), painter(o, panel));
        }

        private static OverlayPainter painter(ExplainOptions o, BufferedImage image) {
            return image == null ? null : new OverlayPainter(image, o.colourMap(), o.scale(), o.opacity());
        }

        @Override
        public void close() {
            for (OverlayPainter p : new OverlayPainter[] {full, preview, panel}) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    private static String title(Caption caption, String prefix) {
        String text = caption.words().isEmpty() ? "(empty caption)" : "\u201c" + caption.text() + "\u201d";
        String logProb = Double.isFinite(caption.logProb())
                ? String.format(Locale.ROOT, "%.3f", caption.logProb()) : String.valueOf(caption.logProb());
        return prefix + text + "   log p = " + logProb + (caption.finished() ? "" : "   (did not end)");
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

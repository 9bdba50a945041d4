package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.explain.CropBox;
import ai.glimpse.explain.ExplainFiles;
import ai.glimpse.explain.ExplainOptions;
import ai.glimpse.explain.ExplainWriter;
import ai.glimpse.explain.Explanation;
import ai.glimpse.explain.HeatScale;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.probe.DeletionTest;
import ai.glimpse.probe.PixelBox;
import ai.glimpse.probe.Probes;
import ai.glimpse.probe.RegionMask;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glimpse explain}: captions images and shows where the model looked for every word, and whether it mattered. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows where the model looked for each word of an image's caption, and whether it mattered.",
            "Captions the images, then writes into the --out folder one overlay PNG per word (the attention as a heat"
                    + " map over the image, labelled with the word and its gate beta), grid.png (all of them in one"
                    + " figure, as in the paper), attention.gif, a self-contained index.html to explore them, and"
                    + " attention.json with the numbers. Each word is also tested: its most attended regions are"
                    + " masked, and as many it ignored, and the drop of its log-probability is shown for both."
                    + " --mask and --mask-outside caption the image again with regions masked and show both captions"
                    + " side by side. One image is written into --out, several each into --out/NAME; a folder an"
                    + " earlier run wrote is replaced."},
        footerHeading = "%nExample:%n",
        footer = {"  glimpse explain --model pretrained/glimpse-shapes.zip --out overlays \\",
            "      datasets/samples/shapes_1.png datasets/samples/shapes_2.png"})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DecodeOptions decode;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "The images to explain (decoded together).")
    List<Path> images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the overlays (made when missing).")
    Path out;

    @Option(names = "--smooth", paramLabel = "X",
            description = "Gaussian smoothing of the upsampled attention: its sigma in image pixels. Default: half a grid"
                    + " cell.")
    Double smooth;

    @Option(names = "--opacity", defaultValue = "0.6", paramLabel = "X",
            description = "Opacity of the heat map over the image, 0..1. Default: ${DEFAULT-VALUE}.")
    double opacity;

    @Option(names = "--scale", defaultValue = "word", paramLabel = "word|uniform",
            description = "Colour scale: word (each word against its own peak, as the paper's figures) or uniform"
                    + " (every word against uniform attention 1/L, log scale: a flat map looks flat). Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--deletion-percent", defaultValue = "20", paramLabel = "X",
            description = "The deletion test masks the X%% of regions a word attended most, and as a control the X%% it "
                    + "attended least (0 < X <= 50). Default: ${DEFAULT-VALUE}.")
    double deletionPercent;

    @Option(names = "--deletion-scope", defaultValue = "step", paramLabel = "step|prefix",
            description = "Which steps read the masked regions: the word's own (its state comes from the whole image) or "
                    + "every step up to it. Default: ${DEFAULT-VALUE}.")
    String deletionScope;

    @Option(names = "--mask", paramLabel = "X,Y,W,H",
            description = "Caption the image again with the grid cells this box (image pixels) overlaps masked; repeatable.")
    List<String> masks = new ArrayList<>();

    @Option(names = "--mask-outside", paramLabel = "X,Y,W,H",
            description = "Caption the image again with every cell this box does not overlap masked; repeatable (the union is kept).")
    List<String> masksOutside = new ArrayList<>();

    @Option(names = "--mask-fill", defaultValue = "blank", paramLabel = "blank|mean",
            description = "What masked regions' features become: blank (those of a mid-grey picture: nothing there) or mean"
                    + " (the image's mean feature, mostly its background). Default: ${DEFAULT-VALUE}.")
    String maskFill;

    @Override
    public Integer call() {
        if (smooth != null && !(smooth >= 0 && smooth <= ExplainOptions.MAX_SMOOTH_PIXELS)) {
            throw new InputException("--smooth must be between 0 and " + (int) ExplainOptions.MAX_SMOOTH_PIXELS
                    + " pixels, got " + smooth);
        }
        ExplainOptions options;
        DeletionTest.Settings settings;
        List<PixelBox> inside;
        List<PixelBox> outside;
        RegionMask.Fill fill;
        try {
            options = ExplainOptions.defaults().withOpacity(opacity).withScale(HeatScale.parse(scale));
            if (smooth != null) {
                options = options.withSmoothSigma(smooth);
            }
            settings = new DeletionTest.Settings(deletionPercent / 100, DeletionTest.Scope.parse(deletionScope));
            inside = masks.stream().map(PixelBox::parse).toList();
            outside = masksOutside.stream().map(PixelBox::parse).toList();
            fill = RegionMask.Fill.parse(maskFill);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        SearchStrategy strategy = decode.strategy();
        ModelBundle bundle = DecodeOptions.loadModel(decode.model);
        images.forEach(image -> ai.glimpse.InputFiles.requireFile(image, image.toString()));   // before --out is made
        Outputs.requireWritableFolder(out, "--out");
        DecodeOptions.checkEncoderWeights(bundle, decode.encoderWeights);
        ImageCaptioner captioner = new ImageCaptioner(bundle, decode.maxLength(bundle), decode.encoderWeights);
        Probes probes = new Probes(captioner.captioner(), bundle.vocabulary(), settings);
        ImageLoader loader = new ImageLoader(bundle.preprocessing());
        ExplainWriter writer = new ExplainWriter(options);
        List<Path> folders = folders(images, out);
        org.nd4j.linalg.api.ndarray.INDArray blank = fill == RegionMask.Fill.BLANK && !(inside.isEmpty() && outside.isEmpty())
                ? captioner.blankFeatures() : null;
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (int from = 0; from < images.size(); from += ImageCaptioner.BATCH) {
            List<Path> files = images.subList(from, Math.min(images.size(), from + ImageCaptioner.BATCH));
            ImageCaptioner.Batch batch = captioner.read(files);
            List<Integer> ok = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                if (batch.errors()[i] == null) {
                    ok.add(i);
                } else if (images.size() == 1) {
                    throw new InputException(batch.errors()[i]);
                } else {
                    err.println("glimpse: " + batch.errors()[i]);
                    failed++;
                }
            }
            if (ok.isEmpty()) {
                continue;
            }
            List<Caption> captions = captioner.captioner().caption(
                    captioner.captioner().inference().encodeFeatures(batch.features()), strategy);
            var tests = probes.deletion(batch.features(), captions);
            List<BufferedImage> pictures = new ArrayList<>();
            List<RegionMask> regionMasks = new ArrayList<>();
            int grid = bundle.config().gridSize();
            for (int k = 0; k < ok.size(); k++) {
                BufferedImage picture = loader.loadBufferedImage(files.get(ok.get(k)));
                pictures.add(picture);
                CropBox crop = CropBox.of(picture.getWidth(), picture.getHeight(), bundle.preprocessing());
                RegionMask m = RegionMask.none(grid);
                if (!inside.isEmpty()) {
                    m = m.or(RegionMask.covering(inside, crop, grid));
                }
                if (!outside.isEmpty()) {
                    m = m.or(RegionMask.outside(outside, crop, grid));
                }
                regionMasks.add(m);
            }
            List<Caption> masked = inside.isEmpty() && outside.isEmpty() ? null
                    : probes.recaption(batch.features(), regionMasks, blank, strategy);
            for (int k = 0; k < ok.size(); k++) {
                int i = ok.get(k);
                Caption c = captions.get(k);
                Explanation.Counterfactual cf = masked == null ? null
                        : new Explanation.Counterfactual(describeMask(inside, outside) + ", " + fill.label() + " fill",
                                regionMasks.get(k).masked(), masked.get(k));
                Explanation e = new Explanation(c, probes.forFigures(tests.get(k), grid * grid), cf);
                ExplainFiles written = writer.write(e, pictures.get(k), bundle.preprocessing(), folders.get(from + i));
                o.printf(Locale.ROOT, "%s\t%s\t%.4f%n", files.get(i), c.text(), c.logProb());
                if (cf != null) {
                    o.printf(Locale.ROOT, "%s\tmasked %s\t%s\t%.4f%n", files.get(i), cf.description(), cf.caption().text(),
                            cf.caption().logProb());
                }
                long faithful = tests.get(k).stream().filter(DeletionTest.Word::topHurtsMore).count();
                o.printf(Locale.ROOT, "overlays: %d word images, %s, %s, %s, %s%s in %s; deletion test: %d of %d steps "
                        + "hurt more by masking their top %s%% than the control%n", written.stepImages().size(),
                        written.grid().getFileName(), written.animation().getFileName(), written.page().getFileName(),
                        written.json().getFileName(), written.maskedGrid() == null ? "" : ", " + written.maskedGrid().getFileName(),
                        written.folder(), faithful, tests.get(k).size(), trim(deletionPercent));
            }
            o.flush();
        }
        if (failed > 0) {
            err.println("glimpse: " + failed + " of " + images.size() + " images could not be explained");
            err.flush();
            return Main.BAD_INPUT;
        }
        return Main.OK;
    }

    /** One image: {@code out} itself; several: {@code out/NAME} for each, NAME its file name without extension, made unique. */
    static List<Path> folders(List<Path> images, Path out) {
        if (images.size() == 1) {
            return List.of(out);
        }
        Set<String> used = new HashSet<>();
        List<Path> folders = new ArrayList<>();
        for (Path image : images) {
            String stem = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            String name = stem.isEmpty() ? "image" : stem;
            for (int k = 2; !used.add(name.toLowerCase(Locale.ROOT)); k++) {
                name = stem + "-" + k;
            }
            folders.add(out.resolve(name));
        }
        return folders;
    }

    private static String describeMask(List<PixelBox> inside, List<PixelBox> outside) {
        List<String> parts = new ArrayList<>();
        if (!inside.isEmpty()) {
            parts.add(inside.stream().map(PixelBox::toString).collect(Collectors.joining(" and ")));
        }
        if (!outside.isEmpty()) {
            parts.add("outside " + outside.stream().map(PixelBox::toString).collect(Collectors.joining(" and ")));
        }
        return String.join(", ", parts);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

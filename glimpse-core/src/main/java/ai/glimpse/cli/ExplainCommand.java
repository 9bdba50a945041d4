package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.explain.ExplainFiles;
import ai.glimpse.explain.ExplainOptions;
import ai.glimpse.explain.ExplainWriter;
import ai.glimpse.model.ModelBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glimpse explain}: captions one image and shows where the model looked for every word. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows where the model looked for each word of an image's caption.",
            "Captions the image, then writes into the --out folder one overlay PNG per word (the attention as a heat"
                    + " map over the image, labelled with the word and its gate beta), grid.png (all of them in one"
                    + " figure, as in the paper), attention.gif, a self-contained index.html to explore them, and"
                    + " attention.json with the numbers."},
        footerHeading = "%nExample:%n",
        footer = {"  glimpse explain --model pretrained/glimpse-shapes.zip --out overlays \\",
            "      datasets/samples/shapes_1.png"})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DecodeOptions decode;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to explain.")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the overlays (made when missing).")
    Path out;

    @Option(names = "--smooth", paramLabel = "X",
            description = "Gaussian smoothing of the upsampled attention: its sigma in image pixels. Default: half a grid"
                    + " cell.")
    Double smooth;

    @Option(names = "--opacity", defaultValue = "0.6", paramLabel = "X",
            description = "Opacity of the heat map over the image, 0..1. Default: ${DEFAULT-VALUE}.")
    double opacity;

    @Override
    public Integer call() {
        if (smooth != null && !(smooth >= 0 && smooth <= ExplainOptions.MAX_SMOOTH_PIXELS)) {
            throw new InputException("--smooth must be between 0 and " + (int) ExplainOptions.MAX_SMOOTH_PIXELS
                    + " pixels, got " + smooth);
        }
        ExplainOptions options;
        try {
            options = ExplainOptions.defaults().withOpacity(opacity);
            if (smooth != null) {
                options = options.withSmoothSigma(smooth);
            }
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        SearchStrategy strategy = decode.strategy();
        ModelBundle bundle = DecodeOptions.loadModel(decode.model);
        ai.glimpse.InputFiles.requireFile(image, image.toString());      // before --out is made
        Outputs.requireWritableFolder(out, "--out");
        DecodeOptions.checkEncoderWeights(bundle, decode.encoderWeights);
        ImageCaptioner captioner = new ImageCaptioner(bundle, decode.maxLength(bundle), decode.encoderWeights);
        Caption[] caption = new Caption[1];
        String[] error = new String[1];
        captioner.caption(List.of(image), strategy, Progress.NONE, r -> {
            caption[0] = r.caption();
            error[0] = r.error();
        });
        if (caption[0] == null) {
            throw new InputException(error[0]);
        }
        ImageLoader loader = new ImageLoader(bundle.preprocessing());
        ExplainFiles files = new ExplainWriter(options).write(caption[0], loader.loadBufferedImage(image),
                bundle.preprocessing(), out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s\t%s\t%.4f%n", image, caption[0].text(), caption[0].logProb());
        o.printf("overlays: %d word images, %s, %s, %s, %s in %s%n", files.stepImages().size(),
                files.grid().getFileName(), files.animation().getFileName(), files.page().getFileName(),
                files.json().getFileName(), files.folder());
        o.flush();
        return Main.OK;
    }
}

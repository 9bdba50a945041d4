package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.synth.SplitRatio;
import ai.glimpse.synth.SynthConfig;
import ai.glimpse.synth.SynthGenerator;
import ai.glimpse.synth.SynthSummary;
import ai.glimpse.synth.Variant;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code synth} verb: writes a synthetic COCO-style dataset whose right captions and boxes are known. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {
            "Writes a synthetic captioning dataset: PNG scenes of coloured shapes on textured backgrounds"
                    + " (or, with --variant snow, a dog or a wolf on grass or snow, the background correlated"
                    + " with the animal in train and val and reversed in test), COCO captions and instances"
                    + " files per split, and Karpathy's dataset.json.",
            "The same seed and options always give the same files."})
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder to write to; must be missing, empty or an earlier synth output (see --force).")
    Path out;

    @Option(names = "--images", paramLabel = "N", defaultValue = "1000",
            description = "Number of images, 3..999999 (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "128",
            description = "Width and height of the images in pixels, 32..1024 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--variant", paramLabel = "shapes|snow", defaultValue = "shapes",
            description = "shapes: 1-3 coloured shapes with spatial relations; snow: the dog-and-wolf"
                    + " background-bias case (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--split", paramLabel = "TRAIN/VAL/TEST", defaultValue = "80/10/10",
            description = "Percentages of train, val and test images (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--force", description = "Write into a non-empty folder that is not an earlier synth output.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        SynthConfig config;
        try {
            config = new SynthConfig(images, size, seed, Variant.parse(variant), SplitRatio.parse(split));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        SynthSummary summary = new SynthGenerator(config).write(out, force, ConsoleProgress.on(err));
        PrintWriter stdout = spec.commandLine().getOut();
        summary.lines().forEach(stdout::println);
        stdout.flush();
        return Main.OK;
    }
}

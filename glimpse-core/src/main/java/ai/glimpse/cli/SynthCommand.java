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
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Writes a synthetic captioning dataset whose right captions and boxes are known.",
            "The images are PNG scenes of one to three coloured shapes on textured backgrounds or, with --variant"
                    + " snow, a dog or a wolf on grass or snow (the background goes with the animal in train and val"
                    + " and against it in test). Beside them: COCO captions and instances files per split, and a"
                    + " Karpathy-style dataset.json that train, vocab and evaluate read.",
            "The same seed and options always give the same files."},
        footerHeading = "%nExample:%n",
        footer = {"  glimpse synth --out work/shapes --count 3000 --seed 1"})
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder to write to; must be missing, empty or an earlier synth output (see --force).")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1000",
            description = "Number of images, " + SynthConfig.MIN_IMAGES + ".." + SynthConfig.MAX_IMAGES
                    + ". Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "128",
            description = "Width and height of the images in pixels, " + SynthConfig.MIN_SIZE + ".." + SynthConfig.MAX_SIZE
                    + ". Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of every random choice. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--variant", paramLabel = "shapes|snow", defaultValue = "shapes",
            description = "shapes: 1-3 coloured shapes with spatial relations; snow: the dog-and-wolf"
                    + " background-bias case. Default: ${DEFAULT-VALUE}.")
    String variant;

    @Option(names = "--split", paramLabel = "TRAIN/VAL/TEST", defaultValue = "80/10/10",
            description = "Percentages of train, val and test images. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--force", description = "Write into a non-empty folder that is not an earlier synth output.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (count < SynthConfig.MIN_IMAGES || count > SynthConfig.MAX_IMAGES) {
            throw new InputException("--count must be between " + SynthConfig.MIN_IMAGES + " and " + SynthConfig.MAX_IMAGES
                    + " images, got " + count);
        }
        SynthConfig config;
        try {
            config = new SynthConfig(count, size, seed, Variant.parse(variant), SplitRatio.parse(split));
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

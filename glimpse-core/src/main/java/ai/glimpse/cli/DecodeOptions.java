package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.model.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Options of every command that decodes with a model; builds the {@link SearchStrategy}. */
public final class DecodeOptions {
    /**
     * The widest beam accepted. Captioning gains nothing past a beam of about 20 (Xu et al. use 3 to 10),
     * and memory grows faster than the beam: 16 images at a beam of 50 take about 1.2 GB with the shapes
     * model, at 100 about 2.9 GB, and a beam of 100000 asked for 13.7 GB and failed.
     */
    static final int MAX_BEAM = 50;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file 'glimpse train' wrote (a .zip).")
    Path model;

    @Option(names = "--encoder-weights", paramLabel = "FILE",
            description = "For a model on vgg16 or resnet50 features: the encoder's weights file. Default: the file it was"
                    + " trained with.")
    Path encoderWeights;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "N",
            description = "Beam width, 1.." + MAX_BEAM + "; 1 is greedy search. Default: ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Most words a caption may have, 1.." + ModelConfig.MAX_LENGTH + ". Default: the model's"
                    + " (its training captions' length, train --truncate).")
    Integer maxLength;

    @Option(names = "--length-penalty", defaultValue = "1.0", paramLabel = "X",
            description = "Beam search ranks captions by log p / steps^X (0: the raw log-probability). Default:"
                    + " ${DEFAULT-VALUE}.")
    double lengthPenalty;

    /** Loads the model of {@code --model}, refusing a folder with the model files it holds. */
    static ModelBundle loadModel(Path model) {
        requireModelFile(model, "--model");
        return ModelBundle.load(model);
    }

    /**
     * Refuses a folder given where a model file belongs, naming the .zip files in it ("--model pretrained:
     * is a folder, not a model file; in it: pretrained/glimpse-shapes.zip, pretrained/glimpse-snow.zip").
     */
    static void requireModelFile(Path model, String option) {
        if (!Files.isDirectory(model)) {
            return;
        }
        List<String> zips;
        try (Stream<Path> list = Files.list(model)) {
            zips = list.filter(f -> f.getFileName().toString().endsWith(".zip") && Files.isRegularFile(f))
                    .map(Path::toString).sorted().limit(4).toList();
        } catch (IOException | UncheckedIOException e) {
            zips = List.of();
        }
        throw new InputException(option + " " + model + ": is a folder, not a model file; "
                + (zips.isEmpty() ? "give the .zip that 'glimpse train' wrote" : "in it: " + String.join(", ", zips)));
    }

    /** Greedy for a beam of 1, else beam search. */
    SearchStrategy strategy() {
        return strategy(beam, lengthPenalty);
    }

    /** The search for {@code --beam} and {@code --length-penalty}, refusing bad values by flag. */
    static SearchStrategy strategy(int beam, double lengthPenalty) {
        if (beam < 1 || beam > MAX_BEAM) {
            throw new InputException("--beam must be between 1 and " + MAX_BEAM + ", got " + beam);
        }
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new InputException("--length-penalty must be >= 0, got " + lengthPenalty);
        }
        return beam == 1 ? new SearchStrategy.Greedy() : new SearchStrategy.Beam(beam, lengthPenalty);
    }

    /**
     * Refuses, before the encoder's loader opens it, an encoder weights file that is not a regular file
     * (a named pipe would block it): the one given, or else the one the model recorded at training.
     */
    static void checkEncoderWeights(ModelBundle bundle, Path given) {
        if (bundle.model().takesImages() || bundle.encoder() == null) {
            return;
        }
        String recorded = bundle.encoder().weightsPath();
        Path file = given != null ? given : recorded == null ? null : Path.of(recorded);
        if (file != null) {
            InputFiles.requireFile(file, "weights file " + file);
        }
    }

    int maxLength(ModelBundle bundle) {
        if (maxLength == null) {
            return bundle.config().maxLength();
        }
        if (maxLength < 1 || maxLength > ModelConfig.MAX_LENGTH) {
            throw new InputException("--max-length must be between 1 and " + ModelConfig.MAX_LENGTH + ", got " + maxLength);
        }
        return maxLength;
    }
}

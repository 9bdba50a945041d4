package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.model.ModelBundle;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of every command that decodes with a model; builds the {@link SearchStrategy}. */
public final class DecodeOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "A model bundle made by 'glimpse train'.")
    Path model;

    @Option(names = "--encoder-weights", paramLabel = "FILE",
            description = "For a model on vgg16/resnet50 features: the encoder's weights file (default: where it was at training).")
    Path encoderWeights;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "K",
            description = "Beam width; 1 is greedy search. Default: ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--max-length", paramLabel = "N", description = "Most words in a caption. Default: the model's.")
    Integer maxLength;

    @Option(names = "--length-penalty", defaultValue = "1.0", paramLabel = "A",
            description = "Beam score = log p / steps^A (0: raw log-probability). Default: ${DEFAULT-VALUE}.")
    double lengthPenalty;

    /** Greedy for a beam of 1, else beam search. */
    SearchStrategy strategy() {
        return strategy(beam, lengthPenalty);
    }

    /** The search for {@code --beam} and {@code --length-penalty}, refusing bad values by flag. */
    static SearchStrategy strategy(int beam, double lengthPenalty) {
        if (beam < 1) {
            throw new InputException("--beam must be >= 1, got " + beam);
        }
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new InputException("--length-penalty must be >= 0, got " + lengthPenalty);
        }
        return beam == 1 ? new SearchStrategy.Greedy() : new SearchStrategy.Beam(beam, lengthPenalty);
    }

    int maxLength(ModelBundle bundle) {
        if (maxLength == null) {
            return bundle.config().maxLength();
        }
        if (maxLength < 1) {
            throw new InputException("--max-length must be >= 1, got " + maxLength);
        }
        return maxLength;
    }
}

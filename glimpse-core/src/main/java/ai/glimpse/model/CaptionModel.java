package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;

/**
 * A Show, Attend and Tell model: its configuration and its parameters. Graphs for training and for
 * decoding are built from it on demand; they share its parameter arrays.
 */
public final class CaptionModel {
    private final ModelConfig config;
    private final ParameterSet params;

    public CaptionModel(ModelConfig config, ParameterSet params) {
        this.config = config;
        this.params = params;
    }

    /** A model with freshly initialised weights; the same seed gives the same weights. */
    public static CaptionModel initialise(ModelConfig config, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParameterSet p = new ParameterSet();
        if (config.encoder() == ModelConfig.Encoder.SMALL) {
            SmallCnnEncoder.init(config, p, rng.split());
        }
        BahdanauAttention.init(config, p, rng.split());
        AttentionDecoder.init(config, p, rng.split());
        if (config.wordLoss() > 0) {
            WordDetector.init(config, p, rng.split());
        }
        if (config.coordinates()) {
            SmallCnnEncoder.initCoordinates(config, p, rng.split());
        }
        if (config.contextLoss() > 0) {
            ContextWordLoss.init(config, p, rng.split());
        }
        return new CaptionModel(config, p);
    }

    public ModelConfig config() {
        return config;
    }

    public ParameterSet params() {
        return params;
    }

    /** Whether the model takes images (its encoder is trained with it) rather than cached features. */
    public boolean takesImages() {
        return config.encoder() == ModelConfig.Encoder.SMALL;
    }
}

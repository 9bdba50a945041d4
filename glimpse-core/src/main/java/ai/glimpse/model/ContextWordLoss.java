package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;

/**
 * An auxiliary loss on attention, beyond the paper: each step's attended context alone, sum_i alpha_ti a_i
 * (before the gate beta), must predict the word the step emits, through its own linear layer and a
 * softmax over the vocabulary ({@link ModelConfig#contextLoss()}). The decoder's own output also reads
 * the LSTM state, which carries what it saw at earlier steps, so nothing in the captioning loss asks
 * attention to rest on the object a noun names: a model can look at an object for its colour and name
 * its shape from memory. Here the only way to predict "star" is to attend where a star is, so the
 * gradient pulls attention (through e_ti, also the LSTM state that steers it) towards the object the word
 * describes, and with the {@code small} encoder also shapes that object's features. Words that no region
 * shows ("a", "of", {@code <end>}) are learned mostly by this layer's bias and pull attention in no
 * consistent direction. Captioning never reads this layer; the bundle stores it like every other
 * weight (D x K floats).
 */
public final class ContextWordLoss {
    static final String W = "aux.ctx.W";
    static final String B = "aux.ctx.b";

    private ContextWordLoss() {
    }

    /** Weights [D, K] (Xavier) and zero biases [K]. */
    static void init(ModelConfig c, ParameterSet p, SplittableRandom rng) {
        p.addXavier(W, rng, c.featureDim(), c.vocabSize(), c.featureDim(), c.vocabSize());
        p.addConstant(B, 0, c.vocabSize());
    }

}

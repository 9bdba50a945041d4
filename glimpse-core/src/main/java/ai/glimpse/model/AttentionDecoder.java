package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;

/**
 * The LSTM decoder of Show, Attend and Tell (Xu et al. 2015, section 3.1.2) with soft attention: its
 * parameters and their initialisation. {@link DecoderEngine} runs it: its step function serves
 * teacher-forced training, greedy and beam search. The LSTM's gates are laid out i, f, g, o (as PyTorch's
 * LSTMCell) with W [m + D, 4H] (embedding rows, then context rows) and U [H, 4H].
 */
public final class AttentionDecoder {
    static final String EMBED = "dec.emb";
    static final String INIT_H_W = "dec.init_h.W";
    static final String INIT_H_B = "dec.init_h.b";
    static final String INIT_C_W = "dec.init_c.W";
    static final String INIT_C_B = "dec.init_c.b";
    static final String LSTM_W = "dec.lstm.W";
    static final String LSTM_U = "dec.lstm.U";
    static final String LSTM_B = "dec.lstm.b";
    static final String BETA_W = "dec.beta.W";
    static final String BETA_B = "dec.beta.b";
    static final String OUT_LH = "dec.out.Lh";
    static final String OUT_LZ = "dec.out.Lz";
    static final String OUT_LO = "dec.out.Lo";
    static final String OUT_BO = "dec.out.bo";

    private AttentionDecoder() {
    }

    static void init(ModelConfig c, ParameterSet p, SplittableRandom rng) {
        int d = c.featureDim();
        int h = c.hiddenDim();
        int m = c.embedDim();
        int k = c.vocabSize();
        p.addUniform(EMBED, 0.1, rng, k, m);
        p.addXavier(INIT_H_W, rng, d, h, d, h);
        p.addConstant(INIT_H_B, 0, h);
        p.addXavier(INIT_C_W, rng, d, h, d, h);
        p.addConstant(INIT_C_B, 0, h);
        p.addXavier(LSTM_W, rng, m + d, 4L * h, m + d, 4L * h);
        p.addXavier(LSTM_U, rng, h, 4L * h, h, 4L * h);
        p.addConstant(LSTM_B, 0, 4L * h);
        p.addXavier(BETA_W, rng, h, 1, h, 1);
        p.addConstant(BETA_B, 0, 1);
        p.addXavier(OUT_LH, rng, h, m, h, m);
        p.addXavier(OUT_LZ, rng, d, m, d, m);
        p.addXavier(OUT_LO, rng, m, k, m, k);
        p.addConstant(OUT_BO, 0, k);
    }





}

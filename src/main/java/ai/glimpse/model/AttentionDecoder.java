package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The LSTM decoder of Show, Attend and Tell (Xu et al. 2015, section 3.1.2) with soft attention.
 * {@link #step} is the one step function: teacher-forced training unrolls it, greedy and beam search
 * call it one word at a time. The LSTM gates are written with matmuls (i, f, g, o order, as PyTorch's
 * LSTMCell) because SameDiff's fused LSTM ops have no or wrong gradients in 1.0.0-M2.1.
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

    /**
     * LSTM hidden state and memory, and the coverage sum_{s<t} alpha_s [B, L] of a model whose attention
     * reads it ({@link ModelConfig#coverage()}; null otherwise).
     */
    public record State(SDVariable h, SDVariable c, SDVariable coverage) {
    }

    /**
     * What one step produces: the new state, the attention weights alpha [B, L], the gate beta [B, 1],
     * the deep output tanh(E y_{t-1} + L_h h_t + L_z z_t) [B, m] that {@link #logits} maps to words, and
     * the attended context before the gate, sum_i alpha_ti a_i [B, D].
     */
    public record Step(State state, SDVariable alpha, SDVariable beta, SDVariable deepOutput, SDVariable context) {
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

    /** h0 = tanh(W mean_i a_i + b), c0 likewise with its own weights, coverage 0. feats [B, L, D]. */
    static State initialState(ModelGraph g, ModelConfig c, SDVariable feats) {
        SDVariable mean = feats.mean(1);                                   // [B, D]
        SDVariable h0 = g.sd().math().tanh(g.linear(mean, INIT_H_W, INIT_H_B)); // [B, H]
        SDVariable c0 = g.sd().math().tanh(g.linear(mean, INIT_C_W, INIT_C_B)); // [B, H]
        SDVariable coverage = c.coverage() ? g.sd().zerosLike(feats.mean(2)) : null; // [B, L]
        return new State(h0, c0, coverage);
    }

    /** Word ids [N] (any integer type) to embeddings [N, m], as one-hot times E (gather's gradient is wrong in M2.1). */
    static SDVariable embed(ModelGraph g, ModelConfig c, SDVariable ids) {
        SDVariable oneHot = g.sd().oneHot(ids, c.vocabSize(), -1, 1.0, 0.0, g.type()); // [N, K]
        return oneHot.mmul(g.param(EMBED));                                // [N, m]
    }

    /**
     * The step function: attend with h_{t-1} (and the coverage), gate the context, run the LSTM, form the
     * deep output; the new state's coverage adds this step's alpha.
     */
    static Step step(ModelGraph g, ModelConfig c, SDVariable feats, SDVariable projected, State s, SDVariable prevEmb) {
        int h = c.hiddenDim();
        BahdanauAttention.Attended att = BahdanauAttention.attend(g, c, feats, projected, s.h(), s.coverage());
        SDVariable beta = g.sd().nn().sigmoid(g.linear(s.h(), BETA_W, BETA_B)); // [B, 1], scalar gate per image
        SDVariable z = att.context().mul(beta);                            // [B, D]
        SDVariable x = g.sd().concat(1, prevEmb, z);                       // [B, m + D]
        SDVariable gates = x.mmul(g.param(LSTM_W))
                .add(s.h().mmul(g.param(LSTM_U))).add(g.param(LSTM_B));     // [B, 4H]
        SDVariable i = g.sd().nn().sigmoid(slice(gates, 0, h));            // [B, H] input gate
        SDVariable f = g.sd().nn().sigmoid(slice(gates, h, 2 * h));        // [B, H] forget gate
        SDVariable cand = g.sd().math().tanh(slice(gates, 2 * h, 3 * h));  // [B, H] candidate
        SDVariable o = g.sd().nn().sigmoid(slice(gates, 3 * h, 4 * h));    // [B, H] output gate
        SDVariable cNew = f.mul(s.c()).add(i.mul(cand));                   // [B, H]
        SDVariable hNew = o.mul(g.sd().math().tanh(cNew));                 // [B, H]
        SDVariable deep = g.sd().math().tanh(prevEmb
                .add(hNew.mmul(g.param(OUT_LH)))
                .add(z.mmul(g.param(OUT_LZ))));                            // [B, m]
        SDVariable coverage = s.coverage() == null ? null : s.coverage().add(att.alpha()); // [B, L]
        return new Step(new State(hNew, cNew, coverage), att.alpha(), beta, deep, att.context());
    }

    /** Deep outputs [N, m] to unnormalised word scores [N, K] (L_o and its bias). */
    static SDVariable logits(ModelGraph g, SDVariable deepOutput) {
        return g.linear(deepOutput, OUT_LO, OUT_BO);                       // [N, K]
    }

    private static SDVariable slice(SDVariable x, int from, int to) {
        return x.get(SDIndex.all(), SDIndex.interval(from, to));           // [B, to - from]
    }
}

package ai.glimpse.model;

import static ai.glimpse.model.AttentionDecoder.*;

import ai.glimpse.config.ModelConfig;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@link AttentionDecoder} as a SameDiff graph: the oracle the decoder engine is tested against (its
 * loss and gradients in double, greedy decoding against teacher forcing, parity with PyTorch). The
 * LSTM gates are written with matmuls (i, f, g, o order, as PyTorch's LSTMCell) because SameDiff's fused
 * LSTM ops have no or wrong gradients in 1.0.0-M2.1.
 */
final class AttentionDecoderGraph {
    private AttentionDecoderGraph() {
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
        BahdanauAttentionGraph.Attended att = BahdanauAttentionGraph.attend(g, c, feats, projected, s.h(), s.coverage());
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

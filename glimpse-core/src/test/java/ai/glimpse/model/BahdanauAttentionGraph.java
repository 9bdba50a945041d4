package ai.glimpse.model;

import static ai.glimpse.model.BahdanauAttention.*;

import ai.glimpse.config.ModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;

/** {@link BahdanauAttention} as a SameDiff graph, the oracle of the engine's {@link SoftAttention}. */
final class BahdanauAttentionGraph {
    private BahdanauAttentionGraph() {
    }

    /** Attention weights and the context they read. */
    public record Attended(SDVariable alpha, SDVariable context) {
    }

    /** feats [B, L, D] to W_a a_i + b_a [B, L, A], once per image. */
    static SDVariable project(ModelGraph g, ModelConfig c, SDVariable feats) {
        SDVariable flat = feats.reshape(-1, c.featureDim());               // [B*L, D]
        return g.linear(flat, W_A, B_A).reshape(-1, c.regions(), c.attentionDim()); // [B, L, A]
    }

    /**
     * One attention read given the previous hidden state h [B, H] and, when the model has coverage, the
     * attention each region has received so far [B, L] (null without coverage).
     */
    static Attended attend(ModelGraph g, ModelConfig c, SDVariable feats, SDVariable projected, SDVariable h,
            SDVariable coverage) {
        SDVariable hp = h.mmul(g.param(W_H));                              // [B, A]
        SDVariable energy = projected.add(g.sd().expandDims(hp, 1));       // [B, L, A]
        if (coverage != null) {
            energy = energy.add(coverage.reshape(-1, 1).mmul(g.param(U_COV)) // [B*L, A], u c_ti
                    .reshape(-1, c.regions(), c.attentionDim()));          // [B, L, A]
        }
        SDVariable hidden = g.sd().math().tanh(energy);                    // [B, L, A]
        SDVariable scores = hidden.reshape(-1, c.attentionDim())
                .mmul(g.param(V)).reshape(-1, c.regions());                // [B, L]
        SDVariable alpha = g.sd().nn().softmax(scores);                    // [B, L], sums to 1 over regions
        SDVariable context = g.sd().mmul(g.sd().expandDims(alpha, 1), feats) // [B, 1, D], batched
                .reshape(-1, c.featureDim());                              // [B, D]
        return new Attended(alpha, context);
    }
}

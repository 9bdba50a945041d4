package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Additive (Bahdanau) attention over image regions, as in Show, Attend and Tell's soft attention:
 * e_ti = w^T tanh(W_a a_i + b_a + W_h h_{t-1}), alpha_t = softmax_i(e_t), context = sum_i alpha_ti a_i.
 * W_a a_i + b_a does not depend on t, so {@link #project} computes it once per image. With
 * {@link ModelConfig#coverage()} the energy also reads the coverage vector of Tu et al. (2016), how much
 * attention each region has received so far: e_ti = w^T tanh(W_a a_i + b_a + W_h h_{t-1} + u c_ti) with
 * c_ti = sum_{s<t} alpha_si, the same for every region's u [A].
 */
public final class BahdanauAttention {
    static final String W_A = "att.Wa";
    static final String B_A = "att.ba";
    static final String W_H = "att.Wh";
    static final String V = "att.w";
    static final String U_COV = "att.u";

    private BahdanauAttention() {
    }

    /** Attention weights and the context they read. */
    public record Attended(SDVariable alpha, SDVariable context) {
    }

    static void init(ModelConfig c, ParameterSet p, SplittableRandom rng) {
        int d = c.featureDim();
        int a = c.attentionDim();
        int h = c.hiddenDim();
        p.addXavier(W_A, rng, d, a, d, a);
        p.addConstant(B_A, 0, a);
        p.addXavier(W_H, rng, h, a, h, a);
        p.addXavier(V, rng, a, 1, a, 1);
        if (c.coverage()) {
            p.addXavier(U_COV, rng, 1, a, 1, a);
        }
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

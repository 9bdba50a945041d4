package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;

/**
 * Additive (Bahdanau) attention over image regions, as in Show, Attend and Tell's soft attention:
 * e_ti = w^T tanh(W_a a_i + b_a + W_h h_{t-1}), alpha_t = softmax_i(e_t), context = sum_i alpha_ti a_i.
 * W_a a_i + b_a does not depend on t, so it is computed once per image ({@link DecoderEngine}); the
 * per-step read and its backward pass are {@link SoftAttention}. This class holds the parameters. With
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


}

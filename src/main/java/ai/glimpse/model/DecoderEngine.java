package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The decoder of Show, Attend and Tell (Xu et al. 2015, section 3.1.2, soft attention) written over ND4J
 * arrays: the one step function that training, greedy and beam search run, and the pieces around it.
 * Only what depends on the previous step runs per step (attention with h_{t-1}, the gate, the LSTM);
 * {@link TrainingPass} batches the rest over time. The LSTM's gates are laid out i, f, g, o (as
 * PyTorch's LSTMCell) with weights W [m + D, 4H] (embedding rows, then context rows) and U [H, 4H].
 */
public final class DecoderEngine {
    private final ModelConfig config;
    private final ParameterSet params;

    public DecoderEngine(CaptionModel model) {
        this.config = model.config();
        this.params = model.params();
    }

    ModelConfig config() {
        return config;
    }

    INDArray param(String name) {
        return params.get(name);
    }

    /** The initial state from the mean feature: h0 = tanh(W_h mean + b), c0 likewise. */
    record Init(INDArray mean, INDArray h, INDArray c) {
    }

    /** What one step produces, and the inputs its backward pass reads. */
    record Step(INDArray hIn, INDArray hp, INDArray alpha, INDArray context, INDArray beta, INDArray z,
            INDArray h, INDArray c) {
    }

    /** W_a a_i + b_a for every region of feats [N, L, D]: [N, L, A], once per image. */
    INDArray project(INDArray feats) {
        int l = config.regions();
        INDArray flat = HostCopy.rowMajor(feats).reshape(feats.size(0) * l, config.featureDim()); // [N*L, D]
        return Gemm.ab(flat, param(BahdanauAttention.W_A)).addiRowVector(param(BahdanauAttention.B_A))
                .reshape(feats.size(0), l, config.attentionDim());         // [N, L, A]
    }

    /** h0 and c0 of feats [N, L, D]. */
    Init initialState(INDArray feats) {
        INDArray mean = feats.mean(1);                                     // [N, D]
        INDArray h = Transforms.tanh(linear(mean, AttentionDecoder.INIT_H_W, AttentionDecoder.INIT_H_B), false); // [N, H]
        INDArray c = Transforms.tanh(linear(mean, AttentionDecoder.INIT_C_W, AttentionDecoder.INIT_C_B), false); // [N, H]
        return new Init(mean, h, c);
    }

    /** Embeddings of word ids: rows of E [K, m], [n, m]. */
    INDArray embed(int[] ids) {
        return Nd4j.pullRows(param(AttentionDecoder.EMBED), 1, ids);       // [n, m]
    }

    /** The embedding's share of the LSTM pre-activations, W_emb y + b, for any number of rows: [n, 4H]. */
    INDArray embeddingGates(INDArray emb) {
        return Gemm.ab(emb, embeddingRows()).addiRowVector(param(AttentionDecoder.LSTM_B)); // [n, 4H]
    }

    /** Rows of W that multiply the embedding [m, 4H] (a view). */
    INDArray embeddingRows() {
        return param(AttentionDecoder.LSTM_W).get(NDArrayIndex.interval(0, config.embedDim()), NDArrayIndex.all());
    }

    /** Rows of W that multiply the gated context [D, 4H] (a view). */
    INDArray contextRows() {
        int m = config.embedDim();
        return param(AttentionDecoder.LSTM_W).get(NDArrayIndex.interval(m, m + config.featureDim()), NDArrayIndex.all());
    }

    /**
     * The step function for B rows: attend with h_{t-1} (and the coverage), gate the context, run the
     * LSTM. feats [B, L, D]; h, c [B, H]; coverage [B, L] or null; embGates [B, 4H] from
     * {@link #embeddingGates}. With {@code keep} the energy and cell remember what backward needs.
     */
    Step step(int t, AttentionEnergy energy, LstmCell cell, INDArray feats, INDArray h, INDArray c,
            INDArray coverage, INDArray embGates, boolean keep) {
        int rows = (int) h.size(0);
        INDArray hp = Gemm.ab(h, param(BahdanauAttention.W_H));            // [B, A]
        INDArray e = energy.forward(t, hp, coverage, keep);                // [B, L]
        INDArray alpha = softmaxRows(e);                                   // [B, L], sums to 1 over regions
        INDArray context = Nd4j.matmul(alpha.reshape(rows, 1, config.regions()), feats)
                .reshape(rows, config.featureDim());                       // [B, D], sum_i alpha_i a_i
        INDArray beta = Transforms.sigmoid(linear(h, AttentionDecoder.BETA_W, AttentionDecoder.BETA_B), false); // [B, 1]
        INDArray z = context.mulColumnVector(beta);                        // [B, D], gated context
        INDArray gates = Gemm.ab(z, contextRows())
                .addi(Gemm.ab(h, param(AttentionDecoder.LSTM_U))).addi(embGates); // [B, 4H]
        LstmCell.State next = cell.forward(t, gates, c, keep);
        return new Step(h, hp, alpha, context, beta, z, next.h(), next.c());
    }

    /** The deep output tanh(E y_{t-1} + L_h h_t + L_z z_t) for any number of rows: [n, m]. */
    INDArray deepOutput(INDArray emb, INDArray h, INDArray z) {
        INDArray pre = Gemm.ab(h, param(AttentionDecoder.OUT_LH))
                .addi(Gemm.ab(z, param(AttentionDecoder.OUT_LZ))).addi(emb); // [n, m]
        return Transforms.tanh(pre, false);                                // [n, m]
    }

    /** Word scores of deep outputs [n, m]: [n, K]. */
    INDArray logits(INDArray deep) {
        return linear(deep, AttentionDecoder.OUT_LO, AttentionDecoder.OUT_BO); // [n, K]
    }

    /** x [n, in] times the named matrix plus the named bias: [n, out]. */
    INDArray linear(INDArray x, String weight, String bias) {
        return Gemm.ab(x, param(weight)).addiRowVector(param(bias).reshape(1, -1)); // [n, out]
    }

    /** Softmax of each row of x [n, k]. */
    static INDArray softmaxRows(INDArray x) {
        INDArray e = Transforms.exp(x.subColumnVector(x.max(1).reshape(-1, 1)), false); // [n, k], shifted
        return e.diviColumnVector(e.sum(1).reshape(-1, 1));                // [n, k]
    }

    /** log softmax of each row of x [n, k]. */
    static INDArray logSoftmaxRows(INDArray x) {
        INDArray shifted = x.subColumnVector(x.max(1).reshape(-1, 1));     // [n, k]
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(-1, 1); // [n, 1]
        return shifted.subiColumnVector(lse);                              // [n, k]
    }
}

package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The decoder of Show, Attend and Tell (Xu et al. 2015, section 3.1.2, soft attention, deep output layer)
 * written over ND4J arrays: the one step function that training, greedy and beam search run, its
 * backward pass, and the pieces around it. Only what depends on the previous step runs per step
 * (attention with h_{t-1}, the gate, the LSTM); {@link TrainingPass} batches the rest over time.
 *
 * <p>The LSTM's gates are laid out i, f, g, o (as PyTorch's LSTMCell) with weights W [m + D, 4H]
 * (embedding rows, then context rows) and U [H, 4H], as the bundle stores them. A step multiplies its
 * input row [z_t | h_{t-1}] [B, D + H] by the stacked [W_ctx; U] in one product (one pass
 * over both weights instead of two); the embedding's share E y_{t-1} W_emb + b does not depend on the
 * recurrence and is computed for all steps at once.
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

    /** The initial state of each row from the mean feature: h0 = tanh(W_h mean + b), c0 likewise. */
    record Init(INDArray mean, INDArray h, INDArray c) {
    }

    /** The recurrent state of B rows: h, c [B, H] and the coverage [B, L] (null without coverage). */
    public record State(INDArray h, INDArray c, INDArray coverage) {
        /** The state of the given rows, in that order (beam search follows each beam's parent). */
        public State rows(int[] rows) {
            return new State(Nd4j.pullRows(h, 1, rows), Nd4j.pullRows(c, 1, rows),
                    coverage == null ? null : Nd4j.pullRows(coverage, 1, rows));
        }
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
        INDArray mean = meanOverRegions(feats);                            // [N, D]
        INDArray h = Transforms.tanh(linear(mean, AttentionDecoder.INIT_H_W, AttentionDecoder.INIT_H_B), false); // [N, H]
        INDArray c = Transforms.tanh(linear(mean, AttentionDecoder.INIT_C_W, AttentionDecoder.INIT_C_B), false); // [N, H]
        return new Init(mean, h, c);
    }

    /**
     * The mean of each image's region features [N, L, D]: [N, D], as a batched product with a row of 1/L
     * (one pass over the block; ND4J's mean over the middle axis took about 40 ms at the paper's sizes,
     * this about 5).
     */
    static INDArray meanOverRegions(INDArray feats) {
        long n = feats.size(0);
        long l = feats.size(1);
        INDArray weights = Nd4j.valueArrayOf(new long[] {n, 1, l}, 1.0 / l, feats.dataType()); // [N, 1, L]
        return Nd4j.matmul(weights, HostCopy.rowMajor(feats)).reshape(n, feats.size(2)); // [N, D]
    }

    /** The attention's and gate's parameters. */
    SoftAttention.Weights attentionWeights() {
        return new SoftAttention.Weights(param(BahdanauAttention.V),
                config.coverage() ? param(BahdanauAttention.U_COV) : null,
                param(AttentionDecoder.BETA_W), param(AttentionDecoder.BETA_B));
    }

    /** Embeddings of word ids: rows of E [K, m], [n, m]. */
    INDArray embed(int[] ids) {
        return Nd4j.pullRows(param(AttentionDecoder.EMBED), 1, ids);       // [n, m]
    }

    /** The embedding's share of the LSTM pre-activations, E y W_emb + b, for any number of rows: [n, 4H]. */
    INDArray embeddingGates(INDArray emb) {
        return Gemm.ab(emb, embeddingRows()).addiRowVector(param(AttentionDecoder.LSTM_B)); // [n, 4H]
    }

    /** Rows of W that multiply the embedding [m, 4H] (a view). */
    INDArray embeddingRows() {
        return param(AttentionDecoder.LSTM_W).get(NDArrayIndex.interval(0, config.embedDim()), NDArrayIndex.all());
    }

    /**
     * [W_ctx; U]^T [4H, D + H]: the rows of W that multiply the gated context over U, transposed. A copy
     * made when a pass starts, because the bundle keeps the two apart and stores them [in, out]; oneDNN
     * multiplies a [32, D + H] row block by it (transpose flag) in about half the time it takes for the
     * [D + H, 4H] layout (5.9 against 11.4 ms at the paper's sizes on a loaded machine, 0.63 against
     * 1.10 ms at the shapes demo's), and the backward pass's [32, 4H] by it (no flag) as fast as by the
     * other layout with the flag.
     */
    INDArray stackedWeightsTransposed(HostBuffers buffers) {
        int m = config.embedDim();
        int d = config.featureDim();
        int h = config.hiddenDim();
        INDArray ctx = param(AttentionDecoder.LSTM_W).get(NDArrayIndex.interval(m, m + d), NDArrayIndex.all()); // [D, 4H]
        INDArray u = param(AttentionDecoder.LSTM_U);                        // [H, 4H]
        if (!SoftAttention.javaKernels(u.dataType())) {
            return Nd4j.vstack(ctx, u).transpose().dup('c');                // [4H, D + H]
        }
        int size = (d + h) * 4 * h;
        float[] stacked = buffers.get("W", size);                          // [D + H, 4H]
        HostCopy.toHeap(ctx, stacked);
        HostCopy.blocks(u).read(0, stacked, d * 4 * h, h * 4 * h);
        float[] transposed = buffers.get("W^T", size);                     // [4H, D + H]
        HostMath.transpose(stacked, 0, d + h, 4 * h, transposed, 0);
        return HostCopy.array(transposed, 4L * h, d + h);                  // [4H, D + H]
    }

    /**
     * Where a step reads and writes. {@code x} holds h_{t-1} [B, H] in its last H columns and receives
     * z_t [B, D] at column {@code zFrom}; {@code gates} [B, 4H] receives x times {@code weights} (the
     * rows of [W; U] that x's columns multiply, stored [in, out], or [out, in] when {@code transposed}),
     * added to what it holds when {@code accumulate} (training: the embedding's share, with the bias),
     * and the cell adds {@code bias} when not null.
     */
    record StepBuffers(INDArray x, int zFrom, INDArray weights, boolean transposed, INDArray gates, boolean accumulate,
            INDArray bias) {
    }

    /**
     * The step function for B rows, forward: attend with h_{t-1} (and the coverage c_t [B, L] or null),
     * gate the context, run the LSTM. With {@code keep}, the attention and cell remember what
     * {@link #stepBackward} needs. Returns h_t and c_t.
     */
    LstmCell.State step(int t, SoftAttention attention, LstmCell cell, StepBuffers io, INDArray c, INDArray coverage,
            boolean keep) {
        int d = config.featureDim();
        long width = io.x().size(1);
        INDArray h = io.x().get(NDArrayIndex.all(), NDArrayIndex.interval(width - config.hiddenDim(), width)); // [B, H]
        INDArray hp = Gemm.ab(h, param(BahdanauAttention.W_H));                     // [B, A]
        attention.forward(t, hp, h, coverage,
                io.x().get(NDArrayIndex.all(), NDArrayIndex.interval(io.zFrom(), io.zFrom() + d)), keep); // z_t into x
        Nd4j.gemm(io.x(), io.weights(), io.gates(), false, io.transposed(), 1.0, io.accumulate() ? 1.0 : 0.0); // [B, 4H]
        return cell.forward(t, io.gates(), io.bias(), c, keep);
    }

    /** What {@link #stepBackward} returns: dL/dz_t's share of dL/dgates, dL/dh_{t-1}, dL/dc_{t-1}, dL/dhp, dL/dc_t. */
    record StepGradients(INDArray gates, INDArray h, INDArray c, INDArray hp, INDArray coverage) {
    }

    /**
     * Backward of step t given dL/dh_t and dL/dc_t [B, H] from later steps and the output layer, dL/dz_t
     * [B, D] from the output layer, and extra gradients of the context [B, D] and of alpha_t [B, L] (or
     * null) from other losses.
     */
    StepGradients stepBackward(int t, SoftAttention attention, LstmCell cell, INDArray stackedT, INDArray dh,
            INDArray dc, INDArray dzOut, INDArray dContext, INDArray dAlpha) {
        int d = config.featureDim();
        LstmCell.Gradients cg = cell.backward(t, dh, dc);                          // dgates [B, 4H], dc_{t-1}
        INDArray dx = Gemm.ab(cg.gates(), stackedT);                               // [B, D + H], d[z | h_{t-1}]
        INDArray dz = dx.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).addi(dzOut); // [B, D]
        SoftAttention.Gradients ag = attention.backward(t, dz, dContext, dAlpha);
        INDArray dhPrev = ag.h().addi(dx.get(NDArrayIndex.all(), NDArrayIndex.interval(d, dx.size(1)))); // [B, H]
        Gemm.accumulate(ag.hp(), false, param(BahdanauAttention.W_H), true, dhPrev); // += dhp W_h^T
        return new StepGradients(cg.gates(), dhPrev, cg.c(), ag.hp(), ag.coverage());
    }

    /** The deep output tanh(E y_{t-1} + L_h h_t + L_z z_t) for any number of rows: [n, m]. */
    INDArray deepOutput(INDArray emb, INDArray h, INDArray z) {
        INDArray pre = Gemm.ab(h, param(AttentionDecoder.OUT_LH));         // [n, m]
        Gemm.accumulate(z, param(AttentionDecoder.OUT_LZ), pre);           // [n, m]
        return deepActivation(pre, emb);                                   // [n, m]
    }

    /** The deep output's activation tanh(pre + E y) of the pre-activation's other terms pre [n, m] and E y [n, m]. */
    static INDArray deepActivation(INDArray pre, INDArray emb) {
        if (!SoftAttention.javaKernels(pre.dataType())) {
            return Transforms.tanh(pre.addi(emb), false);                  // [n, m]
        }
        float[] x = HostCopy.toHeap(pre, null);                            // [n, m]
        float[] e = HostCopy.toHeap(emb, null);                            // [n, m]
        for (int k = 0; k < x.length; k++) {
            x[k] = Activations.tanh(x[k] + e[k]);
        }
        HostCopy.fromHeap(x, pre);
        return pre;
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

    /** log softmax of each row of x [n, k] (libnd4j's fused operation, shifted by the row's maximum). */
    static INDArray logSoftmaxRows(INDArray x) {
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c'); // [n, k]
        Nd4j.exec(new LogSoftMax(x, out));
        return out;
    }
}

package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One teacher-forced forward and backward pass of the decoder over a batch, with hand-written gradients:
 * loss = masked cross-entropy + lambda * mean_b sum_i (1 - sum_t mask_t alpha_ti)^2 (Xu et al. eq. 14),
 * plus the weighted {@link ContextWordLoss} when the model has it, plus the {@link BoxSupervision} of
 * attention when the batch carries object boxes. The recurrence runs step by step
 * ({@link DecoderEngine#step}); everything else is one product over all B*T rows: the embeddings' share
 * of the LSTM input, the deep output, the vocabulary projection and loss, and every weight gradient.
 * Rows of the time-batched arrays are step-major (row t*B + b). The step inputs live in one array
 * x [T + 1, B, D + H] whose block t is [z_t | h_{t-1}]: a step reads and writes its block in place, and
 * the LSTM's weight gradients are one product over all of it.
 */
public final class TrainingPass {
    /**
     * A batch: per-image features [N, L, D], each caption's image, word ids [B][T], mask [B, T], dropout
     * [B, T, m] or null, and the supervision of attention by object boxes or null.
     */
    public record Batch(INDArray features, int[] imageOf, int[][] inputs, int[][] targets, INDArray mask, INDArray drop,
            BoxSupervision boxes) {
        /** A batch without box supervision. */
        public Batch(INDArray features, int[] imageOf, int[][] inputs, int[][] targets, INDArray mask, INDArray drop) {
            this(features, imageOf, inputs, targets, mask, drop, null);
        }
    }

    /** Loss terms, the gradient of every decoder parameter, and dL/dfeatures [N, L, D] (null unless asked for). */
    public record Result(double loss, double crossEntropy, double penalty, double contextLoss,
            Map<String, INDArray> gradients, INDArray featureGradient, double boxLoss) {
    }

    private final DecoderEngine engine;
    private final ModelConfig c;
    private final boolean featureGradients;
    private final HostBuffers buffers = new HostBuffers();

    /** @param featureGradients whether to compute dL/dfeatures (the small encoder trains from it; frozen features do not) */
    public TrainingPass(CaptionModel model, boolean featureGradients) {
        this.engine = new DecoderEngine(model);
        this.c = model.config();
        this.featureGradients = featureGradients;
    }

    /** Forward and backward over the batch, unrolled over its T = inputs[0].length steps. */
    public Result run(Batch batch) {
        int b = batch.imageOf().length;
        int t = batch.inputs()[0].length;
        int rows = b * t;
        int l = c.regions();
        int d = c.featureDim();
        int h = c.hiddenDim();
        int m = c.embedDim();
        DataType type = batch.features().dataType();
        int[] imageOf = batch.imageOf();
        int[] inputs = stepMajor(batch.inputs());
        int[] targets = stepMajor(batch.targets());
        INDArray mask = batch.mask().transpose().dup('c').reshape(rows, 1);  // [T*B, 1]
        double words = mask.sumNumber().doubleValue();

        // ---- forward: the recurrence ----
        INDArray perImage = HostCopy.rowMajor(batch.features());            // [N, L, D]
        int n = (int) perImage.size(0);
        INDArray projected = engine.project(perImage);                      // [N, L, A], once per image
        SoftAttention attention = SoftAttention.create(perImage, projected, imageOf, engine.attentionWeights(),
                featureGradients, buffers);
        LstmCell cell = LstmCell.create(type, h, buffers);
        DecoderEngine.Init init = engine.initialState(perImage);           // [N, H] each
        INDArray emb = engine.embed(inputs);                                // [T*B, m]
        INDArray gates = engine.embeddingGates(emb);                        // [T*B, 4H], completed step by step
        INDArray stackedT = engine.stackedWeightsTransposed(buffers);       // [4H, D + H]
        INDArray x = Nd4j.zeros(type, t + 1, b, d + h);                     // block s: [z_s | h_{s-1}]
        hidden(x, 0, d).assign(Rows.expand(init.h(), imageOf));             // h_0 [B, H]
        INDArray cPrev = Rows.expand(init.c(), imageOf);                    // c_0 [B, H]
        INDArray coverage = c.coverage() ? Nd4j.zeros(type, b, l) : null;   // [B, L]
        for (int s = 0; s < t; s++) {
            DecoderEngine.StepBuffers io = new DecoderEngine.StepBuffers(x.get(NDArrayIndex.point(s)), 0, stackedT, true,
                    rowsOf(gates, s, b), true, null);                       // [z_s | h_{s-1}], gates += its product
            LstmCell.State next = engine.step(s, attention, cell, io, cPrev, coverage, true);
            hidden(x, s + 1, d).assign(next.h());                           // h_s into block s + 1
            if (coverage != null) {
                coverage = coverage.add(attention.alpha(s));                // [B, L], sum_{s' <= s} alpha
            }
            cPrev = next.c();
        }

        // ---- forward: the output layers over all T*B rows ----
        INDArray flat = x.reshape((long) (t + 1) * b, d + h);              // [(T+1)*B, D + H]
        INDArray inputsAll = flat.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()); // [T*B, D + H], [z_s | h_{s-1}]
        INDArray zAll = inputsAll.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)); // [T*B, D]
        INDArray hIn = inputsAll.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + h)); // [T*B, H], h_0 .. h_{T-1}
        INDArray hOut = flat.get(NDArrayIndex.interval(b, rows + b), NDArrayIndex.interval(d, d + h)); // [T*B, H], h_1 .. h_T
        INDArray deep = engine.deepOutput(emb, hOut, zAll);                // [T*B, m]
        INDArray drop = batch.drop() == null ? null : batch.drop().permute(1, 0, 2).dup('c').reshape(rows, m); // [T*B, m]
        INDArray dropped = drop == null ? deep : deep.mul(drop);           // [T*B, m]
        Loss ce = Loss.crossEntropy(engine.logits(dropped), targets, mask, words);

        // attention penalty: lambda * mean_b sum_i (1 - sum_t mask_bt alpha_bti)^2
        INDArray maskTb = mask.reshape(t, b);                              // [T, B]
        INDArray alphas = attention.alphas(t);                             // [T, B, L]
        INDArray covered = Nd4j.matmul(alphas.permute(1, 2, 0).dup('c'),
                maskTb.transpose().dup('c').reshape(b, t, 1)).reshape(b, l); // [B, L], sum_t mask_bt alpha_bti
        INDArray gap = covered.rsub(1.0);                                  // [B, L]
        double lambda = c.alphaRegularization();
        double penalty = lambda * gap.mul(gap).sumNumber().doubleValue() / b;

        Loss ctxLoss = null;
        INDArray ctxAll = null;
        if (c.contextLoss() > 0) {
            ctxAll = attention.contexts(t).reshape(rows, d);               // [T*B, D]
            ctxLoss = Loss.crossEntropy(engine.linear(ctxAll, ContextWordLoss.W, ContextWordLoss.B), targets, mask, words);
        }
        double contextLoss = ctxLoss == null ? 0 : c.contextLoss() * ctxLoss.value();
        BoxSupervision.Term box = batch.boxes() == null ? null : batch.boxes().lossAndGradient(alphas, maskTb); // dAlpha [T, B, L]

        // ---- backward: the output layers ----
        Map<String, INDArray> g = new LinkedHashMap<>();
        INDArray dLogits = ce.gradient();                                  // [T*B, K]
        g.put(AttentionDecoder.OUT_LO, Gemm.atb(dropped, dLogits));        // [m, K]
        g.put(AttentionDecoder.OUT_BO, Gemm.columnSums(dLogits));          // [K]
        INDArray dDeep = Gemm.abt(dLogits, engine.param(AttentionDecoder.OUT_LO)); // [T*B, m]
        if (drop != null) {
            dDeep.muli(drop);
        }
        INDArray dPre = dDeep.muli(deep.mul(deep).rsubi(1));               // [T*B, m], through tanh
        g.put(AttentionDecoder.OUT_LH, Gemm.atb(hOut, dPre));              // [H, m]
        g.put(AttentionDecoder.OUT_LZ, Gemm.atb(zAll, dPre));              // [D, m]
        INDArray dhOut = Gemm.abt(dPre, engine.param(AttentionDecoder.OUT_LH)); // [T*B, H]
        INDArray dzOut = Gemm.abt(dPre, engine.param(AttentionDecoder.OUT_LZ)); // [T*B, D]
        INDArray dEmb = dPre;                                              // [T*B, m], the E y term
        INDArray dCtxAux = null;
        if (ctxLoss != null) {
            INDArray dl = ctxLoss.gradient().muli(c.contextLoss());        // [T*B, K]
            g.put(ContextWordLoss.W, Gemm.atb(ctxAll, dl));                // [D, K]
            g.put(ContextWordLoss.B, Gemm.columnSums(dl));                 // [K]
            dCtxAux = Gemm.abt(dl, engine.param(ContextWordLoss.W));       // [T*B, D]
        }
        INDArray dAlphaPenalty = gap.mul(-2.0 * lambda / b);               // [B, L], times mask_bt per step

        // ---- backward through time ----
        INDArray dGates = Nd4j.createUninitialized(type, new long[] {t, b, 4L * h}, 'c'); // [T, B, 4H]
        INDArray dHp = Nd4j.createUninitialized(type, new long[] {t, b, c.attentionDim()}, 'c'); // [T, B, A]
        INDArray dh = Nd4j.zeros(type, b, h);                              // from step s + 1
        INDArray dc = Nd4j.zeros(type, b, h);
        INDArray dCoverage = c.coverage() ? Nd4j.zeros(type, b, l) : null;  // sum over later steps of dL/dc
        INDArray dAlphaAll = maskTb.reshape(t, b, 1).mul(dAlphaPenalty.reshape(1, b, l)); // [T, B, L], mask_bt dPenalty_b
        for (int s = t - 1; s >= 0; s--) {
            INDArray dAlpha = dAlphaAll.get(NDArrayIndex.point(s));        // [B, L]
            if (dCoverage != null) {
                dAlpha.addi(dCoverage);                                    // alpha_s feeds every later c
            }
            if (box != null) {
                dAlpha.addi(box.dAlpha().get(NDArrayIndex.point(s)));      // [B, L], attention off the named object
            }
            DecoderEngine.StepGradients sg = engine.stepBackward(s, attention, cell, stackedT,
                    dh.addi(rowsOf(dhOut, s, b)), dc, rowsOf(dzOut, s, b),
                    dCtxAux == null ? null : rowsOf(dCtxAux, s, b), dAlpha);
            dGates.get(NDArrayIndex.point(s)).assign(sg.gates());
            dHp.get(NDArrayIndex.point(s)).assign(sg.hp());
            if (dCoverage != null) {
                dCoverage.addi(sg.coverage());
            }
            dh = sg.h();
            dc = sg.c();
        }

        // ---- weight gradients summed over time, one product each ----
        INDArray dGatesAll = dGates.reshape(rows, 4L * h);                 // [T*B, 4H]
        INDArray dStacked = Gemm.atb(inputsAll, dGatesAll);                // [D + H, 4H], d[W_ctx; U]
        g.put(AttentionDecoder.LSTM_W, Nd4j.vstack(Gemm.atb(emb, dGatesAll),
                dStacked.get(NDArrayIndex.interval(0, d), NDArrayIndex.all()))); // [m + D, 4H]
        g.put(AttentionDecoder.LSTM_U, dStacked.get(NDArrayIndex.interval(d, d + h), NDArrayIndex.all()).dup()); // [H, 4H]
        g.put(AttentionDecoder.LSTM_B, Gemm.columnSums(dGatesAll));        // [4H]
        Gemm.accumulate(dGatesAll, false, engine.embeddingRows(), true, dEmb); // [T*B, m]
        g.put(AttentionDecoder.EMBED, Embeddings.scatterAdd(inputs, dEmb, c.vocabSize())); // [K, m]
        g.put(AttentionDecoder.BETA_W, attention.gateWeightGradient());    // [H, 1]
        g.put(AttentionDecoder.BETA_B, attention.gateBiasGradient());      // [1]
        g.put(BahdanauAttention.W_H, Gemm.atb(hIn, dHp.reshape(rows, c.attentionDim()))); // [H, A]
        g.put(BahdanauAttention.V, attention.wGradient());                 // [A, 1]
        if (c.coverage()) {
            g.put(BahdanauAttention.U_COV, attention.uGradient());         // [1, A]
        }

        // the initial state, per image: h0 = tanh(W mean + b), c0 likewise
        INDArray dh0Pre = Rows.sumInto(dh, imageOf, n).muli(init.h().mul(init.h()).rsubi(1)); // [N, H]
        INDArray dc0Pre = Rows.sumInto(dc, imageOf, n).muli(init.c().mul(init.c()).rsubi(1)); // [N, H]
        g.put(AttentionDecoder.INIT_H_W, Gemm.atb(init.mean(), dh0Pre));   // [D, H]
        g.put(AttentionDecoder.INIT_H_B, dh0Pre.sum(0));                   // [H]
        g.put(AttentionDecoder.INIT_C_W, Gemm.atb(init.mean(), dc0Pre));   // [D, H]
        g.put(AttentionDecoder.INIT_C_B, dc0Pre.sum(0));                   // [H]

        // the projection W_a a + b_a, once per image
        INDArray dP = attention.projectedGradient().reshape((long) n * l, c.attentionDim()); // [N*L, A]
        INDArray flatFeats = perImage.reshape((long) n * l, d);            // [N*L, D]
        g.put(BahdanauAttention.W_A, Gemm.atb(flatFeats, dP));             // [D, A]
        g.put(BahdanauAttention.B_A, Gemm.columnSums(dP));                 // [A]

        INDArray dFeats = null;
        if (featureGradients) {
            // features: through the context reads, the projection and the mean of the initial state
            dFeats = attention.featureGradient();                          // [N, L, D]
            Gemm.accumulate(dP, false, engine.param(BahdanauAttention.W_A), true, dFeats.reshape((long) n * l, d));
            INDArray dMean = Gemm.abt(dh0Pre, engine.param(AttentionDecoder.INIT_H_W));
            Gemm.accumulate(dc0Pre, false, engine.param(AttentionDecoder.INIT_C_W), true, dMean); // [N, D]
            dFeats.addi(dMean.divi(l).reshape(n, 1, d));                   // [N, L, D], broadcast over L in place
        }
        for (Map.Entry<String, INDArray> e : g.entrySet()) {
            e.setValue(e.getValue().reshape(engine.param(e.getKey()).shape()));
        }
        double boxLoss = box == null ? 0 : box.value();
        double loss = ce.value() + penalty + contextLoss + boxLoss;
        return new Result(loss, ce.value(), penalty, contextLoss, g, dFeats, boxLoss);
    }

    /** The h_{s-1} columns of block s of x [T + 1, B, D + H]: [B, H]. */
    private static INDArray hidden(INDArray x, int s, int d) {
        return x.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.interval(d, x.size(2)));
    }

    /** Rows s*b .. s*b + b - 1 of a step-major [T*B, n] array: step s's [B, n]. */
    private static INDArray rowsOf(INDArray x, int s, int b) {
        return x.get(NDArrayIndex.interval((long) s * b, (long) (s + 1) * b), NDArrayIndex.all());
    }

    /** [B][T] to step-major [T*B]. */
    private static int[] stepMajor(int[][] x) {
        int b = x.length;
        int t = x[0].length;
        int[] out = new int[b * t];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                out[s * b + i] = x[i][s];
            }
        }
        return out;
    }
}

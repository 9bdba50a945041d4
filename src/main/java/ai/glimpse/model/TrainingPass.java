package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One teacher-forced forward and backward pass of the decoder over a batch, with hand-written gradients:
 * loss = masked cross-entropy + lambda * mean_b sum_i (1 - sum_t mask_t alpha_ti)^2 (Xu et al. eq. 14),
 * plus the weighted {@link ContextWordLoss} when the model has it. The recurrence runs step by step
 * ({@link DecoderEngine#step}); everything else is one product over all B*T rows: the embeddings' share
 * of the LSTM input, the deep output, the vocabulary projection and loss, and every weight gradient.
 * Rows of the time-batched arrays are step-major (row t*B + b).
 */
public final class TrainingPass {
    /** A batch: per-image features [N, L, D], each caption's image, word ids [B][T], mask [B, T], dropout [B, T, m] or null. */
    public record Batch(INDArray features, int[] imageOf, int[][] inputs, int[][] targets, INDArray mask, INDArray drop) {
    }

    /** Loss terms, the gradient of every decoder parameter, and dL/dfeatures [N, L, D]. */
    public record Result(double loss, double crossEntropy, double penalty, double contextLoss,
            Map<String, INDArray> gradients, INDArray featureGradient) {
    }

    private final DecoderEngine engine;
    private final ModelConfig c;
    private final JavaEnergy.Buffers buffers = new JavaEnergy.Buffers();

    public TrainingPass(CaptionModel model) {
        this.engine = new DecoderEngine(model);
        this.c = model.config();
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
        int[] inputs = stepMajor(batch.inputs());
        int[] targets = stepMajor(batch.targets());
        INDArray mask = batch.mask().transpose().dup('c').reshape(rows, 1);  // [T*B, 1]
        double words = mask.sumNumber().doubleValue();

        // ---- forward ----
        INDArray perImage = HostCopy.rowMajor(batch.features());            // [N, L, D]
        INDArray feats = Rows.expand(perImage, batch.imageOf());            // [B, L, D]
        AttentionEnergy energy = AttentionEnergy.create(engine.project(perImage), batch.imageOf(),
                engine.param(BahdanauAttention.V), c.coverage() ? engine.param(BahdanauAttention.U_COV) : null, buffers);
        LstmCell cell = LstmCell.create(type, h);
        DecoderEngine.Init init = engine.initialState(feats);
        INDArray emb = engine.embed(inputs);                                // [T*B, m]
        INDArray embGates = engine.embeddingGates(emb);                     // [T*B, 4H]
        INDArray hs = Nd4j.create(type, t + 1, b, h);                      // h_0 .. h_T, [T+1, B, H]
        INDArray zs = Nd4j.create(type, t, b, d);                          // gated contexts [T, B, D]
        INDArray ctxs = Nd4j.create(type, t, b, d);                        // contexts before the gate [T, B, D]
        INDArray alphas = Nd4j.create(type, t, b, l);                      // [T, B, L]
        List<DecoderEngine.Step> steps = new ArrayList<>(t);
        hs.get(NDArrayIndex.point(0)).assign(init.h());
        INDArray hPrev = init.h();
        INDArray cPrev = init.c();
        INDArray coverage = c.coverage() ? Nd4j.zeros(type, b, l) : null;   // [B, L]
        for (int s = 0; s < t; s++) {
            INDArray gatesIn = embGates.get(NDArrayIndex.interval((long) s * b, (long) (s + 1) * b), NDArrayIndex.all()); // [B, 4H]
            DecoderEngine.Step step = engine.step(s, energy, cell, feats, hPrev, cPrev, coverage, gatesIn, true);
            steps.add(step);
            hs.get(NDArrayIndex.point(s + 1)).assign(step.h());
            zs.get(NDArrayIndex.point(s)).assign(step.z());
            ctxs.get(NDArrayIndex.point(s)).assign(step.context());
            alphas.get(NDArrayIndex.point(s)).assign(step.alpha());
            if (coverage != null) {
                coverage = coverage.add(step.alpha());                      // [B, L], sum_{s' <= s} alpha
            }
            hPrev = step.h();
            cPrev = step.c();
        }
        INDArray hOut = hs.get(NDArrayIndex.interval(1, t + 1)).reshape(rows, h); // [T*B, H], h_1 .. h_T
        INDArray hIn = hs.get(NDArrayIndex.interval(0, t)).reshape(rows, h);       // [T*B, H], h_0 .. h_{T-1}
        INDArray zAll = zs.reshape(rows, d);                               // [T*B, D]
        INDArray deep = engine.deepOutput(emb, hOut, zAll);                // [T*B, m]
        INDArray drop = batch.drop() == null ? null : batch.drop().permute(1, 0, 2).dup('c').reshape(rows, m); // [T*B, m]
        INDArray dropped = drop == null ? deep : deep.mul(drop);           // [T*B, m]
        INDArray logits = engine.logits(dropped);                          // [T*B, K]
        Loss ce = Loss.crossEntropy(logits, targets, mask, words);

        // attention penalty: lambda * mean_b sum_i (1 - sum_t mask_bt alpha_bti)^2
        INDArray maskTb = mask.reshape(t, b, 1);                           // [T, B, 1]
        INDArray covered = alphas.mul(Nd4j.tile(maskTb, 1, 1, l)).sum(0);  // [B, L]
        INDArray gap = covered.rsub(1.0);                                  // [B, L]
        double lambda = c.alphaRegularization();
        double penalty = lambda * gap.mul(gap).sumNumber().doubleValue() / b;

        Loss ctxLoss = null;
        INDArray ctxAll = ctxs.reshape(rows, d);                           // [T*B, D]
        if (c.contextLoss() > 0) {
            ctxLoss = Loss.crossEntropy(engine.linear(ctxAll, ContextWordLoss.W, ContextWordLoss.B), targets, mask, words);
        }
        double contextLoss = ctxLoss == null ? 0 : c.contextLoss() * ctxLoss.value();

        // ---- backward: time-batched output layers ----
        Map<String, INDArray> g = new LinkedHashMap<>();
        INDArray dLogits = ce.gradient();                                  // [T*B, K]
        g.put(AttentionDecoder.OUT_LO, Gemm.atb(dropped, dLogits));        // [m, K]
        g.put(AttentionDecoder.OUT_BO, dLogits.sum(0));                    // [K]
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
            g.put(ContextWordLoss.B, dl.sum(0));                           // [K]
            dCtxAux = Gemm.abt(dl, engine.param(ContextWordLoss.W));       // [T*B, D]
        }
        INDArray dAlphaPenalty = gap.mul(-2.0 * lambda / b);               // [B, L], times mask_bt per step

        // ---- backward through time ----
        INDArray dGates = Nd4j.create(type, t, b, 4L * h);                 // [T, B, 4H]
        INDArray dHp = Nd4j.create(type, t, b, c.attentionDim());          // [T, B, A]
        INDArray dBeta = Nd4j.create(type, t, b, 1);                       // [T, B, 1], before the sigmoid
        INDArray dCtx = Nd4j.create(type, t, b, d);                        // [T, B, D]
        INDArray dh = Nd4j.zeros(type, b, h);                              // from step s+1
        INDArray dc = Nd4j.zeros(type, b, h);
        INDArray dCoverage = c.coverage() ? Nd4j.zeros(type, b, l) : null;  // sum over later steps of dL/dc
        INDArray maskRows = mask.reshape(t, b);                            // [T, B]
        for (int s = t - 1; s >= 0; s--) {
            DecoderEngine.Step step = steps.get(s);
            INDArray dhT = dh.add(rowsOf(dhOut, s, b));                    // [B, H]
            LstmCell.Gradients cg = cell.backward(s, dhT, dc);
            dGates.get(NDArrayIndex.point(s)).assign(cg.gates());
            INDArray dz = Gemm.abt(cg.gates(), engine.contextRows()).addi(rowsOf(dzOut, s, b)); // [B, D]
            INDArray dhPrev = Gemm.abt(cg.gates(), engine.param(AttentionDecoder.LSTM_U));       // [B, H]
            INDArray dbeta = dz.mul(step.context()).sum(1).reshape(b, 1);  // [B, 1]
            INDArray dbetaPre = dbeta.muli(step.beta().mul(step.beta().rsub(1))); // [B, 1]
            dBeta.get(NDArrayIndex.point(s)).assign(dbetaPre);
            dhPrev.addi(Gemm.abt(dbetaPre, engine.param(AttentionDecoder.BETA_W))); // [B, H]
            INDArray dctx = dz.mulColumnVector(step.beta());               // [B, D]
            if (dCtxAux != null) {
                dctx.addi(rowsOf(dCtxAux, s, b));
            }
            dCtx.get(NDArrayIndex.point(s)).assign(dctx);
            INDArray dAlpha = Nd4j.matmul(feats, dctx.reshape(b, d, 1)).reshape(b, l); // [B, L]
            dAlpha.addi(dAlphaPenalty.mulColumnVector(maskRows.getRow(s).reshape(b, 1)));
            if (dCoverage != null) {
                dAlpha.addi(dCoverage);                                    // alpha_s feeds every later c
            }
            INDArray alpha = step.alpha();
            INDArray dE = dAlpha.sub(dAlpha.mul(alpha).sum(1).reshape(b, 1)).muli(alpha); // [B, L], softmax backward
            AttentionEnergy.Gradients eg = energy.backward(s, dE);
            if (dCoverage != null) {
                dCoverage.addi(eg.coverage());
            }
            dHp.get(NDArrayIndex.point(s)).assign(eg.hp());
            dhPrev.addi(Gemm.abt(eg.hp(), engine.param(BahdanauAttention.W_H))); // [B, H]
            dh = dhPrev;
            dc = cg.c();
        }

        // ---- weight gradients summed over time, one product each ----
        INDArray dGatesAll = dGates.reshape(rows, 4L * h);                 // [T*B, 4H]
        INDArray dW = Nd4j.vstack(Gemm.atb(emb, dGatesAll), Gemm.atb(zAll, dGatesAll)); // [m + D, 4H]
        g.put(AttentionDecoder.LSTM_W, dW);
        g.put(AttentionDecoder.LSTM_U, Gemm.atb(hIn, dGatesAll));          // [H, 4H]
        g.put(AttentionDecoder.LSTM_B, dGatesAll.sum(0));                  // [4H]
        dEmb.addi(Gemm.abt(dGatesAll, engine.embeddingRows()));            // [T*B, m]
        g.put(AttentionDecoder.EMBED, Embeddings.scatterAdd(inputs, dEmb, c.vocabSize())); // [K, m]
        INDArray dBetaAll = dBeta.reshape(rows, 1);                        // [T*B, 1]
        g.put(AttentionDecoder.BETA_W, Gemm.atb(hIn, dBetaAll));           // [H, 1]
        g.put(AttentionDecoder.BETA_B, dBetaAll.sum(0));                   // [1]
        INDArray dHpAll = dHp.reshape(rows, c.attentionDim());             // [T*B, A]
        g.put(BahdanauAttention.W_H, Gemm.atb(hIn, dHpAll));               // [H, A]
        g.put(BahdanauAttention.V, energy.wGradient());                    // [A, 1]
        if (c.coverage()) {
            g.put(BahdanauAttention.U_COV, energy.uGradient());            // [1, A]
        }

        // features: through the context reads, the initial state, and the projection
        INDArray dFeats = Nd4j.matmul(alphas.permute(1, 0, 2).dup('c'), dCtx.permute(1, 0, 2).dup('c'), true, false, false); // [B, L, D]
        INDArray dh0Pre = dh.mul(init.h().mul(init.h()).rsubi(1));          // [B, H]
        INDArray dc0Pre = dc.mul(init.c().mul(init.c()).rsubi(1));          // [B, H]
        g.put(AttentionDecoder.INIT_H_W, Gemm.atb(init.mean(), dh0Pre));   // [D, H]
        g.put(AttentionDecoder.INIT_H_B, dh0Pre.sum(0));                   // [H]
        g.put(AttentionDecoder.INIT_C_W, Gemm.atb(init.mean(), dc0Pre));   // [D, H]
        g.put(AttentionDecoder.INIT_C_B, dc0Pre.sum(0));                   // [H]
        INDArray dMean = Gemm.abt(dh0Pre, engine.param(AttentionDecoder.INIT_H_W))
                .addi(Gemm.abt(dc0Pre, engine.param(AttentionDecoder.INIT_C_W))).divi(l); // [B, D]
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp(dFeats, dMean, dFeats, 0, 2));
        INDArray dPerImage = Rows.sumInto(dFeats, batch.imageOf(), (int) perImage.size(0)); // [N, L, D]
        INDArray dP = energy.projectedGradient().reshape(perImage.size(0) * l, c.attentionDim()); // [N*L, A]
        INDArray flat = perImage.reshape(perImage.size(0) * l, d);         // [N*L, D]
        g.put(BahdanauAttention.W_A, Gemm.atb(flat, dP));                  // [D, A]
        g.put(BahdanauAttention.B_A, dP.sum(0));                           // [A]
        dPerImage.addi(Gemm.abt(dP, engine.param(BahdanauAttention.W_A)).reshape(perImage.shape())); // [N, L, D]

        for (Map.Entry<String, INDArray> e : g.entrySet()) {
            e.setValue(e.getValue().reshape(engine.param(e.getKey()).shape()));
        }
        double loss = ce.value() + penalty + contextLoss;
        return new Result(loss, ce.value(), penalty, contextLoss, g, dPerImage);
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

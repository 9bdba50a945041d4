package ai.glimpse.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link SoftAttention} in ND4J operations, in the arrays' own precision and on any backend: the reference
 * the Java kernel is tested against, what the gradient checks run in double, and the path of the CUDA
 * backend. Per-image arrays are copied to the rows that read them ({@link Rows#expand}).
 */
final class Nd4jSoftAttention implements SoftAttention {
    private final int rows;
    private final int l;
    private final int a;
    private final int d;
    private final int[] imageOf;
    private final int images;
    private final INDArray projected;                                      // [N, L, A], P per image
    private final INDArray feats;                                          // [N, L, D], a per image
    private final INDArray p;                                              // [B, L, A], P of each row's image
    private final INDArray f;                                              // [B, L, D], a of each row's image
    private final Weights weights;
    private final boolean featureGrads;
    private final List<INDArray[]> kept = new ArrayList<>();               // per step: tanh(x), coverage, alpha, context, beta, h
    private INDArray[] last;
    private INDArray dp;                                                   // [B, L, A]
    private INDArray df;                                                   // [B, L, D]
    private final INDArray dw;                                             // [A, 1]
    private final INDArray du;                                             // [1, A]
    private final INDArray dGateW;                                         // [H, 1]
    private final INDArray dGateB;                                         // [1]

    Nd4jSoftAttention(INDArray feats, INDArray projected, int[] imageOf, Weights weights, boolean featureGrads) {
        this.rows = imageOf.length;
        this.images = (int) projected.size(0);
        this.l = (int) projected.size(1);
        this.a = (int) projected.size(2);
        this.d = (int) feats.size(2);
        this.imageOf = imageOf.clone();
        this.projected = projected;
        this.feats = feats;
        this.p = Rows.expand(projected, imageOf);
        this.f = Rows.expand(feats, imageOf);
        this.weights = weights;
        this.featureGrads = featureGrads;
        this.dw = Nd4j.zeros(projected.dataType(), a, 1);
        this.du = weights.u() == null ? null : Nd4j.zeros(projected.dataType(), 1, a);
        this.dGateW = Nd4j.zeros(projected.dataType(), weights.gateW().length(), 1);
        this.dGateB = Nd4j.zeros(projected.dataType(), 1);
    }

    @Override
    public SoftAttention forRows(int[] newImageOf) {
        return new Nd4jSoftAttention(feats, projected, newImageOf, weights, featureGrads);
    }

    @Override
    public void forward(int t, INDArray hp, INDArray h, INDArray coverage, INDArray zOut, boolean keep) {
        INDArray x = Nd4j.createUninitialized(p.dataType(), p.shape(), 'c'); // [B, L, A]
        Nd4j.getExecutioner().exec(new BroadcastAddOp(p, hp, x, 0, 2));    // P + hp_b over regions
        if (coverage != null) {
            x.addi(coverage.reshape(rows * l, 1).mmul(weights.u()).reshape(rows, l, a)); // [B, L, A], + c_bi u
        }
        INDArray y = Transforms.tanh(x, false);                            // [B, L, A]
        INDArray e = y.reshape(rows * l, a).mmul(weights.w()).reshape(rows, l); // [B, L]
        INDArray alpha = DecoderEngine.softmaxRows(e);                     // [B, L], sums to 1 over regions
        INDArray context = Nd4j.matmul(alpha.reshape(rows, 1, l), f).reshape(rows, d); // [B, D]
        INDArray beta = Transforms.sigmoid(h.mmul(weights.gateW()).addi(weights.gateB().reshape(1, 1)), false); // [B, 1]
        zOut.assign(context.mulColumnVector(beta));                        // [B, D]
        INDArray[] step = {y, coverage, alpha, context, beta, h};
        if (keep) {
            while (kept.size() <= t) {
                kept.add(null);
            }
            kept.set(t, step);
        }
        last = step;
    }

    private INDArray[] step(int t) {
        return t < kept.size() && kept.get(t) != null ? kept.get(t) : last;
    }

    @Override
    public INDArray alpha(int t) {
        return step(t)[2];
    }

    @Override
    public INDArray context(int t) {
        return step(t)[3];
    }

    @Override
    public INDArray beta(int t) {
        return step(t)[4];
    }

    @Override
    public INDArray alphas(int steps) {
        return Nd4j.stack(0, kept.subList(0, steps).stream().map(k -> k[2]).toArray(INDArray[]::new)); // [T, B, L]
    }

    @Override
    public INDArray contexts(int steps) {
        return Nd4j.stack(0, kept.subList(0, steps).stream().map(k -> k[3]).toArray(INDArray[]::new)); // [T, B, D]
    }

    @Override
    public Gradients backward(int t, INDArray dz, INDArray dContext, INDArray dAlphaExtra) {
        INDArray[] k = kept.get(t);
        INDArray alpha = k[2];
        INDArray context = k[3];
        INDArray beta = k[4];
        INDArray h = k[5];
        // gate: z = beta context, beta = sigmoid(w_beta . h + b_beta)
        INDArray dBetaPre = dz.mul(context).sum(1).reshape(rows, 1).muli(beta.mul(beta.rsub(1))); // [B, 1]
        dGateW.addi(h.transpose().mmul(dBetaPre));                         // [H, 1]
        dGateB.addi(dBetaPre.sum(0).reshape(1));                           // [1]
        INDArray dh = dBetaPre.mmul(weights.gateW().transpose());          // [B, H]
        INDArray dctx = dz.mulColumnVector(beta);                          // [B, D]
        if (dContext != null) {
            dctx.addi(dContext);
        }
        // context = sum_i alpha_i a_i
        INDArray dAlpha = Nd4j.matmul(f, dctx.reshape(rows, d, 1)).reshape(rows, l); // [B, L]
        if (dAlphaExtra != null) {
            dAlpha.addi(dAlphaExtra);
        }
        if (featureGrads) {
            INDArray dfStep = Nd4j.matmul(alpha.reshape(rows, l, 1), dctx.reshape(rows, 1, d)); // [B, L, D]
            df = df == null ? dfStep : df.addi(dfStep);
        }
        // softmax, then e = w . tanh(x)
        INDArray de = dAlpha.sub(dAlpha.mul(alpha).sum(1).reshape(rows, 1)).muli(alpha); // [B, L]
        INDArray y = k[0].reshape(rows * l, a);                            // [B*L, A]
        INDArray g = de.reshape(rows * l, 1);                              // [B*L, 1]
        INDArray dx = y.mul(y).rsubi(1).mulRowVector(weights.w().reshape(1, a)).muliColumnVector(g); // [B*L, A]
        dw.addi(y.transpose().mmul(g));                                    // [A, 1]
        INDArray dcov = null;
        if (weights.u() != null) {
            dcov = dx.mmul(weights.u().transpose()).reshape(rows, l);      // [B, L]
            du.addi(k[1].reshape(1, rows * l).mmul(dx));                   // [1, A]
        }
        INDArray dx3 = dx.reshape(rows, l, a);                             // [B, L, A]
        dp = dp == null ? dx3.dup() : dp.addi(dx3);
        return new Gradients(dx3.sum(1), dh, dcov);                        // dhp [B, A] summed over regions
    }

    @Override
    public INDArray projectedGradient() {
        INDArray g = dp == null ? Nd4j.zeros(p.dataType(), rows, l, a) : dp;
        return Rows.sumInto(g, imageOf, images);                           // [N, L, A]
    }

    @Override
    public INDArray featureGradient() {
        INDArray g = df == null ? Nd4j.zeros(f.dataType(), rows, l, d) : df;
        return Rows.sumInto(g, imageOf, images);                           // [N, L, D]
    }

    @Override
    public INDArray wGradient() {
        return dw;
    }

    @Override
    public INDArray uGradient() {
        return du;
    }

    @Override
    public INDArray gateWeightGradient() {
        return dGateW;
    }

    @Override
    public INDArray gateBiasGradient() {
        return dGateB;
    }
}

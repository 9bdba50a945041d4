package ai.glimpse.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link AttentionEnergy} in ND4J operations, in the arrays' own precision and on any backend: the
 * reference the Java kernel is tested against, and what the gradient checks run in double.
 */
final class Nd4jEnergy implements AttentionEnergy {
    private final int rows;
    private final int l;
    private final int a;
    private final int[] imageOf;
    private final int images;
    private final INDArray p;                                              // [B, L, A], P of each row's image
    private final INDArray w;                                              // [A, 1]
    private final INDArray u;                                              // [1, A] or null
    private final List<INDArray> kept = new ArrayList<>();                 // per step: tanh(x) [B, L, A]
    private final List<INDArray> keptCoverage = new ArrayList<>();         // per step: c_t [B, L]
    private INDArray dp;                                                   // [B, L, A]
    private INDArray dw;                                                   // [A, 1]
    private INDArray du;                                                   // [1, A]

    Nd4jEnergy(INDArray projected, int[] imageOf, INDArray w, INDArray u) {
        this.rows = imageOf.length;
        this.images = (int) projected.size(0);
        this.l = (int) projected.size(1);
        this.a = (int) projected.size(2);
        this.imageOf = imageOf.clone();
        this.p = Rows.expand(projected, imageOf);                          // [B, L, A]
        this.w = w;
        this.u = u;
        this.dw = Nd4j.zeros(w.dataType(), a, 1);
        this.du = u == null ? null : Nd4j.zeros(u.dataType(), 1, a);
    }

    @Override
    public INDArray forward(int t, INDArray hp, INDArray coverage, boolean keep) {
        INDArray x = Nd4j.createUninitialized(p.dataType(), p.shape(), 'c'); // [B, L, A]
        Nd4j.getExecutioner().exec(new BroadcastAddOp(p, hp, x, 0, 2));    // P + hp_b over regions
        if (coverage != null) {
            x.addi(coverage.reshape(rows * l, 1).mmul(u).reshape(rows, l, a)); // [B, L, A], + c_bi u
        }
        INDArray y = Transforms.tanh(x, false);                            // [B, L, A]
        if (keep) {
            while (kept.size() <= t) {
                kept.add(null);
                keptCoverage.add(null);
            }
            kept.set(t, y);
            keptCoverage.set(t, coverage);
        }
        return y.reshape(rows * l, a).mmul(w).reshape(rows, l);            // [B, L]
    }

    @Override
    public Gradients backward(int t, INDArray dEnergy) {
        INDArray y = kept.get(t).reshape(rows * l, a);                     // [B*L, A]
        INDArray g = dEnergy.reshape(rows * l, 1);                         // [B*L, 1]
        INDArray dx = y.mul(y).rsubi(1).mulRowVector(w.reshape(1, a)).muliColumnVector(g); // [B*L, A]
        dw.addi(y.transpose().mmul(g));                                    // [A, 1]
        INDArray dcov = null;
        if (u != null) {
            dcov = dx.mmul(u.transpose()).reshape(rows, l);                // [B, L]
            du.addi(keptCoverage.get(t).reshape(1, rows * l).mmul(dx));    // [1, A]
        }
        INDArray dx3 = dx.reshape(rows, l, a);                             // [B, L, A]
        dp = dp == null ? dx3.dup() : dp.addi(dx3);
        return new Gradients(dx3.sum(1), dcov);                            // [B, A] summed over regions
    }

    @Override
    public INDArray projectedGradient() {
        INDArray d = dp == null ? Nd4j.zeros(p.dataType(), rows, l, a) : dp;
        return Rows.sumInto(d, imageOf, images);                           // [N, L, A]
    }

    @Override
    public INDArray wGradient() {
        return dw;
    }

    @Override
    public INDArray uGradient() {
        return du;
    }
}

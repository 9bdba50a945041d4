package ai.glimpse.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link SoftAttention} in float on the Java heap. Forward runs one task per row, backward one task per
 * image over that image's rows (so the sums into the image's dP and da need no locks), split over the
 * cores.
 *
 * <p>Written for the JIT's auto-vectoriser, which here vectorises a loop only when every array in it is
 * indexed by the loop variable alone (an offset such as {@code p[base + k]} keeps it scalar, six to
 * seven times slower: it cannot tell that the arrays do not overlap): the rows a loop reads are first
 * copied into scratch rows ({@link System#arraycopy}, itself vectorised), the loop runs over those, and
 * results are copied out. For the same reason the energies run over P^T [A, L], one attention unit for
 * all regions at a time (an accumulation over L), rather than one dot product per region (a float
 * reduction, which the JIT keeps scalar); the backward pass's da reads run over a^T [D, L] likewise.
 * Backward recomputes tanh from P and hp instead of keeping the [B, L, A] block of every step. The
 * features' rows are read from their ND4J array's native memory where it can be read in place, so the
 * attention keeps no heap copy of them (51 MB at the paper's sizes), only their transpose per image for
 * the backward pass.
 */
final class JavaSoftAttention implements SoftAttention {
    private final int n;
    private final int l;
    private final int a;
    private final int d;
    private final int hidden;
    private final int rows;
    private final int[] imageOf;
    private final int[][] rowsOf;                                          // per image: its rows
    private final float[] p;                                               // [N, L, A]
    private final float[] pt;                                              // [N, A, L], P transposed per image
    private final HostCopy.Blocks f;                                       // [N, L, D], read in place
    private float[] ft;                                                    // [N, D, L], a transposed per image (first backward)
    private final float[] w;                                               // [A]
    private final float[] u;                                               // [A] or null
    private final float[] gateW;                                           // [H]
    private final float gateB;
    private final boolean featureGrads;
    private final HostBuffers buffers;
    private final List<float[][]> kept = new ArrayList<>();                // per step: hp, h, coverage, alpha, context, beta
    private float[][] last;
    private float[] dp;                                                    // [N, L, A]
    private float[] df;                                                    // [N, L, D]
    private final float[][] dw;                                            // per image: [A]
    private final float[][] du;                                            // per image: [A]
    private final float[][] dGateW;                                        // per image: [H]
    private final float[] dGateB;                                          // per image

    /** What the rows of one batch of images share: the images' arrays and the weights, read-only. */
    private record Images(int n, int l, int a, int d, int hidden, float[] p, float[] pt, HostCopy.Blocks f, float[] w, float[] u,
            float[] gateW, float gateB, boolean featureGrads, HostBuffers buffers) {
        static Images of(INDArray feats, INDArray projected, Weights weights, boolean featureGrads, HostBuffers buffers) {
            int n = (int) projected.size(0);
            int l = (int) projected.size(1);
            int a = (int) projected.size(2);
            int d = (int) feats.size(2);
            float[] p = HostCopy.toHeap(projected, buffers.get("P", n * l * a));                // [N, L, A]
            return new Images(n, l, a, d, (int) weights.gateW().length(), p,
                    transposePerImage(p, buffers.get("Pt", n * l * a), n, l, a),                    // [N, A, L]
                    HostCopy.blocks(feats),                                                         // [N, L, D]
                    HostCopy.toHeap(weights.w(), null), weights.u() == null ? null : HostCopy.toHeap(weights.u(), null),
                    HostCopy.toHeap(weights.gateW(), null), weights.gateB().getFloat(0), featureGrads, buffers);
        }
    }

    private final Images images;

    JavaSoftAttention(INDArray feats, INDArray projected, int[] imageOf, Weights weights, boolean featureGrads,
            HostBuffers buffers) {
        this(Images.of(feats, projected, weights, featureGrads, buffers), imageOf);
    }

    /** Rows {@code imageOf} of the images; nothing kept, no gradients yet. */
    private JavaSoftAttention(Images images, int[] imageOf) {
        this.images = images;
        this.n = images.n();
        this.l = images.l();
        this.a = images.a();
        this.d = images.d();
        this.hidden = images.hidden();
        this.rows = imageOf.length;
        this.imageOf = imageOf.clone();
        this.rowsOf = rowsOf(imageOf, n);
        this.buffers = images.buffers();
        this.p = images.p();
        this.pt = images.pt();
        this.f = images.f();
        this.w = images.w();
        this.u = images.u();
        this.gateW = images.gateW();
        this.gateB = images.gateB();
        this.featureGrads = images.featureGrads();
        this.dw = new float[n][a];
        this.du = new float[n][a];
        this.dGateW = new float[n][hidden];
        this.dGateB = new float[n];
    }

    @Override
    public SoftAttention forRows(int[] newImageOf) {
        for (int img : newImageOf) {
            if (img < 0 || img >= n) {
                throw new IllegalArgumentException("row of image " + img + ", but the batch has " + n + " images");
            }
        }
        return new JavaSoftAttention(images, newImageOf);           // the same images' arrays, shared
    }

    /** Each of the n images' [rows, cols] block of x transposed into out. */
    private static float[] transposePerImage(float[] x, float[] out, int n, int rowsPer, int cols) {
        int block = rowsPer * cols;
        HostMath.forEach(n, (long) n * block, img -> HostMath.transpose(x, img * block, rowsPer, cols, out, img * block));
        return out;
    }

    /** As above, one image at a time through a scratch block. */
    private static float[] transposePerImage(HostCopy.Blocks x, float[] out, float[] scratch, int n, int rowsPer, int cols) {
        int block = rowsPer * cols;
        for (int img = 0; img < n; img++) {
            x.read(img * block, scratch, block);                           // [rows, cols], image img
            HostMath.transpose(scratch, 0, rowsPer, cols, out, img * block);
        }
        return out;
    }

    private static int[][] rowsOf(int[] imageOf, int images) {
        int[] count = new int[images];
        for (int img : imageOf) {
            count[img]++;
        }
        int[][] out = new int[images][];
        for (int i = 0; i < images; i++) {
            out[i] = new int[count[i]];
        }
        Arrays.fill(count, 0);
        for (int b = 0; b < imageOf.length; b++) {
            out[imageOf[b]][count[imageOf[b]]++] = b;
        }
        return out;
    }

    @Override
    public void forward(int t, INDArray hpIn, INDArray hIn, INDArray coverage, INDArray zOut, boolean keep) {
        String tag = keep ? "keep" : "last";
        int s = keep ? t : 0;
        float[] hp = HostCopy.toHeap(hpIn, buffers.step(tag + ".hp", s, rows * a));          // [B, A]
        float[] h = HostCopy.toHeap(hIn, buffers.step(tag + ".h", s, rows * hidden));       // [B, H]
        float[] cov = coverage == null ? null
                : HostCopy.toHeap(coverage, buffers.step(tag + ".cov", s, rows * l));      // [B, L]
        float[] alpha = buffers.step(tag + ".alpha", s, rows * l);                          // [B, L]
        float[] ctx = buffers.step(tag + ".ctx", s, rows * d);                              // [B, D]
        float[] beta = buffers.step(tag + ".beta", s, rows);                                // [B]
        float[] z = buffers.get("z", rows * d);                                             // [B, D]
        HostMath.forEach(rows, (long) rows * l * (a + d), b -> {
            float[] e = energies(b, hp, cov);                                               // [L]
            HostMath.softmax(e, l);                                                         // [L], alpha_b
            System.arraycopy(e, 0, alpha, b * l, l);
            float[] c = context(b, e);                                                      // [D]
            System.arraycopy(c, 0, ctx, b * d, d);
            float[] hRow = Arrays.copyOfRange(h, b * hidden, (b + 1) * hidden);             // [H]
            beta[b] = Activations.sigmoid(HostMath.dot(hRow, gateW, hidden) + gateB);
            HostMath.scale(beta[b], c, d);                                                  // [D], z_b
            System.arraycopy(c, 0, z, b * d, d);
        });
        HostCopy.fromHeap(z, zOut);
        float[][] step = {hp, h, cov, alpha, ctx, beta};
        if (keep) {
            while (kept.size() <= t) {
                kept.add(null);
            }
            kept.set(t, step);
        }
        last = step;
    }

    /** Row b's energies e_i = w . tanh(P[image, i] + hp_b + c_bi u) [L], over P^T one unit k at a time. */
    private float[] energies(int b, float[] hp, float[] cov) {
        int base = imageOf[b] * l * a;
        float[] e = new float[l];                                                           // [L]
        float[] y = new float[l];                                                           // [L]
        float[] cRow = cov == null ? null : Arrays.copyOfRange(cov, b * l, (b + 1) * l);    // [L]
        for (int k = 0; k < a; k++) {
            System.arraycopy(pt, base + k * l, y, 0, l);                                   // [L], P_k of every region
            float shift = hp[b * a + k];
            float wk = w[k];
            if (cRow == null) {
                for (int i = 0; i < l; i++) {
                    e[i] = Math.fma(wk, Activations.tanh(y[i] + shift), e[i]);
                }
            } else {
                float uk = u[k];
                for (int i = 0; i < l; i++) {
                    e[i] = Math.fma(wk, Activations.tanh(Math.fma(cRow[i], uk, y[i] + shift)), e[i]);
                }
            }
        }
        return e;
    }

    /** Row b's context sum_i alpha_i a[image, i] [D]. */
    private float[] context(int b, float[] alpha) {
        int base = imageOf[b] * l * d;
        float[] c = new float[d];                                                           // [D]
        float[] row = new float[d];                                                         // [D]
        for (int i = 0; i < l; i++) {
            f.read(base + i * d, row, d);
            HostMath.axpy(alpha[i], row, c, d);
        }
        return c;
    }

    private float[][] step(int t) {
        return t < kept.size() && kept.get(t) != null ? kept.get(t) : last;
    }

    @Override
    public INDArray alpha(int t) {
        return HostCopy.array(step(t)[3], rows, l);
    }

    @Override
    public INDArray context(int t) {
        return HostCopy.array(step(t)[4], rows, d);
    }

    @Override
    public INDArray beta(int t) {
        return HostCopy.array(step(t)[5], rows, 1);
    }

    @Override
    public INDArray alphas(int steps) {
        return HostCopy.array(concat(steps, 3, rows * l), steps, rows, l);
    }

    @Override
    public INDArray contexts(int steps) {
        return HostCopy.array(concat(steps, 4, rows * d), steps, rows, d);
    }

    /** Kept quantity {@code which} of steps 0 .. steps - 1, one after the other. */
    private float[] concat(int steps, int which, int size) {
        float[] out = new float[steps * size];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(kept.get(t)[which], 0, out, t * size, size);
        }
        return out;
    }

    @Override
    public Gradients backward(int t, INDArray dzIn, INDArray dContext, INDArray dAlphaIn) {
        if (dp == null) {
            dp = buffers.zeroed("dP", n * l * a);
            df = featureGrads ? buffers.zeroed("da", n * l * d) : null;
            ft = transposePerImage(f, buffers.get("at", n * l * d), buffers.get("a_img", l * d), n, l, d); // [N, D, L]
        }
        float[][] k = kept.get(t);
        float[] dz = HostCopy.toHeap(dzIn, buffers.get("dz", rows * d));                  // [B, D]
        float[] dCtxExtra = dContext == null ? null : HostCopy.toHeap(dContext, buffers.get("dctx+", rows * d));
        float[] dAlphaExtra = dAlphaIn == null ? null : HostCopy.toHeap(dAlphaIn, buffers.get("dalpha+", rows * l));
        float[] dhp = buffers.get("dhp", rows * a);                                        // [B, A]
        float[] dh = buffers.get("dh", rows * hidden);                                     // [B, H]
        float[] dc = u == null ? null : buffers.get("dcov", rows * l);                     // [B, L]
        HostMath.forEach(n, (long) rows * l * (a + d), img -> {
            for (int b : rowsOf[img]) {
                float[] dctx = gateBackward(img, b, k, dz, dCtxExtra, dh);                 // [D]
                float[] de = contextBackward(img, b, k[3], dctx, dAlphaExtra);             // [L], dL/dalpha
                softmaxBackward(b, k[3], de);                                              // [L], dL/de
                energyBackward(img, b, k[0], k[2], de, dhp, dc);
            }
        });
        return new Gradients(HostCopy.array(dhp, rows, a), HostCopy.array(dh, rows, hidden),
                dc == null ? null : HostCopy.array(dc, rows, l));
    }

    /**
     * Row b through z = beta context and beta = sigmoid(w_beta . h + b_beta): dbeta = dz . context,
     * dcontext = beta dz (+ the extra gradient), dh = dbeta beta (1 - beta) w_beta. Returns dcontext [D].
     */
    private float[] gateBackward(int img, int b, float[][] k, float[] dz, float[] dCtxExtra, float[] dh) {
        float[] dzRow = Arrays.copyOfRange(dz, b * d, (b + 1) * d);                        // [D]
        float[] ctxRow = Arrays.copyOfRange(k[4], b * d, (b + 1) * d);                     // [D]
        float beta = k[5][b];
        float dBetaPre = HostMath.dot(dzRow, ctxRow, d) * beta * (1 - beta);
        HostMath.scale(beta, dzRow, d);                                                    // [D], beta dz
        if (dCtxExtra != null) {
            HostMath.axpy(1f, Arrays.copyOfRange(dCtxExtra, b * d, (b + 1) * d), dzRow, d);
        }
        float[] hRow = Arrays.copyOfRange(k[1], b * hidden, (b + 1) * hidden);             // [H]
        float[] dhRow = new float[hidden];                                                 // [H]
        HostMath.axpy(dBetaPre, gateW, dhRow, hidden);
        System.arraycopy(dhRow, 0, dh, b * hidden, hidden);
        HostMath.axpy(dBetaPre, hRow, dGateW[img], hidden);
        dGateB[img] += dBetaPre;
        return dzRow;
    }

    /**
     * Row b through context = sum_i alpha_i a_i: dalpha = a dcontext (+ extra) [L], over a^T one channel
     * at a time; da_i += alpha_i dcontext when the features are trained.
     */
    private float[] contextBackward(int img, int b, float[] alpha, float[] dctx, float[] dAlphaExtra) {
        float[] dAlpha = dAlphaExtra == null ? new float[l] : Arrays.copyOfRange(dAlphaExtra, b * l, (b + 1) * l); // [L]
        float[] col = new float[l];                                                        // [L]
        int base = img * l * d;
        for (int j = 0; j < d; j++) {
            System.arraycopy(ft, base + j * l, col, 0, l);                                 // channel j of every region
            HostMath.axpy(dctx[j], col, dAlpha, l);
        }
        if (df != null) {
            for (int i = 0; i < l; i++) {
                float ai = alpha[b * l + i];
                int row = base + i * d;
                for (int j = 0; j < d; j++) {
                    df[row + j] += ai * dctx[j];                                           // [D], scalar: offsets
                }
            }
        }
        return dAlpha;
    }

    /** In place: dalpha [L] becomes de = alpha (dalpha - alpha . dalpha), the softmax's backward. */
    private void softmaxBackward(int b, float[] alpha, float[] dAlpha) {
        float[] aRow = Arrays.copyOfRange(alpha, b * l, (b + 1) * l);                      // [L]
        float dot = HostMath.dot(aRow, dAlpha, l);
        for (int i = 0; i < l; i++) {
            dAlpha[i] = aRow[i] * (dAlpha[i] - dot);
        }
    }

    /**
     * Row b through e_i = w . tanh(x_i), x_i = P_i + hp + c_i u: with y = tanh(x_i) recomputed and g = de_i,
     * dx = g w (1 - y^2) is added to dP[image, i] and dhp_b (and gives dc_i = dx . u, du += c_i dx); dw += g y.
     */
    private void energyBackward(int img, int b, float[] hp, float[] cov, float[] de, float[] dhp, float[] dc) {
        int base = img * l * a;
        float[] hpRow = Arrays.copyOfRange(hp, b * a, (b + 1) * a);                        // [A]
        float[] dhpRow = new float[a];                                                     // [A]
        float[] row = new float[a];                                                        // [A]: P_i, then y, then dx
        float[] dwImg = dw[img];
        float[] duImg = du[img];
        for (int i = 0; i < l; i++) {
            System.arraycopy(p, base + i * a, row, 0, a);
            float c = cov == null ? 0f : cov[b * l + i];
            if (cov == null) {
                for (int k = 0; k < a; k++) {
                    row[k] = Activations.tanh(row[k] + hpRow[k]);                           // y
                }
            } else {
                for (int k = 0; k < a; k++) {
                    row[k] = Activations.tanh(Math.fma(c, u[k], row[k] + hpRow[k]));        // y
                }
            }
            float g = de[i];
            for (int k = 0; k < a; k++) {
                float y = row[k];
                dwImg[k] = Math.fma(g, y, dwImg[k]);
                float dx = g * w[k] * (1 - y * y);
                dhpRow[k] += dx;
                row[k] = dx;                                                               // row now holds dx
            }
            int at = base + i * a;
            for (int k = 0; k < a; k++) {
                dp[at + k] += row[k];                                                      // scalar: offsets
            }
            if (u != null) {
                dc[b * l + i] = HostMath.dot(row, u, a);
                HostMath.axpy(c, row, duImg, a);
            }
        }
        System.arraycopy(dhpRow, 0, dhp, b * a, a);
    }

    @Override
    public INDArray projectedGradient() {
        return HostCopy.array(dp == null ? new float[n * l * a] : dp, n, l, a);
    }

    @Override
    public INDArray featureGradient() {
        return HostCopy.array(df == null ? new float[n * l * d] : df, n, l, d);
    }

    @Override
    public INDArray wGradient() {
        return HostCopy.array(sum(dw, a), a, 1);
    }

    @Override
    public INDArray uGradient() {
        return u == null ? null : HostCopy.array(sum(du, a), 1, a);
    }

    @Override
    public INDArray gateWeightGradient() {
        return HostCopy.array(sum(dGateW, hidden), hidden, 1);
    }

    @Override
    public INDArray gateBiasGradient() {
        float s = 0;
        for (float v : dGateB) {
            s += v;
        }
        return HostCopy.array(new float[] {s}, 1);
    }

    private static float[] sum(float[][] perImage, int size) {
        float[] out = new float[size];
        for (float[] r : perImage) {
            HostMath.axpy(1f, r, out, size);
        }
        return out;
    }
}

package ai.glimpse.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link SoftAttention} in float on the Java heap. Forward runs one task per row: energies over its
 * image's [L, A] block (add, tanh, dot with w), softmax, the context over its image's [L, D] block, the
 * gate. Backward runs one task per image over that image's rows, so the sums into the image's dP and da
 * need no locks, and recomputes tanh from P and hp instead of keeping the [B, L, A] block of every step
 * (an L2-resident read of the image's P against 12.8 MB a step written and read back at the paper's
 * sizes).
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
    private final float[] f;                                               // [N, L, D]
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

    JavaSoftAttention(INDArray feats, INDArray projected, int[] imageOf, Weights weights, boolean featureGrads,
            HostBuffers buffers) {
        this.n = (int) projected.size(0);
        this.l = (int) projected.size(1);
        this.a = (int) projected.size(2);
        this.d = (int) feats.size(2);
        this.hidden = (int) weights.gateW().length();
        this.rows = imageOf.length;
        this.imageOf = imageOf.clone();
        this.rowsOf = rowsOf(imageOf, n);
        this.buffers = buffers;
        this.p = HostCopy.toHeap(projected, buffers.get("P", n * l * a));
        this.f = HostCopy.toHeap(feats, buffers.get("a", n * l * d));
        this.w = HostCopy.toHeap(weights.w(), null);
        this.u = weights.u() == null ? null : HostCopy.toHeap(weights.u(), null);
        this.gateW = HostCopy.toHeap(weights.gateW(), null);
        this.gateB = weights.gateB().getFloat(0);
        this.featureGrads = featureGrads;
        this.dw = new float[n][a];
        this.du = new float[n][a];
        this.dGateW = new float[n][hidden];
        this.dGateB = new float[n];
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
            float[] scratch = new float[Math.max(Math.max(a, d), hidden)];
            energies(b, hp, cov, alpha, new float[a], scratch);
            HostMath.softmax(alpha, b * l, l);
            context(b, alpha, ctx);
            beta[b] = Activations.sigmoid(HostMath.dot(h, b * hidden, gateW, 0, hidden) + gateB);
            for (int k = 0; k < d; k++) {
                z[b * d + k] = beta[b] * ctx[b * d + k];                                    // [D]
            }
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

    /** Row b: e_bi = w . tanh(P[image, i] + hp_b + c_bi u) into out[b, i]. */
    private void energies(int b, float[] hp, float[] cov, float[] out, float[] y, float[] scratch) {
        int base = imageOf[b] * l * a;
        for (int i = 0; i < l; i++) {
            preActivation(base + i * a, b, i, hp, cov, y);                                 // [A]
            Activations.tanh(y, 0, y, 0, a);                                               // [A]
            out[b * l + i] = HostMath.dot(y, 0, w, 0, a);
        }
    }

    /** x = P[from .. from + A) + hp_b (+ c_bi u) into x [A]. */
    private void preActivation(int from, int b, int i, float[] hp, float[] cov, float[] x) {
        int hOff = b * a;
        for (int k = 0; k < a; k++) {
            x[k] = p[from + k] + hp[hOff + k];
        }
        if (cov != null) {
            float c = cov[b * l + i];
            for (int k = 0; k < a; k++) {
                x[k] = Math.fma(c, u[k], x[k]);
            }
        }
    }

    /** Row b: context_b = sum_i alpha_bi a[image, i] into ctx[b]. */
    private void context(int b, float[] alpha, float[] ctx) {
        int base = imageOf[b] * l * d;
        Arrays.fill(ctx, b * d, (b + 1) * d, 0f);
        for (int i = 0; i < l; i++) {
            HostMath.axpy(alpha[b * l + i], f, base + i * d, ctx, b * d, d);
        }
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
        }
        float[][] k = kept.get(t);
        float[] dz = HostCopy.toHeap(dzIn, buffers.get("dz", rows * d));                  // [B, D]
        float[] dCtxExtra = dContext == null ? null : HostCopy.toHeap(dContext, buffers.get("dctx+", rows * d));
        float[] dAlphaExtra = dAlphaIn == null ? null : HostCopy.toHeap(dAlphaIn, buffers.get("dalpha+", rows * l));
        float[] dhp = buffers.zeroed("dhp", rows * a);                                     // [B, A]
        float[] dh = buffers.get("dh", rows * hidden);                                     // [B, H]
        float[] dc = u == null ? null : buffers.get("dcov", rows * l);                     // [B, L]
        HostMath.forEach(n, (long) rows * l * (a + d), img -> {
            float[] dctx = new float[d];
            float[] dAlpha = new float[l];
            float[] scratch = new float[Math.max(a, d)];
            float[] y = new float[a];
            for (int b : rowsOf[img]) {
                gateBackward(img, b, k, dz, dCtxExtra, dctx, dh, scratch);
                contextBackward(img, b, k[3], dctx, dAlphaExtra, dAlpha, scratch);
                softmaxBackward(b, k[3], dAlpha);
                energyBackward(img, b, k[0], k[2], dAlpha, dhp, dc, y, scratch);
            }
        });
        return new Gradients(HostCopy.array(dhp, rows, a), HostCopy.array(dh, rows, hidden),
                dc == null ? null : HostCopy.array(dc, rows, l));
    }

    /**
     * Row b through z = beta context and beta = sigmoid(w_beta . h + b_beta): dbeta = dz . context,
     * dcontext = beta dz (+ the extra gradient), dh = dbeta beta (1 - beta) w_beta.
     */
    private void gateBackward(int img, int b, float[][] k, float[] dz, float[] dCtxExtra, float[] dctx, float[] dh,
            float[] scratch) {
        float[] h = k[1];
        float beta = k[5][b];
        float dBetaPre = HostMath.dot(dz, b * d, k[4], b * d, d) * beta * (1 - beta);
        for (int j = 0; j < d; j++) {
            dctx[j] = beta * dz[b * d + j];                                                // [D]
        }
        if (dCtxExtra != null) {
            for (int j = 0; j < d; j++) {
                dctx[j] += dCtxExtra[b * d + j];
            }
        }
        for (int j = 0; j < hidden; j++) {
            dh[b * hidden + j] = dBetaPre * gateW[j];                                      // [H]
            dGateW[img][j] += dBetaPre * h[b * hidden + j];                                // [H]
        }
        dGateB[img] += dBetaPre;
    }

    /** Row b through context = sum_i alpha_i a_i: dalpha_i = a_i . dcontext (+ extra); da_i += alpha_i dcontext. */
    private void contextBackward(int img, int b, float[] alpha, float[] dctx, float[] dAlphaExtra, float[] dAlpha,
            float[] scratch) {
        int base = img * l * d;
        for (int i = 0; i < l; i++) {
            dAlpha[i] = HostMath.dot(f, base + i * d, dctx, 0, d)
                    + (dAlphaExtra == null ? 0f : dAlphaExtra[b * l + i]);
            if (df != null) {
                HostMath.axpy(alpha[b * l + i], dctx, 0, df, base + i * d, d);             // [D]
            }
        }
    }

    /** In place: dalpha [L] becomes de = alpha (dalpha - alpha . dalpha), the softmax's backward. */
    private void softmaxBackward(int b, float[] alpha, float[] dAlpha) {
        float dot = 0;
        for (int i = 0; i < l; i++) {
            dot += alpha[b * l + i] * dAlpha[i];
        }
        for (int i = 0; i < l; i++) {
            dAlpha[i] = alpha[b * l + i] * (dAlpha[i] - dot);
        }
    }

    /**
     * Row b through e_i = w . tanh(x_i): with y = tanh(x_i) recomputed and g = de_i, dx = g w (1 - y^2)
     * is added to dP[image, i] and dhp_b (and gives dc_i = dx . u, du += c_i dx); dw += g y.
     */
    private void energyBackward(int img, int b, float[] hp, float[] cov, float[] de, float[] dhp, float[] dc, float[] y,
            float[] scratch) {
        int base = img * l * a;
        float[] dwImg = dw[img];
        float[] duImg = du[img];
        int hOff = b * a;
        for (int i = 0; i < l; i++) {
            preActivation(base + i * a, b, i, hp, cov, y);                                 // [A]
            Activations.tanh(y, 0, y, 0, a);                                               // [A]
            float g = de[i];
            int row = base + i * a;
            for (int k = 0; k < a; k++) {
                float dx = g * w[k] * (1 - y[k] * y[k]);                                   // dL/dx_ik
                dwImg[k] = Math.fma(g, y[k], dwImg[k]);
                dp[row + k] += dx;
                dhp[hOff + k] += dx;
                y[k] = dx;                                                                 // y now holds dx
            }
            if (u != null) {
                float c = cov[b * l + i];
                dc[b * l + i] = HostMath.dot(y, 0, u, 0, a);
                HostMath.axpy(c, y, 0, duImg, 0, a);
            }
        }
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
            for (int k = 0; k < size; k++) {
                out[k] += r[k];
            }
        }
        return out;
    }
}

package ai.glimpse.model;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link AttentionEnergy} in float on the Java heap. Each row b of a step runs as one task (the rows
 * split over the cores): x = P[image(b)] + hp_b (+ c_bl u), then tanh in place over the row's [L, A]
 * block, then e_bl = w . tanh(x_bl). The loops are written so that the JIT vectorises them: one index
 * per loop where it can, independent partial sums in the dot products. tanh is a rational
 * approximation accurate to 2e-7 (see {@link #tanh}).
 */
final class JavaEnergy implements AttentionEnergy {
    private final int n;
    private final int l;
    private final int a;
    private final int[] imageOf;
    private final float[] p;                                               // [N, L, A]
    private final float[] w;                                               // [A]
    private final float[] u;                                               // [A] or null
    private final Buffers buffers;
    private float[][] keptCoverage = new float[0][];                       // per step: c_t [B, L]
    private boolean backwardStarted;
    private final float[][] dw;                                            // per row: [A]
    private final float[][] du;                                            // per row: [A]

    /**
     * Heap blocks kept from batch to batch (first touches of fresh memory are slow: 27 MB took about 40 ms
     * here), grown when a batch needs more. One set serves one pass at a time.
     */
    static final class Buffers {
        private float[][] kept = new float[0][];                           // per step: tanh(x) [B, L, A]
        private float[] scratch;                                           // [B, L, A], steps not kept
        private float[] dp;                                                // [B, L, A], summed over steps

        float[] kept(int t, int size) {
            if (t >= kept.length) {
                kept = java.util.Arrays.copyOf(kept, t + 1);
            }
            if (kept[t] == null || kept[t].length < size) {
                kept[t] = new float[size];
            }
            return kept[t];
        }

        float[] scratch(int size) {
            if (scratch == null || scratch.length < size) {
                scratch = new float[size];
            }
            return scratch;
        }

        float[] zeroedGradient(int size) {
            if (dp == null || dp.length < size) {
                dp = new float[size];
            } else {
                java.util.Arrays.fill(dp, 0, size, 0f);
            }
            return dp;
        }
    }

    JavaEnergy(INDArray projected, int[] imageOf, INDArray w, INDArray u, Buffers buffers) {
        this.buffers = buffers;
        this.n = (int) projected.size(0);
        this.l = (int) projected.size(1);
        this.a = (int) projected.size(2);
        this.imageOf = imageOf.clone();
        this.p = HostCopy.toHeap(projected, null);
        this.w = HostCopy.toHeap(w, null);
        this.u = u == null ? null : HostCopy.toHeap(u, null);
        this.dw = new float[imageOf.length][];
        this.du = new float[imageOf.length][];
    }

    @Override
    public INDArray forward(int t, INDArray hp, INDArray coverage, boolean keep) {
        int rows = imageOf.length;
        int block = l * a;
        float[] h = HostCopy.toHeap(hp, null);                             // [B, A]
        float[] cov = coverage == null ? null : HostCopy.toHeap(coverage, null); // [B, L]
        float[] x;
        if (keep) {
            if (t >= keptCoverage.length) {
                keptCoverage = java.util.Arrays.copyOf(keptCoverage, t + 1);
            }
            x = buffers.kept(t, rows * block);
            keptCoverage[t] = cov;
        } else {
            x = buffers.scratch(rows * block);
        }
        float[] e = new float[rows * l];                                   // [B, L]
        IntStream.range(0, rows).parallel().forEach(b -> energyRow(b, h, cov, x, e));
        return HostCopy.array(e, rows, l);
    }

    /** Row b: x = tanh(P + hp_b + c_b u) over its [L, A] block, e_b = x . w. */
    private void energyRow(int b, float[] h, float[] cov, float[] x, float[] e) {
        int base = b * l * a;
        int src = imageOf[b] * l * a;
        int hOff = b * a;
        for (int i = 0; i < l; i++) {
            int row = base + i * a;
            int from = src + i * a;
            for (int k = 0; k < a; k++) {
                x[row + k] = p[from + k] + h[hOff + k];                    // [A]
            }
            if (cov != null) {
                float c = cov[b * l + i];
                for (int k = 0; k < a; k++) {
                    x[row + k] += c * u[k];                                // [A], u c_bi
                }
            }
        }
        for (int j = base; j < base + l * a; j++) {
            x[j] = tanh(x[j]);                                             // [L, A], in place
        }
        for (int i = 0; i < l; i++) {
            e[b * l + i] = dot(x, base + i * a, w);                        // e_bi
        }
    }

    @Override
    public Gradients backward(int t, INDArray dEnergy) {
        int rows = imageOf.length;
        float[] dp = backwardStarted ? buffers.dp : buffers.zeroedGradient(rows * l * a);
        backwardStarted = true;
        float[] de = HostCopy.toHeap(dEnergy, null);                       // [B, L]
        float[] dh = new float[rows * a];                                  // [B, A]
        float[] dc = u == null ? null : new float[rows * l];               // [B, L]
        float[] x = buffers.kept[t];
        float[] cov = keptCoverage[t];
        IntStream.range(0, rows).parallel().forEach(b -> backwardRow(b, x, cov, de, dh, dc, dp));
        return new Gradients(HostCopy.array(dh, rows, a), dc == null ? null : HostCopy.array(dc, rows, l));
    }

    /**
     * Row b: with g = dL/de_bi and y = tanh(x): dx = g w (1 - y^2) is added to dP and dhp_b (and gives
     * dc_bi = dx . u, du += c_bi dx); dw += g y.
     */
    private void backwardRow(int b, float[] x, float[] cov, float[] de, float[] dh, float[] dc, float[] dp) {
        float[] dwRow = dw[b] == null ? (dw[b] = new float[a]) : dw[b];
        float[] duRow = u == null ? null : du[b] == null ? (du[b] = new float[a]) : du[b];
        float[] dx = new float[a];
        int base = b * l * a;
        int hOff = b * a;
        for (int i = 0; i < l; i++) {
            float g = de[b * l + i];
            int row = base + i * a;
            for (int k = 0; k < a; k++) {
                float y = x[row + k];
                dx[k] = g * w[k] * (1 - y * y);                            // [A], dL/dx_bi
                dwRow[k] += g * y;                                         // [A]
            }
            for (int k = 0; k < a; k++) {
                dp[row + k] += dx[k];                                      // [A], dL/dP of this row
                dh[hOff + k] += dx[k];                                     // [A], dL/dhp_b
            }
            if (duRow != null) {
                float c = cov[b * l + i];
                dc[b * l + i] = dot(dx, 0, u);                             // dL/dc_bi
                for (int k = 0; k < a; k++) {
                    duRow[k] += c * dx[k];                                 // [A]
                }
            }
        }
    }

    @Override
    public INDArray projectedGradient() {
        float[] out = new float[n * l * a];                                // [N, L, A]
        if (backwardStarted) {
            float[] dp = buffers.dp;
            int block = l * a;
            for (int b = 0; b < imageOf.length; b++) {
                int to = imageOf[b] * block;
                int from = b * block;
                for (int j = 0; j < block; j++) {
                    out[to + j] += dp[from + j];
                }
            }
        }
        return HostCopy.array(out, n, l, a);
    }

    @Override
    public INDArray wGradient() {
        return HostCopy.array(sumRows(dw), a, 1);
    }

    @Override
    public INDArray uGradient() {
        return u == null ? null : HostCopy.array(sumRows(du), 1, a);
    }

    private float[] sumRows(float[][] perRow) {
        float[] sum = new float[a];
        for (float[] r : perRow) {
            if (r != null) {
                for (int k = 0; k < a; k++) {
                    sum[k] += r[k];
                }
            }
        }
        return sum;
    }

    /** x[from .. from + v.length) . v, with eight independent partial sums. */
    static float dot(float[] x, int from, float[] v) {
        int len = v.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int k = 0;
        for (; k + 8 <= len; k += 8) {
            s0 += x[from + k] * v[k];
            s1 += x[from + k + 1] * v[k + 1];
            s2 += x[from + k + 2] * v[k + 2];
            s3 += x[from + k + 3] * v[k + 3];
            s4 += x[from + k + 4] * v[k + 4];
            s5 += x[from + k + 5] * v[k + 5];
            s6 += x[from + k + 6] * v[k + 6];
            s7 += x[from + k + 7] * v[k + 7];
        }
        for (; k < len; k++) {
            s0 += x[from + k] * v[k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * tanh(x) from the [7/6] Pade approximant of tanh at 0 (Lambert's continued fraction cut after six
     * terms), tanh(y) = y (135135 + 17325 y^2 + 378 y^4 + y^6) / (135135 + 62370 y^2 + 3150 y^4 + 28 y^6),
     * taken at y = x / 4 and brought back with tanh(2y) = 2 tanh(y) / (1 + tanh(y)^2) twice; |x| is
     * clamped to 9, beyond which tanh is 1 in float. Absolute error below 2e-7 in float.
     */
    static float tanh(float v) {
        float y = Math.max(-9f, Math.min(9f, v)) * 0.25f;
        float s = y * y;
        float num = ((s + 378f) * s + 17325f) * s + 135135f;
        float den = ((28f * s + 3150f) * s + 62370f) * s + 135135f;
        float t = y * num / den;                                           // tanh(x / 4)
        t = 2f * t / (1f + t * t);                                         // tanh(x / 2)
        return 2f * t / (1f + t * t);                                      // tanh(x)
    }

    /** The logistic function through {@link #tanh}: sigmoid(x) = (1 + tanh(x / 2)) / 2. */
    static float sigmoid(float v) {
        return 0.5f + 0.5f * tanh(0.5f * v);
    }
}

package ai.glimpse.model;

import java.util.Arrays;

/**
 * The small encoder's spatial softmax ({@code spatialSoftmax}) on the heap: each channel k of image n is
 * reweighted by a softmax over the L regions, f_i = L s_i x_i with s_i = exp(x_i) / sum_j exp(x_j), so a
 * region keeps its response where it is the channel's strongest. Backward:
 * dx_j = L s_j (df_j (1 + x_j) - sum_i s_i x_i df_i).
 */
final class SpatialSoftmax {
    private SpatialSoftmax() {
    }

    /** The reweighted map, and the input and softmax weights the backward pass reads. */
    record Weighted(FeatureMap out, FeatureMap in, FeatureMap weights) {
    }

    /** f of x [N, h, w, C], the softmax over the h * w regions of each channel. */
    static Weighted forward(FeatureMap x) {
        FeatureMap s = x.zeros(x.h, x.w, x.c);                            // [N, h, w, C], softmax weights
        FeatureMap out = x.zeros(x.h, x.w, x.c);                          // [N, h, w, C]
        x.eachImage(image -> {
            int c = x.c;
            int from = image * x.imageSize();
            int to = from + x.imageSize();
            int regions = x.h * x.w;
            double[] max = new double[c];                                  // [C]
            double[] sum = new double[c];                                  // [C]
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int p = from; p < to; p += c) {
                for (int k = 0; k < c; k++) {
                    max[k] = Math.max(max[k], x.get(p + k));
                }
            }
            for (int p = from; p < to; p += c) {
                for (int k = 0; k < c; k++) {
                    double e = Math.exp(x.get(p + k) - max[k]);
                    s.set(p + k, e);
                    sum[k] += e;
                }
            }
            for (int p = from; p < to; p += c) {
                for (int k = 0; k < c; k++) {
                    double weight = s.get(p + k) / sum[k];
                    s.set(p + k, weight);
                    out.set(p + k, regions * weight * x.get(p + k));
                }
            }
        });
        return new Weighted(out, x, s);
    }

    /** dL/dx [N, h, w, C] given dL/df. */
    static FeatureMap backward(Weighted w, FeatureMap df) {
        FeatureMap x = w.in();
        FeatureMap s = w.weights();
        FeatureMap dx = df.zeros(df.h, df.w, df.c);                        // [N, h, w, C]
        df.eachImage(image -> {
            int c = df.c;
            int from = image * df.imageSize();
            int to = from + df.imageSize();
            int regions = df.h * df.w;
            double[] pulled = new double[c];                               // [C], sum_i s_i x_i df_i
            for (int p = from; p < to; p += c) {
                for (int k = 0; k < c; k++) {
                    pulled[k] += s.get(p + k) * x.get(p + k) * df.get(p + k);
                }
            }
            for (int p = from; p < to; p += c) {
                for (int k = 0; k < c; k++) {
                    double g = df.get(p + k);
                    dx.set(p + k, regions * s.get(p + k) * (g * (1 + x.get(p + k)) - pulled[k]));
                }
            }
        });
        return dx;
    }
}

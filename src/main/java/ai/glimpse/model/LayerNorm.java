package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layer norm of each image's map over all its positions and channels, then a per-channel gain and shift
 * (Ba et al. 2016; the small encoder's {@code cnnLayerNorm}), forward and backward on the heap:
 * xhat = (x - mu_n) / sqrt(var_n + eps), y = xhat * gain_k + shift_k, with mu_n and var_n the mean and
 * (biased) variance of image n. Backward: dgain_k = sum dy xhat, dshift_k = sum dy, and with
 * g = dy * gain_k, dx = (g - mean_n(g) - xhat * mean_n(g * xhat)) / sqrt(var_n + eps). Sums run in double.
 */
final class LayerNorm {
    private LayerNorm() {
    }

    /** The normalised map y, and xhat and 1 / sqrt(var_n + eps) per image for the backward pass. */
    record Normed(FeatureMap out, FeatureMap xhat, double[] invStd) {
    }

    /** dL/dx, dL/dgain [C] and dL/dshift [C]. */
    record Gradients(FeatureMap input, INDArray gain, INDArray shift) {
    }

    /** y of x [N, h, w, C], gain [C] and shift [C]. */
    static Normed forward(FeatureMap x, INDArray gain, INDArray shift) {
        FeatureMap y = x.zeros(x.h, x.w, x.c);                            // [N, h, w, C]
        FeatureMap xhat = x.zeros(x.h, x.w, x.c);                         // [N, h, w, C]
        double[] invStd = new double[x.n];                                 // [N]
        float[] gf = x.f != null ? gain.toFloatVector() : null;
        float[] sf = x.f != null ? shift.toFloatVector() : null;
        double[] gd = x.f == null ? gain.toDoubleVector() : null;
        double[] sd = x.f == null ? shift.toDoubleVector() : null;
        x.eachImage(image -> invStd[image] = x.f != null
                ? normFloat(x, gf, sf, y, xhat, image) : normDouble(x, gd, sd, y, xhat, image));
        return new Normed(y, xhat, invStd);
    }

    /** Gradients given dL/dy [N, h, w, C] and the gain [C] of the forward pass. */
    static Gradients backward(Normed normed, FeatureMap dy, INDArray gain) {
        int c = dy.c;
        FeatureMap dx = dy.zeros(dy.h, dy.w, c);                           // [N, h, w, C]
        double[][] dGain = new double[dy.n][c];                            // [N, C], summed over images below
        double[][] dShift = new double[dy.n][c];                           // [N, C]
        float[] gf = dy.f != null ? gain.toFloatVector() : null;
        double[] gd = dy.f == null ? gain.toDoubleVector() : null;
        dy.eachImage(image -> {
            if (dy.f != null) {
                backFloat(normed, dy, gf, dx, dGain[image], dShift[image], image);
            } else {
                backDouble(normed, dy, gd, dx, dGain[image], dShift[image], image);
            }
        });
        return new Gradients(dx, perChannel(dGain, gain), perChannel(dShift, gain));
    }

    private static double normFloat(FeatureMap x, float[] gain, float[] shift, FeatureMap y, FeatureMap xhat, int image) {
        int from = image * x.imageSize();
        int to = from + x.imageSize();
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x.f[i];
        }
        float mean = (float) (sum / x.imageSize());
        double squares = 0;
        for (int i = from; i < to; i++) {
            float centred = x.f[i] - mean;
            squares += centred * centred;
        }
        double invStd = 1 / Math.sqrt(squares / x.imageSize() + SmallCnnEncoder.NORM_EPS);
        float scale = (float) invStd;
        for (int p = from; p < to; p += x.c) {                             // p: a position's first channel
            for (int k = 0; k < x.c; k++) {
                float normed = (x.f[p + k] - mean) * scale;
                xhat.f[p + k] = normed;
                y.f[p + k] = normed * gain[k] + shift[k];
            }
        }
        return invStd;
    }

    private static double normDouble(FeatureMap x, double[] gain, double[] shift, FeatureMap y, FeatureMap xhat, int image) {
        int from = image * x.imageSize();
        int to = from + x.imageSize();
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x.d[i];
        }
        double mean = sum / x.imageSize();
        double squares = 0;
        for (int i = from; i < to; i++) {
            double centred = x.d[i] - mean;
            squares += centred * centred;
        }
        double invStd = 1 / Math.sqrt(squares / x.imageSize() + SmallCnnEncoder.NORM_EPS);
        for (int p = from; p < to; p += x.c) {
            for (int k = 0; k < x.c; k++) {
                double normed = (x.d[p + k] - mean) * invStd;
                xhat.d[p + k] = normed;
                y.d[p + k] = normed * gain[k] + shift[k];
            }
        }
        return invStd;
    }

    private static void backFloat(Normed normed, FeatureMap dy, float[] gain, FeatureMap dx, double[] dGain,
            double[] dShift, int image) {
        float[] xhat = normed.xhat().f;
        int from = image * dy.imageSize();
        int to = from + dy.imageSize();
        double sumG = 0;
        double sumGx = 0;
        for (int p = from; p < to; p += dy.c) {
            for (int k = 0; k < dy.c; k++) {
                float grad = dy.f[p + k];
                dGain[k] += grad * xhat[p + k];
                dShift[k] += grad;
                float g = grad * gain[k];                                  // dL/dxhat
                dx.f[p + k] = g;
                sumG += g;
                sumGx += g * xhat[p + k];
            }
        }
        float meanG = (float) (sumG / dy.imageSize());
        float meanGx = (float) (sumGx / dy.imageSize());
        float invStd = (float) normed.invStd()[image];
        for (int i = from; i < to; i++) {
            dx.f[i] = (dx.f[i] - meanG - xhat[i] * meanGx) * invStd;
        }
    }

    private static void backDouble(Normed normed, FeatureMap dy, double[] gain, FeatureMap dx, double[] dGain,
            double[] dShift, int image) {
        double[] xhat = normed.xhat().d;
        int from = image * dy.imageSize();
        int to = from + dy.imageSize();
        double sumG = 0;
        double sumGx = 0;
        for (int p = from; p < to; p += dy.c) {
            for (int k = 0; k < dy.c; k++) {
                double grad = dy.d[p + k];
                dGain[k] += grad * xhat[p + k];
                dShift[k] += grad;
                double g = grad * gain[k];
                dx.d[p + k] = g;
                sumG += g;
                sumGx += g * xhat[p + k];
            }
        }
        double meanG = sumG / dy.imageSize();
        double meanGx = sumGx / dy.imageSize();
        double invStd = normed.invStd()[image];
        for (int i = from; i < to; i++) {
            dx.d[i] = (dx.d[i] - meanG - xhat[i] * meanGx) * invStd;
        }
    }

    /** The per-image partial sums [N, C] added over images, as an array like {@code like} [C]. */
    private static INDArray perChannel(double[][] partial, INDArray like) {
        double[] total = new double[partial[0].length];
        for (double[] row : partial) {
            for (int k = 0; k < total.length; k++) {
                total[k] += row[k];
            }
        }
        return Nd4j.createFromArray(total).castTo(like.dataType());        // [C]
    }
}

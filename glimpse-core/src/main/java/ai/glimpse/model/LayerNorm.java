package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layer norm of each image's map over all its positions and channels, then a per-channel gain and shift
 * (Ba et al. 2016; the small encoder's {@code cnnLayerNorm}), forward and backward on the heap:
 * xhat = (x - mu_n) / sqrt(var_n + eps), y = xhat * gain_k + shift_k, with mu_n and var_n the mean and
 * (biased) variance of image n. Backward, with g = dy * gain_k: dgain_k = sum dy xhat, dshift_k = sum dy,
 * dx = (g - mean_n(g) - xhat * mean_n(g * xhat)) / sqrt(var_n + eps).
 *
 * <p>The loops run over whole rows of a map (w * C elements, channels last) against the gain and shift
 * tiled along the row, and sums over an image gather per row position first, then per channel: loops over
 * the C channels of one position were too short for the JIT to vectorise (C = 16 in the first layer).
 * Per-position partial sums add h terms in the map's precision; the rest adds up in double. Both passes
 * work in place (y over x, dx over dy), which spares two full-size heap arrays per layer.
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

    /** y of x [N, h, w, C], gain [C] and shift [C], in place of x (the backward pass reads xhat). */
    static Normed forward(FeatureMap x, INDArray gain, INDArray shift) {
        FeatureMap xhat = x.zeros(x.h, x.w, x.c);                         // [N, h, w, C]
        return new Normed(x, xhat, normalise(x, gain, shift, xhat));       // y in place of x
    }

    /** y of x [N, h, w, C], gain [C] and shift [C] in place of x, keeping nothing for a backward pass (inference); returns y. */
    static FeatureMap apply(FeatureMap x, INDArray gain, INDArray shift) {
        normalise(x, gain, shift, null);
        return x;
    }

    /** y in place of x, and xhat when not null; returns 1 / sqrt(var_n + eps) per image [N]. */
    private static double[] normalise(FeatureMap x, INDArray gain, INDArray shift, FeatureMap xhat) {
        double[] invStd = new double[x.n];                                 // [N]
        double[] gainRow = alongRow(gain, x);                              // [w * C], gain_k at every position
        double[] shiftRow = alongRow(shift, x);                            // [w * C]
        float[] gf = x.f != null ? toFloat(gainRow) : null;
        float[] sf = x.f != null ? toFloat(shiftRow) : null;
        x.eachImage(image -> invStd[image] = x.f != null
                ? normFloat(x, gf, sf, xhat, image) : normDouble(x, gainRow, shiftRow, xhat, image));
        return invStd;
    }

    /** Gradients given dL/dy [N, h, w, C] and the gain [C] of the forward pass; dL/dx takes dL/dy's place. */
    static Gradients backward(Normed normed, FeatureMap dy, INDArray gain) {
        int c = dy.c;
        FeatureMap dx = dy;                                                // [N, h, w, C], in place once the sums are taken
        double[][] dGain = new double[dy.n][c];                            // [N, C], summed over images below
        double[][] dShift = new double[dy.n][c];                           // [N, C]
        double[] gains = gain.toDoubleVector();                            // [C]
        double[] gainRow = alongRow(gain, dy);                             // [w * C]
        float[] gf = dy.f != null ? toFloat(gainRow) : null;
        dy.eachImage(image -> {
            if (dy.f != null) {
                sumsFloat(normed, dy, dGain[image], dShift[image], image);
            } else {
                sumsDouble(normed, dy, dGain[image], dShift[image], image);
            }
            double sumG = 0;                                               // sum of g = dy gain over the image
            double sumGx = 0;                                              // sum of g xhat
            for (int k = 0; k < c; k++) {
                sumG += gains[k] * dShift[image][k];
                sumGx += gains[k] * dGain[image][k];
            }
            double meanG = sumG / dy.imageSize();
            double meanGx = sumGx / dy.imageSize();
            if (dy.f != null) {
                backFloat(normed, dy, gf, dx, (float) meanG, (float) meanGx, image);
            } else {
                backDouble(normed, dy, gainRow, dx, meanG, meanGx, image);
            }
        });
        return new Gradients(dx, total(dGain, gain), total(dShift, gain));
    }

    /** Image {@code image} of x normalised in place (and xhat when not null); returns its 1 / sqrt(var + eps). */
    private static double normFloat(FeatureMap x, float[] gain, float[] shift, FeatureMap xhat, int image) {
        int row = gain.length;
        int from = image * x.imageSize();
        int to = from + x.imageSize();
        float[] partial = new float[row];                                  // per row position, over rows
        for (int r = from; r < to; r += row) {
            for (int i = 0; i < row; i++) {
                partial[i] += x.f[r + i];
            }
        }
        float mean = (float) (sum(partial) / x.imageSize());
        java.util.Arrays.fill(partial, 0f);
        for (int r = from; r < to; r += row) {
            for (int i = 0; i < row; i++) {
                float centred = x.f[r + i] - mean;
                partial[i] += centred * centred;
            }
        }
        double invStd = 1 / Math.sqrt(sum(partial) / x.imageSize() + SmallCnnEncoder.NORM_EPS);
        float scale = (float) invStd;
        for (int r = from; r < to; r += row) {
            if (xhat == null) {                                            // nothing kept: y alone, in place of x
                for (int i = 0; i < row; i++) {
                    x.f[r + i] = (x.f[r + i] - mean) * scale * gain[i] + shift[i];
                }
                continue;
            }
            for (int i = 0; i < row; i++) {
                float normed = (x.f[r + i] - mean) * scale;
                xhat.f[r + i] = normed;
                x.f[r + i] = normed * gain[i] + shift[i];
            }
        }
        return invStd;
    }

    private static double normDouble(FeatureMap x, double[] gain, double[] shift, FeatureMap xhat, int image) {
        int row = gain.length;
        int from = image * x.imageSize();
        int to = from + x.imageSize();
        double[] partial = new double[row];
        for (int r = from; r < to; r += row) {
            for (int i = 0; i < row; i++) {
                partial[i] += x.d[r + i];
            }
        }
        double mean = sum(partial) / x.imageSize();
        java.util.Arrays.fill(partial, 0);
        for (int r = from; r < to; r += row) {
            for (int i = 0; i < row; i++) {
                double centred = x.d[r + i] - mean;
                partial[i] += centred * centred;
            }
        }
        double invStd = 1 / Math.sqrt(sum(partial) / x.imageSize() + SmallCnnEncoder.NORM_EPS);
        for (int r = from; r < to; r += row) {
            if (xhat == null) {                                            // nothing kept: y alone, in place of x
                for (int i = 0; i < row; i++) {
                    x.d[r + i] = (x.d[r + i] - mean) * invStd * gain[i] + shift[i];
                }
                continue;
            }
            for (int i = 0; i < row; i++) {
                double normed = (x.d[r + i] - mean) * invStd;
                xhat.d[r + i] = normed;
                x.d[r + i] = normed * gain[i] + shift[i];
            }
        }
        return invStd;
    }

    /** dx = (dy gain - mean(g) - xhat mean(g xhat)) / sqrt(var + eps) for one image. */
    private static void backFloat(Normed normed, FeatureMap dy, float[] gain, FeatureMap dx, float meanG, float meanGx, int image) {
        int row = gain.length;
        int from = image * dy.imageSize();
        float invStd = (float) normed.invStd()[image];
        float[] xhat = normed.xhat().f;
        for (int r = from; r < from + dy.imageSize(); r += row) {
            for (int i = 0; i < row; i++) {
                dx.f[r + i] = (dy.f[r + i] * gain[i] - meanG - xhat[r + i] * meanGx) * invStd;
            }
        }
    }

    private static void backDouble(Normed normed, FeatureMap dy, double[] gain, FeatureMap dx, double meanG, double meanGx, int image) {
        int row = gain.length;
        int from = image * dy.imageSize();
        double invStd = normed.invStd()[image];
        double[] xhat = normed.xhat().d;
        for (int r = from; r < from + dy.imageSize(); r += row) {
            for (int i = 0; i < row; i++) {
                dx.d[r + i] = (dy.d[r + i] * gain[i] - meanG - xhat[r + i] * meanGx) * invStd;
            }
        }
    }

    /** dGain_k = sum dy xhat and dShift_k = sum dy over one image, per row position first. */
    private static void sumsFloat(Normed normed, FeatureMap dy, double[] dGain, double[] dShift, int image) {
        int row = dy.w * dy.c;
        int from = image * dy.imageSize();
        float[] xhat = normed.xhat().f;
        float[] byGain = new float[row];                                  // [w * C], summed over the rows
        float[] byShift = new float[row];                                 // [w * C]
        for (int r = from; r < from + dy.imageSize(); r += row) {
            for (int i = 0; i < row; i++) {
                byGain[i] += dy.f[r + i] * xhat[r + i];
                byShift[i] += dy.f[r + i];
            }
        }
        for (int i = 0; i < row; i++) {
            dGain[i % dy.c] += byGain[i];
            dShift[i % dy.c] += byShift[i];
        }
    }

    private static void sumsDouble(Normed normed, FeatureMap dy, double[] dGain, double[] dShift, int image) {
        int row = dy.w * dy.c;
        int from = image * dy.imageSize();
        double[] xhat = normed.xhat().d;
        double[] byGain = new double[row];
        double[] byShift = new double[row];
        for (int r = from; r < from + dy.imageSize(); r += row) {
            for (int i = 0; i < row; i++) {
                byGain[i] += dy.d[r + i] * xhat[r + i];
                byShift[i] += dy.d[r + i];
            }
        }
        for (int i = 0; i < row; i++) {
            dGain[i % dy.c] += byGain[i];
            dShift[i % dy.c] += byShift[i];
        }
    }

    /** v [C] repeated at each of the map's w positions: [w * C]. */
    private static double[] alongRow(INDArray v, FeatureMap x) {
        double[] channels = v.toDoubleVector();                            // [C]
        double[] row = new double[x.w * x.c];
        for (int i = 0; i < row.length; i++) {
            row[i] = channels[i % x.c];
        }
        return row;
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** The per-image partial sums [N, C] added over images, as an array of {@code like}'s type [C]. */
    private static INDArray total(double[][] partial, INDArray like) {
        double[] total = new double[partial[0].length];
        for (double[] row : partial) {
            for (int k = 0; k < total.length; k++) {
                total[k] += row[k];
            }
        }
        return Nd4j.createFromArray(total).castTo(like.dataType());        // [C]
    }
}

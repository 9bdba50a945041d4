package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Word detectors on the encoder's regions, a multiple-instance auxiliary loss in the spirit of Fang et
 * al. 2015 ("From captions to visual concepts and back"): each feature channel is max-pooled over the
 * regions (global max pooling, as Oquab et al. 2015 do for weakly supervised localisation), a linear
 * layer scores every vocabulary word from the pooled vector, and a logistic loss asks those scores to
 * tell which words the caption uses. Used only as an auxiliary training loss of the {@code small}
 * encoder ({@link ModelConfig#wordLoss()}): its gradient reaches the CNN through each channel's
 * strongest region, so a word such as "star" trains the cells that hold the star from the first step,
 * where the decoder's mean feature and near-uniform early attention spread it over the textured
 * background. Captioning never reads the detectors. {@link #lossAndGradients} computes the loss and
 * its gradients for the training and warm-up steps.
 */
public final class WordDetector {
    static final String W = "aux.words.W";
    static final String B = "aux.words.b";

    private WordDetector() {
    }

    /** Detector weights [D, K] (Xavier) and biases [K] at -ln K, so each word starts at a prior of about 1/K. */
    static void init(ModelConfig c, ParameterSet p, SplittableRandom rng) {
        p.addXavier(W, rng, c.featureDim(), c.vocabSize(), c.featureDim(), c.vocabSize());
        p.addConstant(B, -Math.log(c.vocabSize()), c.vocabSize());
    }

    /** The unweighted loss of a batch, and the gradients of weight * loss w.r.t. the features [N, L, D], W [D, K] and b [K]. */
    public record Detection(double loss, INDArray dFeatures, INDArray dW, INDArray dB) {
    }

    /**
     * The word-detection loss of region features [N, L, D] for B captions, caption b describing image
     * imageOf[b] and using word k where present [B, K] is 1, with its gradients: each image's channels are
     * max-pooled over the regions, scored s = pooled W + b [N, K], and loss = mean over captions of the sum
     * over words of softplus(s) - y s ({@link #imageScores} and {@link #loss}, unweighted). The gradients
     * are of weight * loss: dL/dfeatures [N, L, D] (through each channel's strongest region, the first on
     * ties), dL/dW [D, K] and dL/db [K]. Computed on the heap in double (a few hundred thousand products).
     */
    public static Detection lossAndGradients(CaptionModel model, INDArray features, int[] imageOf, INDArray present,
            double weight) {
        FeatureMap f = FeatureMap.of(features);                            // [N, L, 1, D]
        int n = f.n;
        int l = f.h;
        int d = f.c;
        double[] w = flat(model.params().get(W));                          // [D, K], w[ch * K + j]
        double[] bias = flat(model.params().get(B));                       // [K]
        int k = bias.length;
        int captions = imageOf.length;
        if (present.rank() != 2 || present.size(0) != captions || present.size(1) != k) {
            throw new IllegalArgumentException("present must be [" + captions + ", " + k + "], got "
                    + java.util.Arrays.toString(present.shape()));
        }
        double[] y = flat(present);                                        // [B, K], y[b * K + j]

        for (int i : imageOf) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("a caption describes image " + i + " of a batch of " + n);
            }
        }
        double[][] pooled = new double[n][d];                              // [N, D], max over regions
        int[][] strongest = new int[n][d];                                 // [N, D], the region of the max
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < d; ch++) {
                pooled[i][ch] = f.get(f.at(i, 0, 0) + ch);
            }
            for (int r = 1; r < l; r++) {
                for (int ch = 0; ch < d; ch++) {
                    double v = f.get(f.at(i, r, 0) + ch);
                    if (v > pooled[i][ch]) {
                        pooled[i][ch] = v;
                        strongest[i][ch] = r;
                    }
                }
            }
        }
        double[][] scores = new double[n][k];                              // [N, K] = pooled W + b
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double s = bias[j];
                for (int ch = 0; ch < d; ch++) {
                    s += pooled[i][ch] * w[ch * k + j];
                }
                scores[i][j] = s;
            }
        }

        double loss = 0;
        double[][] dScores = new double[n][k];                             // [N, K], summed over each image's captions
        for (int b = 0; b < captions; b++) {
            int i = imageOf[b];
            for (int j = 0; j < k; j++) {
                double s = scores[i][j];
                double used = y[b * k + j];
                loss += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - used * s; // softplus(s) - y s
                dScores[i][j] += weight / captions * (1 / (1 + Math.exp(-s)) - used); // (sigmoid(s) - y) / B
            }
        }

        double[][] dW = new double[d][k];                                  // [D, K] = pooled^T dScores
        double[] dB = new double[k];                                       // [K]
        FeatureMap dF = FeatureMap.zeros(f.type(), n, l, 1, d);            // [N, L, 1, D], zero but at the maxima
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < d; ch++) {
                double dPooled = 0;                                        // (dScores W^T)[i, ch]
                for (int j = 0; j < k; j++) {
                    dW[ch][j] += pooled[i][ch] * dScores[i][j];
                    dPooled += dScores[i][j] * w[ch * k + j];
                }
                dF.set(f.at(i, strongest[i][ch], 0) + ch, dPooled);
            }
            for (int j = 0; j < k; j++) {
                dB[j] += dScores[i][j];
            }
        }
        DataType type = f.type();
        return new Detection(loss / captions, dF.toNd4j().reshape(n, l, d),
                Nd4j.createFromArray(dW).castTo(type), Nd4j.createFromArray(dB).castTo(type));
    }

    /** The elements of x in row-major order (toDoubleMatrix costs an ND4J op per row). */
    private static double[] flat(INDArray x) {
        return x.reshape(x.length()).toDoubleVector();
    }
}

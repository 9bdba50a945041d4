package ai.glimpse.decode;

import ai.glimpse.model.CaptionModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Upper bounds on the log-probability any step of a model can give a word ({@code word}: the highest over
 * every id but {@code <end>}) and {@code <end>} ({@code end}), whatever the image and the words before;
 * both at most 0. Beam search uses them to stop once no live beam can still win.
 *
 * <p>They follow from the deep output layer (Xu et al. 2015, eq. 7): the logits are tanh(...) L_o + b_o,
 * and tanh lies in [-1, 1], so logit k lies in b_k +- r_k with r_k the L1 norm of column k of L_o. A word's
 * log-probability l_j - logsumexp(l) grows with l_j and falls with every other logit, so it is at most
 * -log(1 + sum over k != j of exp(lo_k - hi_j)) with hi = b + r and lo = b - r. A margin covers float
 * rounding in the engine. On a trained model the box is wide and the ceilings are close to 0; they bite
 * on models whose output layer leaves little room, and are never wrong.
 */
record LogProbCeiling(double word, double end) {
    /** No knowledge: every log-probability is only known to be at most 0. */
    static final LogProbCeiling NONE = new LogProbCeiling(0, 0);
    private static final String OUT_LO = "dec.out.Lo";                     // [m, K], the model bundle's names
    private static final String OUT_BO = "dec.out.bo";                     // [K]
    private static final double SLACK = 1e-3;                              // relative and absolute, on logits and results

    LogProbCeiling {
        if (!(word <= 0) || !(end <= 0)) {
            throw new IllegalArgumentException("log-probability ceilings must be <= 0, got " + word + " and " + end);
        }
    }

    /** The ceilings of a model's output layer. */
    static LogProbCeiling of(CaptionModel model) {
        INDArray lo = model.params().get(OUT_LO).castTo(DataType.DOUBLE);   // [m, K]
        double[] r = org.nd4j.linalg.ops.transforms.Transforms.abs(lo, true).sum(0).toDoubleVector(); // [K]
        double[] b = model.params().get(OUT_BO).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(); // [K]
        return of(b, r, Captioner.END);
    }

    /** The ceilings for logits in b_k +- r_k, {@code end} the id of {@code <end>}. */
    static LogProbCeiling of(double[] b, double[] r, int end) {
        int k = b.length;
        double[] hi = new double[k];
        double[] low = new double[k];
        for (int j = 0; j < k; j++) {
            double spread = r[j] * (1 + SLACK) + SLACK * (1 + Math.abs(b[j]));
            hi[j] = b[j] + spread;
            low[j] = b[j] - spread;
        }
        int top = 0;                                                       // the largest lower end
        for (int j = 1; j < k; j++) {
            if (low[j] > low[top]) {
                top = j;
            }
        }
        // sum over all k of exp(low_k - low_top), and the same without top (so no term cancels most of a sum)
        double all = 0;
        double others = 0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(low[j] - low[top]);
            all += e;
            others += j == top ? 0 : e;
        }
        double word = Double.NEGATIVE_INFINITY;
        double endCeiling = 0;
        for (int j = 0; j < k; j++) {
            double rest = j == top ? others : all - Math.exp(low[j] - low[top]);   // sum over i != j, over exp(low_top)
            double x = Math.log(rest) + low[top] - hi[j];                 // u = -log(1 + e^x), e^x not overflowing
            double u = rest <= 0 ? 0 : x > 40 ? -x : -Math.log1p(Math.exp(x));
            u = Math.min(0, u + SLACK * (1 + Math.abs(u)));
            if (j == end) {
                endCeiling = u;
            } else {
                word = Math.max(word, u);
            }
        }
        return new LogProbCeiling(word == Double.NEGATIVE_INFINITY ? 0 : word, endCeiling);
    }
}

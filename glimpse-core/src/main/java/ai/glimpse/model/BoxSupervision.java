package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Attention supervision from object boxes, after Liu et al. (AAAI 2017, "Attention Correctness in Neural
 * Image Captioning"), who supervised attention with the regions of Flickr30k Entities: on every step whose
 * word names an annotated object, the attention mass outside that object's cells is penalised. With
 * {@code inside} [B, T, L] (1 on the cells of the object the target word of caption b at step t names,
 * all 0 where the word names none) and m_bt = sum_l alpha_btl inside_btl the attention on the object,
 * the loss is weight * mean over the supervised steps of -log(m_bt + eps): 0 when all of the attention
 * is on the object, growing without bound as it leaves it (a strong pull where a bare 1 - m would be weak
 * once attention has spread). Its gradient enters the decoder's backward pass through each step's dL/dalpha.
 *
 * @param inside [B, T, L] the cells each step's word names, 0/1 (0 everywhere for unsupervised steps)
 * @param weight the loss's weight, >= 0
 */
public record BoxSupervision(INDArray inside, double weight) {
    /** Keeps the logarithm finite when a step puts no attention on its object. */
    static final double EPS = 1e-6;

    public BoxSupervision {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("attention box weight must be >= 0, got " + weight);
        }
    }

    /** The loss and its gradient with respect to each step's attention, [T, B, L] step-major as the pass keeps alpha. */
    record Term(double value, INDArray dAlpha) {
    }

    /**
     * The loss of attention alphas [T, B, L] on the real steps maskTb [T, B] (1 on words and {@code <end>}).
     * A batch without a supervised step costs nothing and gets no gradient.
     */
    Term lossAndGradient(INDArray alphas, INDArray maskTb) {
        long t = alphas.size(0);
        long b = alphas.size(1);
        long l = alphas.size(2);
        INDArray in = inside.castTo(alphas.dataType()).permute(1, 0, 2).dup('c'); // [T, B, L]
        INDArray supervised = in.max(2).muli(maskTb);                      // [T, B], 1 where a word names a box
        double steps = supervised.sumNumber().doubleValue();
        if (steps == 0 || weight == 0) {
            return new Term(0, Nd4j.zeros(alphas.dataType(), t, b, l));
        }
        INDArray onObject = alphas.mul(in).sum(2).addi(EPS);               // [T, B], m + eps
        double value = -weight * Transforms.log(onObject, true).muli(supervised).sumNumber().doubleValue() / steps;
        INDArray scale = supervised.divi(onObject).muli(-weight / steps);  // [T, B], -w / (N (m + eps))
        INDArray dAlpha = in.muli(scale.reshape(t, b, 1).broadcast(t, b, l)); // [T, B, L]
        return new Term(value, dAlpha);
    }
}

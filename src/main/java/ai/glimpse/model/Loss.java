package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Masked softmax cross-entropy over the vocabulary and its gradient: value =
 * -sum_r mask_r log softmax(logits_r)[y_r] / words, gradient = mask_r (softmax(logits_r) - onehot(y_r)) / words.
 * Three passes over the [R, K] block (log softmax, exp, scaling); the R target entries are read and
 * corrected one by one.
 */
record Loss(double value, INDArray gradient) {

    /** logits [R, K], targets [R], mask [R, 1], words = sum of the mask. */
    static Loss crossEntropy(INDArray logits, int[] targets, INDArray mask, double words) {
        INDArray logp = DecoderEngine.logSoftmaxRows(logits);              // [R, K]
        double[] w = mask.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble(); // [R]
        double sum = 0;
        for (int r = 0; r < targets.length; r++) {
            if (w[r] != 0) {
                sum += w[r] * logp.getDouble(r, targets[r]);
            }
        }
        INDArray grad = Transforms.exp(logp, false);                       // [R, K], softmax
        for (int r = 0; r < targets.length; r++) {
            grad.putScalar(r, targets[r], grad.getDouble(r, targets[r]) - 1);
        }
        grad.muliColumnVector(mask.div(words));                            // [R, K]
        return new Loss(-sum / words, grad);
    }
}

package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Masked softmax cross-entropy over the vocabulary and its gradient in one pass: value =
 * -sum_r mask_r log softmax(logits_r)[y_r] / words, gradient = mask_r (softmax(logits_r) - onehot(y_r)) / words.
 */
record Loss(double value, INDArray gradient) {

    /** logits [R, K] (overwritten by the gradient), targets [R], mask [R, 1], words = sum of the mask. */
    static Loss crossEntropy(INDArray logits, int[] targets, INDArray mask, double words) {
        INDArray logp = DecoderEngine.logSoftmaxRows(logits);              // [R, K]
        double sum = 0;
        for (int r = 0; r < targets.length; r++) {
            double w = mask.getDouble(r, 0);
            if (w != 0) {
                sum += w * logp.getDouble(r, targets[r]);
            }
        }
        INDArray grad = org.nd4j.linalg.ops.transforms.Transforms.exp(logp, false); // [R, K], softmax
        for (int r = 0; r < targets.length; r++) {
            grad.putScalar(r, targets[r], grad.getDouble(r, targets[r]) - 1);
        }
        grad.muliColumnVector(mask.div(words));                            // [R, K]
        return new Loss(-sum / words, grad);
    }
}

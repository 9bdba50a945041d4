package ai.glimpse.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masked softmax cross-entropy over the vocabulary and its gradient: value =
 * -sum_r mask_r log softmax(logits_r)[y_r] / words, gradient = mask_r (softmax(logits_r) - onehot(y_r)) / words.
 * Two passes over the [R, K] block (libnd4j's fused softmax, then the scaling by mask / words); the R
 * target entries are read and corrected one by one. A target whose probability underflows to 0 in
 * float takes its log-probability from the row's log-sum-exp instead.
 */
record Loss(double value, INDArray gradient) {

    /** logits [R, K], targets [R], mask [R, 1], words = sum of the mask. */
    static Loss crossEntropy(INDArray logits, int[] targets, INDArray mask, double words) {
        INDArray grad = Nd4j.createUninitialized(logits.dataType(), logits.shape(), 'c'); // [R, K], softmax
        Nd4j.exec(new SoftMax(logits, grad));
        double[] w = mask.castTo(DataType.DOUBLE).data().asDouble();       // [R]
        double sum = 0;
        for (int r = 0; r < targets.length; r++) {
            double p = grad.getDouble(r, targets[r]);
            if (w[r] != 0) {
                sum += w[r] * (p > 0 ? Math.log(p) : logProbability(logits.getRow(r), targets[r]));
            }
            grad.putScalar(r, targets[r], p - 1);
        }
        grad.muliColumnVector(mask.div(words));                            // [R, K]
        return new Loss(-sum / words, grad);
    }

    /** log softmax(row)[k] of one row of logits, through the row's log-sum-exp. */
    private static double logProbability(INDArray row, int k) {
        double max = row.maxNumber().doubleValue();
        double lse = max + Math.log(org.nd4j.linalg.ops.transforms.Transforms.exp(row.sub(max), false).sumNumber().doubleValue());
        return row.getDouble(k) - lse;
    }
}

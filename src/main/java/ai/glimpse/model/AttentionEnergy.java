package ai.glimpse.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hot spot of soft attention: the energies e_ti = w^T tanh(W_a a_i + b_a + W_h h_{t-1} + u c_ti)
 * over every region of every row, and their backward pass. One object serves one batch: it holds the
 * projected features P = W_a a + b_a of the batch's images (computed once per image), keeps what each
 * step's backward needs, and sums the gradient of P over the steps. Rows map to images through
 * {@code imageOf}, so captions (or beams) of one image share its projection.
 *
 * <p>Two implementations compute the same thing: {@link JavaEnergy} on the Java heap in float (the CPU
 * fast path: one pass over the [B, L, A] block forward, one backward) and {@link Nd4jEnergy} in ND4J
 * ops of any precision and backend (gradient checks in double, other backends).
 */
interface AttentionEnergy {

    /**
     * Energies for step t: hp = W_h h_{t-1} [B, A], coverage c_t [B, L] (null without coverage); returns
     * e_t [B, L]. With {@code keep}, remembers what {@link #backward} of step t needs.
     */
    INDArray forward(int t, INDArray hp, INDArray coverage, boolean keep);

    /**
     * Backward of step t given dL/de_t [B, L]: adds this step's share to dP, dw and du, and returns
     * dL/dhp [B, A] and, with coverage, dL/dc_t [B, L] (else null).
     */
    Gradients backward(int t, INDArray dEnergy);

    /** dL/dP per image [N, L, A], summed over steps and over the rows of each image. */
    INDArray projectedGradient();

    /** dL/dw [A, 1]. */
    INDArray wGradient();

    /** dL/du [1, A] (coverage models), else null. */
    INDArray uGradient();

    /** What {@link #backward} returns. */
    record Gradients(INDArray hp, INDArray coverage) {
    }

    /**
     * The implementation for this precision and backend: the Java kernel for float on the CPU backend
     * (unless the system property {@code glimpse.kernels} is {@code nd4j}), ND4J ops otherwise.
     *
     * @param projected P per image [N, L, A]
     * @param imageOf   the image of each of the B rows
     * @param w         [A, 1]; {@code u} [1, A] or null
     * @param buffers   heap blocks the Java kernel reuses from batch to batch
     */
    static AttentionEnergy create(INDArray projected, int[] imageOf, INDArray w, INDArray u, JavaEnergy.Buffers buffers) {
        if (javaKernels(projected.dataType())) {
            return new JavaEnergy(projected, imageOf, w, u, buffers);
        }
        return new Nd4jEnergy(projected, imageOf, w, u);
    }

    /** Whether the Java heap kernels serve arrays of this type here. */
    static boolean javaKernels(DataType type) {
        return type == DataType.FLOAT && !"nd4j".equals(System.getProperty("glimpse.kernels"))
                && Nd4j.getBackend().getClass().getSimpleName().startsWith("CpuBackend");
    }
}

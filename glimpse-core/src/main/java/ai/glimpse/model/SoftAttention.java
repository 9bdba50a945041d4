package ai.glimpse.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One read of soft attention with its gate, the hot spot of the decoder step (Xu et al. 2015, sections
 * 4.2 and 4.2.1), and its backward pass:
 * <pre>
 *   e_ti     = w^T tanh(P_i + hp_t + u c_ti)        P = W_a a + b_a once per image, hp_t = W_h h_{t-1}
 *   alpha_t  = softmax_i(e_t)                        c_t = sum_{s<t} alpha_s (coverage models only)
 *   context  = sum_i alpha_ti a_i
 *   beta_t   = sigmoid(w_beta . h_{t-1} + b_beta)
 *   z_t      = beta_t context
 * </pre>
 * One object serves one batch of B rows: it holds the per-image features a [N, L, D] and projections P
 * [N, L, A] (rows map to images through {@code imageOf}, so captions or beams of one image share them),
 * keeps what each step's backward needs, and sums the gradients of P, a, w, u and the gate over steps.
 *
 * <p>Two implementations compute the same thing: {@link JavaSoftAttention} on the Java heap in float (the
 * CPU fast path: per row, one pass over its image's [L, A] block for the energies and one over [L, D]
 * for the context) and {@link Nd4jSoftAttention} in ND4J operations of any precision and backend
 * (gradient checks in double, the CUDA backend).
 */
interface SoftAttention {

    /**
     * Step t: hp = W_h h_{t-1} [B, A], h = h_{t-1} [B, H], coverage c_t [B, L] (null without coverage).
     * Writes z_t [B, D] into {@code zOut} (row-major, or a block of rows of a wider matrix). With
     * {@code keep}, remembers what {@link #backward} of step t needs.
     */
    void forward(int t, INDArray hp, INDArray h, INDArray coverage, INDArray zOut, boolean keep);

    /**
     * A read of the same images for other rows ({@code imageOf}: the image of each), for decoding when the
     * rows still searching change: it shares the per-image arrays instead of copying them again, and
     * starts with no kept steps and no gradients.
     */
    SoftAttention forRows(int[] imageOf);

    /** alpha_t [B, L] of a kept step or of the last step run. */
    INDArray alpha(int t);

    /** The context before the gate [B, D] of a kept step or of the last step run. */
    INDArray context(int t);

    /** beta_t [B, 1] of a kept step or of the last step run. */
    INDArray beta(int t);

    /** alpha of kept steps 0 .. steps - 1: [T, B, L]. */
    INDArray alphas(int steps);

    /** The context before the gate of kept steps 0 .. steps - 1: [T, B, D]. */
    INDArray contexts(int steps);

    /**
     * Backward of step t given dL/dz_t [B, D], and, when not null, further gradients of the context
     * before the gate [B, D] and of alpha_t [B, L] from other losses. Adds this step's share to the
     * gradients of P, a, w, u, w_beta and b_beta.
     */
    Gradients backward(int t, INDArray dz, INDArray dContext, INDArray dAlpha);

    /** What {@link #backward} returns: dL/dhp [B, A], dL/dh_{t-1} through the gate [B, H], dL/dc_t [B, L] (null without coverage). */
    record Gradients(INDArray hp, INDArray h, INDArray coverage) {
    }

    /** dL/dP per image [N, L, A], summed over steps and over the rows of each image. */
    INDArray projectedGradient();

    /** dL/da per image [N, L, D] through the context reads (zeros unless created with feature gradients). */
    INDArray featureGradient();

    /** dL/dw [A, 1]. */
    INDArray wGradient();

    /** dL/du [1, A] of a coverage model, else null. */
    INDArray uGradient();

    /** dL/dw_beta [H, 1]. */
    INDArray gateWeightGradient();

    /** dL/db_beta [1]. */
    INDArray gateBiasGradient();

    /** The parameters an attention read uses: w [A, 1], u [1, A] or null, w_beta [H, 1], b_beta [1]. */
    record Weights(INDArray w, INDArray u, INDArray gateW, INDArray gateB) {
    }

    /**
     * The implementation for this precision and backend: the Java kernel for float on the CPU backend
     * (unless the system property {@code glimpse.kernels} is {@code nd4j}), ND4J operations otherwise.
     *
     * @param feats        a per image [N, L, D]
     * @param projected    P per image [N, L, A]
     * @param imageOf      the image of each of the B rows
     * @param featureGrads whether backward sums dL/da (the small encoder is trained; frozen features are not)
     * @param buffers      heap blocks the Java kernel reuses from batch to batch (null: its own)
     */
    static SoftAttention create(INDArray feats, INDArray projected, int[] imageOf, Weights weights,
            boolean featureGrads, HostBuffers buffers) {
        if (javaKernels(projected.dataType())) {
            return new JavaSoftAttention(feats, projected, imageOf, weights, featureGrads,
                    buffers == null ? new HostBuffers() : buffers);
        }
        return new Nd4jSoftAttention(feats, projected, imageOf, weights, featureGrads);
    }

    /** Whether the Java heap kernels serve arrays of this type here. */
    static boolean javaKernels(DataType type) {
        return type == DataType.FLOAT && !"nd4j".equals(System.getProperty("glimpse.kernels"))
                && Nd4j.getBackend().getClass().getSimpleName().startsWith("CpuBackend");
    }
}

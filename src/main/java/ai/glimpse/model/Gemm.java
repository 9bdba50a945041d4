package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The matrix products of the decoder engine, all through {@link INDArray#mmul}, which calls the loaded
 * BLAS (OpenBLAS, or MKL when JavaCPP is told to load it); transposes are views, never copies.
 */
final class Gemm {
    private Gemm() {
    }

    /** a [m, k] times b [k, n]: [m, n]. */
    static INDArray ab(INDArray a, INDArray b) {
        return a.mmul(b);
    }

    /** a^T b: a [k, m], b [k, n] to [m, n] (weight gradients summed over rows). */
    static INDArray atb(INDArray a, INDArray b) {
        return a.transpose().mmul(b);
    }

    /** a b^T: a [m, k], b [n, k] to [m, n] (gradients flowing back through a weight). */
    static INDArray abt(INDArray a, INDArray b) {
        return a.mmul(b.transpose());
    }
}

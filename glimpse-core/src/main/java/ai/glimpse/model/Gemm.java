package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The matrix products of the decoder engine, through {@link Nd4j#gemm} (oneDNN's sgemm in this build).
 * Measured here against {@link INDArray#mmul} (the loaded OpenBLAS): a [32, 2048] x [2048, 2048] product
 * took 5.2 ms against 10.8 ms, [640, 512] x [512, 10000] 39 ms against 51 ms into a preallocated result;
 * a [1, 2048] x [2048, 2048] product (decoding one image) 0.8 ms against 2.4-3.2 ms. Operands may be
 * views whose rows are spaced apart (a column block of a wider matrix); transposes are flags, never copies.
 */
final class Gemm {
    private Gemm() {
    }

    /** a [m, k] times b [k, n]: [m, n]. */
    static INDArray ab(INDArray a, INDArray b) {
        return product(a, false, b, false, a.size(0), b.size(1));
    }

    /** a^T b: a [k, m], b [k, n] to [m, n] (weight gradients summed over rows). */
    static INDArray atb(INDArray a, INDArray b) {
        return product(a, true, b, false, a.size(1), b.size(1));
    }

    /** a b^T: a [m, k], b [n, k] to [m, n] (gradients flowing back through a weight). */
    static INDArray abt(INDArray a, INDArray b) {
        return product(a, false, b, true, a.size(0), b.size(0));
    }

    /**
     * The sum of x's rows, x [m, n] to [n] (a bias gradient summed over rows), as a row of ones times x:
     * 0.2-1.1 ms against 2.3-16 ms for ND4J's sum over the first axis at the engine's shapes ([640, 2048],
     * [640, 10000], [6272, 512], the shapes demo's [768, 1024]), which walks the columns of a row-major array.
     */
    static INDArray columnSums(INDArray x) {
        INDArray ones = Nd4j.ones(x.dataType(), 1, x.size(0));           // [1, m]
        return ab(ones, x).reshape(x.size(1));                             // [n]
    }

    /** c += a b: a [m, k], b [k, n], c [m, n]. */
    static void accumulate(INDArray a, INDArray b, INDArray c) {
        accumulate(a, false, b, false, c);
    }

    /** c += op(a) op(b), op transposing when its flag is set. */
    static void accumulate(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c) {
        Nd4j.gemm(a, b, c, ta, tb, 1.0, 1.0);
    }

    private static INDArray product(INDArray a, boolean ta, INDArray b, boolean tb, long m, long n) {
        INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {m, n}, 'c'); // [m, n]
        return Nd4j.gemm(a, b, c, ta, tb, 1.0, 0.0);
    }
}

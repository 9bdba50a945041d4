package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The matrix products of the decoder engine, each into a new row-major result through
 * {@link Nd4j#gemm} (oneDNN's sgemm in this build). Measured here against {@link INDArray#mmul} (the
 * loaded BLAS): a [32, 2048] x [2048, 2048] product took 2.2 ms against 5-6 ms, and [672, 512] x
 * [512, 10000] 27 ms against 41 ms into a preallocated result and 220 ms allocating its own; the
 * engine runs inside an ND4J workspace, so the results cost no allocation.
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

    private static INDArray product(INDArray a, boolean ta, INDArray b, boolean tb, long m, long n) {
        INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {m, n}, 'c'); // [m, n]
        return Nd4j.gemm(a, b, c, ta, tb, 1.0, 0.0);
    }
}

package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows of per-image arrays copied to the captions (or beams) that read them, and gradients of those
 * copies summed back per image: the map from B rows to N images is an index array, imageOf[b].
 */
final class Rows {
    private Rows() {
    }

    /** x [N, ...] to [B, ...] with row b = x[imageOf[b]]; x itself when imageOf is 0, 1, .., N-1. */
    static INDArray expand(INDArray x, int[] imageOf) {
        if (identity(imageOf, x.size(0))) {
            return x;
        }
        long[] shape = x.shape().clone();
        long per = x.length() / shape[0];
        INDArray flat = HostCopy.rowMajor(x).reshape(shape[0], per);       // [N, per]
        shape[0] = imageOf.length;
        return Nd4j.pullRows(flat, 1, imageOf).reshape(shape);             // [B, ...]
    }

    /** d [B, ...] to [N, ...]: row n sums the rows b with imageOf[b] = n. */
    static INDArray sumInto(INDArray d, int[] imageOf, int images) {
        if (identity(imageOf, images)) {
            return d;
        }
        long[] shape = d.shape().clone();
        long per = d.length() / shape[0];
        INDArray select = Nd4j.zeros(d.dataType(), images, imageOf.length); // [N, B]
        for (int b = 0; b < imageOf.length; b++) {
            select.putScalar(imageOf[b], b, 1.0);
        }
        shape[0] = images;
        return Gemm.ab(select, HostCopy.rowMajor(d).reshape(imageOf.length, per)).reshape(shape); // [N, ...]
    }

    /** Whether imageOf is 0, 1, .., n-1. */
    static boolean identity(int[] imageOf, long n) {
        if (imageOf.length != n) {
            return false;
        }
        for (int b = 0; b < imageOf.length; b++) {
            if (imageOf[b] != b) {
                return false;
            }
        }
        return true;
    }
}

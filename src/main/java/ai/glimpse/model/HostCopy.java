package ai.glimpse.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between float ND4J arrays and Java heap arrays, for the CPU kernels that run on the heap
 * (one memcpy each way, no per-element calls).
 */
final class HostCopy {
    private HostCopy() {
    }

    /** The elements of {@code x} (float) in row-major order into {@code dst} (allocated when null or too short). */
    static float[] toHeap(INDArray x, float[] dst) {
        INDArray c = rowMajor(x);
        int n = Math.toIntExact(c.length());
        float[] out = dst != null && dst.length >= n ? dst : new float[n];
        FloatBuffer buf = c.data().asNioFloat();
        buf.position(Math.toIntExact(c.offset()));
        buf.get(out, 0, n);
        return out;
    }

    /** {@code src[0 .. length(dst))} into the float array {@code dst}, which must be row-major and contiguous. */
    static void fromHeap(float[] src, INDArray dst) {
        if (!isRowMajor(dst)) {
            throw new IllegalArgumentException("target must be a contiguous row-major array");
        }
        FloatBuffer buf = dst.data().asNioFloat();
        buf.position(Math.toIntExact(dst.offset()));
        buf.put(src, 0, Math.toIntExact(dst.length()));
    }

    /** A new row-major float array of the given shape holding {@code src}. */
    static INDArray array(float[] src, long... shape) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        fromHeap(src, out);
        return out;
    }

    /** {@code x} itself when it is row-major and contiguous, else a row-major copy. */
    static INDArray rowMajor(INDArray x) {
        return isRowMajor(x) ? x : x.dup('c');
    }

    private static boolean isRowMajor(INDArray x) {
        if (x.rank() <= 1 || x.length() <= 1) {
            return x.rank() == 0 || x.length() <= 1 || x.elementWiseStride() == 1;
        }
        if (x.ordering() != 'c') {
            return false;
        }
        long expected = 1;
        long[] shape = x.shape();
        long[] stride = x.stride();
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}

package ai.glimpse.model;

import java.nio.FloatBuffer;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between float ND4J arrays and Java heap arrays, for the kernels that run on the heap. On
 * the CPU backend they are memory copies through the array's buffer, no ND4J operation: row-major
 * arrays copy in one piece, matrices whose rows are contiguous but spaced apart (a column block of a
 * wider matrix) row by row. On other backends (device memory) they go through ND4J's own copies.
 */
public final class HostCopy {
    private static final boolean DIRECT = Nd4j.getBackend().getClass().getSimpleName().startsWith("CpuBackend");

    private HostCopy() {
    }

    /** Rows {@code ids} of the row-major float matrix {@code m} [K, n], one after the other, into dst [ids.length * n]. */
    public static float[] rows(INDArray m, int[] ids, float[] dst) {
        int n = (int) m.size(1);
        float[] out = dst != null && dst.length >= ids.length * n ? dst : new float[ids.length * n];
        if (!DIRECT || !isRowMajor(m)) {
            return toHeap(Nd4j.pullRows(m, 1, ids), out);
        }
        FloatBuffer buf = m.data().asNioFloat();
        for (int r = 0; r < ids.length; r++) {
            buf.position(Math.toIntExact(m.offset() + (long) ids[r] * n));
            buf.get(out, r * n, n);
        }
        return out;
    }

    /** The elements of the float array {@code x} in row-major order into {@code dst} (allocated when null or too short). */
    public static float[] toHeap(INDArray x, float[] dst) {
        int n = Math.toIntExact(x.length());
        float[] out = dst != null && dst.length >= n ? dst : new float[n];
        if (!DIRECT) {
            System.arraycopy(x.dup('c').data().asFloat(), 0, out, 0, n);
        } else if (isRowMajor(x)) {
            FloatBuffer buf = x.data().asNioFloat();
            buf.position(Math.toIntExact(x.offset()));
            buf.get(out, 0, n);
        } else if (hasContiguousRows(x)) {
            int rows = (int) x.size(0);
            int cols = (int) x.size(1);
            FloatBuffer buf = x.data().asNioFloat();
            for (int r = 0; r < rows; r++) {
                buf.position(Math.toIntExact(x.offset() + (long) r * x.stride(0)));
                buf.get(out, r * cols, cols);
            }
        } else {
            return toHeap(x.dup('c'), out);
        }
        return out;
    }

    /** {@code src[0 .. length(dst))} into the float array {@code dst}: row-major, or a matrix with contiguous rows. */
    public static void fromHeap(float[] src, INDArray dst) {
        if (!DIRECT) {
            dst.assign(Nd4j.create(java.util.Arrays.copyOf(src, Math.toIntExact(dst.length())), dst.shape(), 'c'));
            return;
        }
        FloatBuffer buf = dst.data().asNioFloat();
        if (isRowMajor(dst)) {
            buf.position(Math.toIntExact(dst.offset()));
            buf.put(src, 0, Math.toIntExact(dst.length()));
        } else if (hasContiguousRows(dst)) {
            int rows = (int) dst.size(0);
            int cols = (int) dst.size(1);
            for (int r = 0; r < rows; r++) {
                buf.position(Math.toIntExact(dst.offset() + (long) r * dst.stride(0)));
                buf.put(src, r * cols, cols);
            }
        } else {
            throw new IllegalArgumentException("target must be row-major or a matrix with contiguous rows");
        }
    }

    /**
     * The elements of an array (row-major order) read and written a block at a time as floats: in place
     * through the native buffer of a row-major float array on the CPU backend, else through one heap
     * copy that {@link #finish} writes back. Blocks that do not overlap may be read and written from
     * several threads at once.
     */
    public static final class Blocks {
        private final INDArray array;
        private final FloatBuffer buffer;                                  // in place, or null
        private final long offset;
        private final float[] copy;                                        // otherwise
        private final int size;

        private Blocks(INDArray array) {
            this.array = array;
            this.size = Math.toIntExact(array.length());
            boolean inPlace = DIRECT && array.dataType() == DataType.FLOAT && isRowMajor(array);
            this.buffer = inPlace ? array.data().asNioFloat() : null;
            this.offset = inPlace ? array.offset() : 0;
            this.copy = inPlace ? null
                    : array.dataType() == DataType.FLOAT ? toHeap(array, null)
                    : array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        }

        /** Elements in all. */
        public int size() {
            return size;
        }

        /** Elements from .. from + n into dst[0 .. n). */
        public void read(int from, float[] dst, int n) {
            read(from, dst, 0, n);
        }

        /** Elements from .. from + n into dst[dstFrom .. dstFrom + n). */
        public void read(int from, float[] dst, int dstFrom, int n) {
            Objects.checkFromIndexSize(from, n, size);                      // a view's buffer runs on past it
            if (buffer == null) {
                System.arraycopy(copy, from, dst, dstFrom, n);
            } else {
                buffer.duplicate().position(Math.toIntExact(offset + from)).get(dst, dstFrom, n);
            }
        }

        /** src[0 .. n) into elements from .. from + n. */
        public void write(int from, float[] src, int n) {
            write(from, src, 0, n);
        }

        /** src[srcFrom .. srcFrom + n) into elements from .. from + n. */
        public void write(int from, float[] src, int srcFrom, int n) {
            Objects.checkFromIndexSize(from, n, size);
            if (buffer == null) {
                System.arraycopy(src, srcFrom, copy, from, n);
            } else {
                buffer.duplicate().position(Math.toIntExact(offset + from)).put(src, srcFrom, n);
            }
        }

        /** Writes a heap copy back into the array (nothing to do in place). */
        public void finish() {
            if (copy == null) {
                return;
            }
            if (array.dataType() == DataType.FLOAT && DIRECT && (isRowMajor(array) || hasContiguousRows(array))) {
                fromHeap(copy, array);
            } else {
                array.assign(Nd4j.create(copy, array.shape(), 'c').castTo(array.dataType()));
            }
        }
    }

    /** {@link Blocks} over the elements of x. */
    public static Blocks blocks(INDArray x) {
        return new Blocks(x);
    }

    /** A new row-major float array of the given shape holding {@code src}. */
    public static INDArray array(float[] src, long... shape) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        fromHeap(src, out);
        return out;
    }

    /** {@code x} itself when it is row-major and contiguous, else a row-major copy. */
    static INDArray rowMajor(INDArray x) {
        return isRowMajor(x) ? x : x.dup('c');
    }

    static boolean isRowMajor(INDArray x) {
        if (x.rank() <= 1 || x.length() <= 1) {
            return x.rank() == 0 || x.length() <= 1 || x.elementWiseStride() == 1;
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

    private static boolean hasContiguousRows(INDArray x) {
        return x.rank() == 2 && (x.size(1) == 1 || x.stride(1) == 1) && (x.size(0) == 1 || x.stride(0) >= x.size(1));
    }
}

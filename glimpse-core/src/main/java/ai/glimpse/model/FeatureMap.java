package ai.glimpse.model;

import java.nio.DoubleBuffer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of feature maps [N, h, w, C], channels last (NHWC), on the Java heap in float or double: what
 * the encoder engine's elementwise kernels (max pooling, layer norm, ReLU, spatial softmax) read and
 * write between two convolutions, so that the tail of a conv layer costs one copy in and one copy out.
 * Element (image, row, col, channel) sits at ((image * h + row) * w + col) * C + channel. Exactly one of
 * {@link #f} and {@link #d} is set.
 */
final class FeatureMap {
    final int n;
    final int h;
    final int w;
    final int c;
    final float[] f;                                                       // [N*h*w*C] in float, else null
    final double[] d;                                                      // [N*h*w*C] in double, else null

    private FeatureMap(int n, int h, int w, int c, float[] f, double[] d) {
        this.n = n;
        this.h = h;
        this.w = w;
        this.c = c;
        this.f = f;
        this.d = d;
    }

    /** A zero map of the given type (float or double) and shape. */
    static FeatureMap zeros(DataType type, int n, int h, int w, int c) {
        int size = Math.multiplyExact(Math.multiplyExact(n, h), Math.multiplyExact(w, c));
        return switch (type) {
            case FLOAT -> new FeatureMap(n, h, w, c, new float[size], null);
            case DOUBLE -> new FeatureMap(n, h, w, c, null, new double[size]);
            default -> throw new IllegalArgumentException("the encoder engine runs in float or double, not " + type);
        };
    }

    /**
     * A map over the first n*h*w*C elements of a heap array of the given type that may be longer (one of
     * {@code f} and {@code d} set): whatever they hold, for kernels that write every element.
     */
    static FeatureMap over(float[] f, double[] d, int n, int h, int w, int c) {
        long size = (long) n * h * w * c;
        if ((f == null) == (d == null) || (f != null ? f.length : d.length) < size) {
            throw new IllegalArgumentException("need one heap array of at least " + size + " elements");
        }
        return new FeatureMap(n, h, w, c, f, d);
    }

    /** A zero map of this one's type and batch, of another size. */
    FeatureMap zeros(int height, int width, int channels) {
        return zeros(type(), n, height, width, channels);
    }

    /** A copy on the heap of x [N, h, w, C], or of x [N, L, D] read as [N, L, 1, D]. */
    static FeatureMap of(INDArray x) {
        long[] s = x.shape();
        if (s.length != 3 && s.length != 4) {
            throw new IllegalArgumentException("a feature map is [N, h, w, C] or [N, L, D], got rank " + s.length);
        }
        return zeros(x.dataType(), (int) s[0], (int) s[1], s.length == 4 ? (int) s[2] : 1, (int) s[s.length - 1]).readFrom(x);
    }

    /** The elements of x (as many as this map has, row-major, of its type) copied into this map; returns it. */
    FeatureMap readFrom(INDArray x) {
        if (x.length() != (long) n * imageSize() || x.dataType() != type()) {
            throw new IllegalArgumentException("cannot read " + x.dataType() + " " + java.util.Arrays.toString(x.shape())
                    + " into a " + type() + " map of " + (long) n * imageSize() + " elements");
        }
        if (f != null) {
            HostCopy.toHeap(x, f);
        } else {
            INDArray r = HostCopy.rowMajor(x);
            DoubleBuffer buf = r.data().asNioDouble();
            buf.position(Math.toIntExact(r.offset()));
            buf.get(d, 0, n * imageSize());
        }
        return this;
    }

    /** This map as a new row-major ND4J array [N, h, w, C] (in the current workspace, if any). */
    INDArray toNd4j() {
        return copyTo(Nd4j.createUninitialized(type(), new long[] {n, h, w, c}, 'c'));
    }

    /** This map copied into {@code out}, a row-major ND4J array [N, h, w, C] of its type; returns out. */
    INDArray copyTo(INDArray out) {
        if (f != null) {
            HostCopy.fromHeap(f, out);
            return out;
        }
        DoubleBuffer buf = out.data().asNioDouble();
        buf.position(Math.toIntExact(out.offset()));
        buf.put(d, 0, n * imageSize());
        return out;
    }

    DataType type() {
        return f != null ? DataType.FLOAT : DataType.DOUBLE;
    }

    /** Elements of one image, h * w * C. */
    int imageSize() {
        return h * w * c;
    }

    /** Index of element (image, row, col, 0). */
    int at(int image, int row, int col) {
        return ((image * h + row) * w + col) * c;
    }

    /** Element i (row-major), whatever the type: one well-predicted branch, for loops that do more per element than move it. */
    double get(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Sets element i (row-major), whatever the type (see {@link #get}). */
    void set(int i, double v) {
        if (f != null) {
            f[i] = (float) v;
        } else {
            d[i] = v;
        }
    }

    /** Runs body(image) for every image of the batch, the images split over the cores. */
    void eachImage(IntConsumer body) {
        if (n == 1) {
            body.accept(0);
        } else {
            IntStream.range(0, n).parallel().forEach(body);
        }
    }

    /** Sums over images and positions per channel: [C], an ND4J array of this map's type. */
    INDArray sumPerChannel() {
        double[] sums = new double[c];
        for (int i = 0; i < n * imageSize(); i += c) {
            for (int k = 0; k < c; k++) {
                sums[k] += get(i + k);
            }
        }
        return Nd4j.createFromArray(sums).castTo(type());                  // [C]
    }
}

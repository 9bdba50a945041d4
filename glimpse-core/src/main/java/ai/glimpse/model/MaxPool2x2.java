package ai.glimpse.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling over 2x2 windows with stride 2, the small encoder's pooling (libnd4j's maxpool2d with a 2x2
 * kernel): y[n, r, q, k] = max of x[n, 2r + i, 2q + j, k] over i, j in {0, 1}. The forward pass keeps
 * which cell of each window won (0 to 3 in row-major order, the first on ties); the backward pass writes
 * each pooled gradient to that cell and zero to the others, which gives the gradient of the convolution's
 * output. Both move the full-size map between ND4J and the heap a pair of rows at a time (bulk copies
 * through a small heap block): element by element through an NIO buffer was slower than a copy of the
 * whole map, and a heap copy of the whole map costs its allocation (6 MB at N = 6, 34 MB at N = 32). The
 * winner is picked with comparisons the JIT turns into conditional moves: with branches, random data made
 * the forward pass five times slower. libnd4j's own maxpool2d_bp took 12 ms here for the first layer at
 * N = 6 (channels last; 41 ms channels first).
 */
final class MaxPool2x2 {
    private MaxPool2x2() {
    }

    /** The pooled map [N, h/2, w/2, C] and the winner of each of its elements. */
    record Pooled(FeatureMap out, byte[] winner, int inH, int inW) {
    }

    /** Pools x [N, h, w, C] (h and w even), an ND4J array. */
    static Pooled forward(INDArray x) {
        int n = (int) x.size(0);
        int h = (int) x.size(1);
        int w = (int) x.size(2);
        int c = (int) x.size(3);
        if (h % 2 != 0 || w % 2 != 0) {
            throw new IllegalArgumentException("2x2 pooling needs an even map, got " + h + "x" + w);
        }
        FeatureMap y = FeatureMap.zeros(x.dataType(), n, h / 2, w / 2, c); // [N, h/2, w/2, C]
        byte[] winner = new byte[n * y.imageSize()];                       // [N, h/2, w/2, C], 0..3
        eachPair(x, y, (block, out) -> maxFloat(block, y, winner, out), (block, out) -> maxDouble(block, y, winner, out));
        return new Pooled(y, winner, h, w);
    }

    /**
     * The pooled map alone of x [N, h, w, C] (h and w even), written into y [N, h/2, w/2, C]: the maxima of
     * {@link #forward} without the winners, which only the backward pass reads (inference). Returns y.
     */
    static FeatureMap max(INDArray x, FeatureMap y) {
        int h = (int) x.size(1);
        int w = (int) x.size(2);
        int c = (int) x.size(3);
        if (x.size(0) != y.n || h != 2 * y.h || w != 2 * y.w || c != y.c || x.dataType() != y.type()) {
            throw new IllegalArgumentException("cannot pool " + java.util.Arrays.toString(x.shape()) + " into ["
                    + y.n + ", " + y.h + ", " + y.w + ", " + y.c + "]");
        }
        eachPair(x, y, (block, out) -> maxOnlyFloat(block, y, out), (block, out) -> maxOnlyDouble(block, y, out));
        return y;
    }

    /** A kernel given a pair of rows of x [2, w, C] and where their pooled row starts in y. */
    @FunctionalInterface
    private interface FloatPair {
        void pool(float[] pair, int out);
    }

    @FunctionalInterface
    private interface DoublePair {
        void pool(double[] pair, int out);
    }

    /**
     * Runs a kernel over every pair of rows of x [N, h, w, C] into y [N, h/2, w/2, C], a pair at a time
     * through a heap block (the images split over the cores).
     */
    private static void eachPair(INDArray x, FeatureMap y, FloatPair floats, DoublePair doubles) {
        INDArray rows = HostCopy.rowMajor(x);
        int pair = 4 * y.w * y.c;                                          // two rows of x
        int base = Math.toIntExact(rows.offset());
        if (y.f != null) {
            FloatBuffer in = rows.data().asNioFloat();
            y.eachImage(image -> {
                float[] block = new float[pair];                           // x[image, 2r .. 2r + 1, :, :]
                for (int r = 0; r < y.h; r++) {
                    in.get(base + (image * y.h + r) * pair, block, 0, pair);
                    floats.pool(block, y.at(image, r, 0));
                }
            });
        } else {
            DoubleBuffer in = rows.data().asNioDouble();
            y.eachImage(image -> {
                double[] block = new double[pair];
                for (int r = 0; r < y.h; r++) {
                    in.get(base + (image * y.h + r) * pair, block, 0, pair);
                    doubles.pool(block, y.at(image, r, 0));
                }
            });
        }
    }

    /**
     * dL/dx (a new ND4J array) given dL/dy [N, h/2, w/2, C]: each window's gradient at its winner. The array
     * is [N, h, w, C], or with {@code byPosition} [h, w, N, C] (the first layer's weight gradient reads it so).
     */
    static INDArray backward(Pooled pooled, FeatureMap dy, boolean byPosition) {
        int n = dy.n;
        int h = pooled.inH();
        int w = pooled.inW();
        int c = dy.c;
        INDArray dx = Nd4j.createUninitialized(dy.type(), byPosition ? new long[] {h, w, n, c} : new long[] {n, h, w, c}, 'c');
        int base = Math.toIntExact(dx.offset());
        int pair = 2 * w * c;                                              // two rows of one image
        boolean single = dy.f != null;
        FloatBuffer outF = single ? dx.data().asNioFloat() : null;
        DoubleBuffer outD = single ? null : dx.data().asNioDouble();
        if (!byPosition) {                                                 // per image, a pair of rows at a time
            dy.eachImage(image -> {
                float[] bf = single ? new float[pair] : null;              // dx[image, 2r .. 2r + 1, :, :]
                double[] bd = single ? null : new double[pair];
                for (int r = 0; r < dy.h; r++) {
                    int at = base + (image * dy.h + r) * pair;
                    if (single) {
                        java.util.Arrays.fill(bf, 0f);
                        routeFloat(dy, pooled.winner(), image, r, bf, 0, w * c, c);
                        outF.put(at, bf, 0, pair);
                    } else {
                        java.util.Arrays.fill(bd, 0);
                        routeDouble(dy, pooled.winner(), image, r, bd, 0, w * c, c);
                        outD.put(at, bd, 0, pair);
                    }
                }
            });
        } else {                                                           // per pair of rows, every image
            int rows = pair * n;                                           // dx[2r .. 2r + 1, :, :, :]
            java.util.stream.IntStream.range(0, dy.h).parallel().forEach(r -> {
                int at = base + r * rows;
                if (single) {
                    float[] block = new float[rows];
                    for (int image = 0; image < n; image++) {
                        routeFloat(dy, pooled.winner(), image, r, block, image * c, w * n * c, n * c);
                    }
                    outF.put(at, block, 0, rows);
                } else {
                    double[] block = new double[rows];
                    for (int image = 0; image < n; image++) {
                        routeDouble(dy, pooled.winner(), image, r, block, image * c, w * n * c, n * c);
                    }
                    outD.put(at, block, 0, rows);
                }
            });
        }
        return dx;
    }

    /** One pooled row from a pair of rows of x [2, 2 y.w, C]: y[row, :, :] from {@code out} on, and winners. */
    private static void maxFloat(float[] pair, FeatureMap y, byte[] winner, int out) {
        int c = y.c;
        int below = 2 * y.w * c;                                           // from a cell to the one under it
        for (int q = 0; q < y.w; q++) {
            for (int k = 0; k < c; k++) {
                int at = 2 * q * c + k;                                    // x[2r, 2q, k] in the pair
                float a = pair[at];
                float b = pair[at + c];
                float e = pair[at + below];
                float g = pair[at + below + c];
                float top = Math.max(a, b);
                float bottom = Math.max(e, g);
                int topWinner = b > a ? 1 : 0;
                int bottomWinner = g > e ? 3 : 2;
                y.f[out + q * c + k] = Math.max(top, bottom);
                winner[out + q * c + k] = (byte) (bottom > top ? bottomWinner : topWinner);
            }
        }
    }

    private static void maxDouble(double[] pair, FeatureMap y, byte[] winner, int out) {
        int c = y.c;
        int below = 2 * y.w * c;
        for (int q = 0; q < y.w; q++) {
            for (int k = 0; k < c; k++) {
                int at = 2 * q * c + k;
                double a = pair[at];
                double b = pair[at + c];
                double e = pair[at + below];
                double g = pair[at + below + c];
                double top = Math.max(a, b);
                double bottom = Math.max(e, g);
                int topWinner = b > a ? 1 : 0;
                int bottomWinner = g > e ? 3 : 2;
                y.d[out + q * c + k] = Math.max(top, bottom);
                winner[out + q * c + k] = (byte) (bottom > top ? bottomWinner : topWinner);
            }
        }
    }

    /** One pooled row from a pair of rows of x [2, 2 y.w, C] into y[row, :, :] from {@code out} on, as {@link #maxFloat}. */
    private static void maxOnlyFloat(float[] pair, FeatureMap y, int out) {
        int c = y.c;
        int below = 2 * y.w * c;                                           // from a cell to the one under it
        for (int q = 0; q < y.w; q++) {
            for (int k = 0; k < c; k++) {
                int at = 2 * q * c + k;                                    // x[2r, 2q, k] in the pair
                float top = Math.max(pair[at], pair[at + c]);
                float bottom = Math.max(pair[at + below], pair[at + below + c]);
                y.f[out + q * c + k] = Math.max(top, bottom);
            }
        }
    }

    private static void maxOnlyDouble(double[] pair, FeatureMap y, int out) {
        int c = y.c;
        int below = 2 * y.w * c;
        for (int q = 0; q < y.w; q++) {
            for (int k = 0; k < c; k++) {
                int at = 2 * q * c + k;
                double top = Math.max(pair[at], pair[at + c]);
                double bottom = Math.max(pair[at + below], pair[at + below + c]);
                y.d[out + q * c + k] = Math.max(top, bottom);
            }
        }
    }

    /**
     * Pooled row r of one image into a block holding its pair of rows: cell (i, 2q + j, k) of the pair sits
     * at {@code from + i * rowStride + (2q + j) * colStride + k}.
     */
    private static void routeFloat(FeatureMap dy, byte[] winner, int image, int r, float[] block, int from, int rowStride, int colStride) {
        for (int q = 0; q < dy.w; q++) {
            int in = dy.at(image, r, q);
            int at = from + 2 * q * colStride;                             // cell (0, 2q, 0)
            for (int k = 0; k < dy.c; k++) {
                int cell = winner[in + k];                                 // 0..3: (i, j) = (cell / 2, cell % 2)
                block[at + (cell >> 1) * rowStride + (cell & 1) * colStride + k] = dy.f[in + k];
            }
        }
    }

    private static void routeDouble(FeatureMap dy, byte[] winner, int image, int r, double[] block, int from, int rowStride, int colStride) {
        for (int q = 0; q < dy.w; q++) {
            int in = dy.at(image, r, q);
            int at = from + 2 * q * colStride;
            for (int k = 0; k < dy.c; k++) {
                int cell = winner[in + k];
                block[at + (cell >> 1) * rowStride + (cell & 1) * colStride + k] = dy.d[in + k];
            }
        }
    }
}

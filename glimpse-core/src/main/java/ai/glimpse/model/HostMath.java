package ai.glimpse.model;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The vector primitives of the heap kernels (dot product, axpy, scaling, softmax, transpose) and their
 * split over the cores. Every array of a loop is indexed by the loop variable alone: with an offset
 * (x[from + k]) the JIT here cannot tell that the arrays do not overlap and keeps the loop scalar, six
 * to seven times slower (0.26 µs against 0.04 µs for an axpy of 512). Callers copy rows into scratch
 * arrays first ({@link System#arraycopy} is vectorised).
 */
final class HostMath {
    /** Work (multiply-adds) below which a kernel runs on the calling thread: splitting costs about 20 µs. */
    private static final long PARALLEL_WORK = 1L << 16;

    private HostMath() {
    }

    /**
     * x[0 .. n) . y[0 .. n) with eight independent partial sums: the JIT keeps a float reduction scalar,
     * and eight chains keep the adders busy (2 µs for 2048 elements here, against 5 µs for one chain).
     */
    static float dot(float[] x, float[] y, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int k = 0;
        for (; k + 8 <= n; k += 8) {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
            s4 += x[k + 4] * y[k + 4];
            s5 += x[k + 5] * y[k + 5];
            s6 += x[k + 6] * y[k + 6];
            s7 += x[k + 7] * y[k + 7];
        }
        for (; k < n; k++) {
            s0 += x[k] * y[k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** y[0 .. n) += a x[0 .. n). */
    static void axpy(float a, float[] x, float[] y, int n) {
        for (int k = 0; k < n; k++) {
            y[k] = Math.fma(a, x[k], y[k]);
        }
    }

    /** x[0 .. n) *= a. */
    static void scale(float a, float[] x, int n) {
        for (int k = 0; k < n; k++) {
            x[k] *= a;
        }
    }

    /** In place: v[0 .. n) becomes softmax(v[0 .. n)). */
    static void softmax(float[] v, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, v[k]);
        }
        float sum = 0;
        for (int k = 0; k < n; k++) {
            float e = (float) Math.exp(v[k] - max);
            v[k] = e;
            sum += e;
        }
        scale(1f / sum, v, n);
    }

    /**
     * out[to ..] = the transpose [cols, rows] of the row-major [rows, cols] matrix at x[from ..], in 64 x 64
     * tiles split over the cores; allocates nothing.
     */
    static void transpose(float[] x, int from, int rows, int cols, float[] out, int to) {
        int tile = 64;
        int tilesDown = (rows + tile - 1) / tile;
        forEach(tilesDown, (long) rows * cols, t -> {
            int r0 = t * tile;
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        out[to + c * rows + r] = x[from + r * cols + c];
                    }
                }
            }
        });
    }

    /** Runs body(0) .. body(tasks - 1), split over the cores when the total work is worth it. */
    static void forEach(int tasks, long work, IntConsumer body) {
        if (tasks > 1 && work >= PARALLEL_WORK) {
            IntStream.range(0, tasks).parallel().forEach(body);
        } else {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
        }
    }
}

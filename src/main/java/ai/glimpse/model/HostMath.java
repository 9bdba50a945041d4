package ai.glimpse.model;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The vector primitives of the heap kernels (dot product, axpy, softmax) and their split over the
 * cores. Loops are written for the JIT's auto-vectoriser: one index, no calls.
 */
final class HostMath {
    /** Work (multiply-adds) below which a kernel runs on the calling thread: splitting costs about 20 µs. */
    private static final long PARALLEL_WORK = 1L << 16;

    private HostMath() {
    }

    /**
     * x[xo .. xo + n) . y[yo .. yo + n) with eight independent partial sums (the JIT does not vectorise a
     * float reduction; eight chains keep the adders busy: 2 µs for 2048 elements here, against 5 µs for
     * one chain).
     */
    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int k = 0;
        for (; k + 8 <= n; k += 8) {
            s0 += x[xo + k] * y[yo + k];
            s1 += x[xo + k + 1] * y[yo + k + 1];
            s2 += x[xo + k + 2] * y[yo + k + 2];
            s3 += x[xo + k + 3] * y[yo + k + 3];
            s4 += x[xo + k + 4] * y[yo + k + 4];
            s5 += x[xo + k + 5] * y[yo + k + 5];
            s6 += x[xo + k + 6] * y[yo + k + 6];
            s7 += x[xo + k + 7] * y[yo + k + 7];
        }
        for (; k < n; k++) {
            s0 += x[xo + k] * y[yo + k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** y[yo .. yo + n) += a x[xo .. xo + n). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int k = 0; k < n; k++) {
            y[yo + k] = Math.fma(a, x[xo + k], y[yo + k]);
        }
    }

    /** In place: v[o .. o + n) becomes softmax(v[o .. o + n)). */
    static void softmax(float[] v, int o, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, v[o + k]);
        }
        float sum = 0;
        for (int k = 0; k < n; k++) {
            float e = (float) Math.exp(v[o + k] - max);
            v[o + k] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int k = 0; k < n; k++) {
            v[o + k] *= inv;
        }
    }

    /** The transpose of the row-major [rows, cols] matrix x: [cols, rows], in 64 x 64 tiles split over the cores. */
    static float[] transpose(float[] x, int rows, int cols) {
        float[] out = new float[rows * cols];
        int tile = 64;
        int tilesDown = (rows + tile - 1) / tile;
        forEach(tilesDown, (long) rows * cols, t -> {
            int r0 = t * tile;
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        out[c * rows + r] = x[r * cols + c];
                    }
                }
            }
        });
        return out;
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

package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.model.ParameterSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adam's update against the textbook formulas computed here in double, over blocks and array layouts. */
class AdamTest {
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void twoStepsWithClippingMatchTheFormulasInPlaceAndThroughCopies() {
        SplittableRandom rng = new SplittableRandom(5);
        int big = 70_000;                                                  // five of Adam's blocks: updated in parallel
        ParameterSet params = new ParameterSet();
        params.put("big", random(rng, DataType.FLOAT, 1, big));
        params.put("double", random(rng, DataType.DOUBLE, 3, 5));         // through a heap copy
        params.put("view", random(rng, DataType.FLOAT, 6, 4).transpose()); // not row-major: through a heap copy
        double[][] p = {values(params.get("big")), values(params.get("double")), values(params.get("view"))};
        double[][] m = new double[3][];
        double[][] v = new double[3][];
        for (int i = 0; i < 3; i++) {
            m[i] = new double[p[i].length];
            v[i] = new double[p[i].length];
        }
        Adam adam = new Adam(params);
        double lr = 0.01;
        double maxNorm = 3.0;
        for (int step = 1; step <= 2; step++) {
            Map<String, INDArray> grads = Map.of(
                    "big", random(rng, DataType.FLOAT, 1, big),
                    "double", random(rng, DataType.DOUBLE, 3, 5),
                    "view", random(rng, DataType.FLOAT, 4, 6));
            double[][] g = {values(grads.get("big")), values(grads.get("double")), values(grads.get("view"))};
            double sq = 0;
            for (double[] gi : g) {
                for (double x : gi) {
                    sq += x * x;
                }
            }
            double norm = Math.sqrt(sq);
            double scale = norm > maxNorm ? maxNorm / norm : 1;
            double size = lr * Math.sqrt(1 - Math.pow(B2, step)) / (1 - Math.pow(B1, step));
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < p[i].length; k++) {
                    double gk = g[i][k] * scale;
                    m[i][k] = B1 * m[i][k] + (1 - B1) * gk;
                    v[i][k] = B2 * v[i][k] + (1 - B2) * gk * gk;
                    p[i][k] -= size * m[i][k] / (Math.sqrt(v[i][k]) + EPS);
                }
            }
            assertEquals(norm, adam.update(params, grads, lr, maxNorm), 1e-4 * norm, "norm before clipping, step " + step);
            assertTrue(norm > maxNorm, "the test's gradients are clipped");
        }
        assertArrayEquals(p[0], values(params.get("big")), 1e-5, "float parameter, updated in place");
        assertArrayEquals(p[1], values(params.get("double")), 1e-5, "double parameter");
        assertArrayEquals(p[2], values(params.get("view")), 1e-5, "transposed view");
        assertEquals(2, adam.step());
    }

    @Test
    void aGradientOfAnotherSizeIsRefusedAndChangesNothing() {
        ParameterSet params = new ParameterSet();
        params.put("a", Nd4j.create(new float[] {5, 6}, new long[] {1, 2}, 'c'));
        params.put("w", Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, 'c'));
        Adam adam = new Adam(params);
        INDArray wrong = Nd4j.create(new float[] {1, 1, 1}, new long[] {1, 3}, 'c');
        Map<String, INDArray> grads = new java.util.LinkedHashMap<>();
        grads.put("a", Nd4j.create(new float[] {1, 1}, new long[] {1, 2}, 'c'));
        grads.put("w", wrong);
        assertThrows(IllegalStateException.class, () -> adam.update(params, grads, 0.1, 0));
        assertArrayEquals(new double[] {5, 6}, values(params.get("a")), 0.0, "a parameter before the wrong one");
        assertArrayEquals(new double[] {1, 2, 3, 4}, values(params.get("w")), 0.0);
        assertEquals(0, adam.step());
    }

    private static INDArray random(SplittableRandom rng, DataType type, int rows, int cols) {
        double[] x = new double[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() * 2 - 1;
        }
        return Nd4j.create(x, new long[] {rows, cols}, 'c').castTo(type);
    }

    /** The elements in row-major order, in double. */
    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}

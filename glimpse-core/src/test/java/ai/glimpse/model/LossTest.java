package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The masked cross-entropy against a hand computation, including a target whose probability underflows in float. */
class LossTest {

    @Test
    void valueAndGradientMatchTheFormulaEvenWhenATargetsProbabilityUnderflows() {
        float[][] x = {{1f, 2f, 0.5f}, {0f, 300f, -10f}, {3f, 3f, 3f}};   // row 1's target 0 has p = e^-300: 0 in float
        int[] targets = {1, 0, 2};
        float[][] m = {{1f}, {1f}, {0f}};                                  // the last row is padding
        Loss loss = Loss.crossEntropy(Nd4j.createFromArray(x), targets, Nd4j.createFromArray(m), 2);
        double want = 0;
        for (int r = 0; r < 2; r++) {
            double max = Math.max(Math.max(x[r][0], x[r][1]), x[r][2]);
            double lse = max + Math.log(Math.exp(x[r][0] - max) + Math.exp(x[r][1] - max) + Math.exp(x[r][2] - max));
            want -= (x[r][targets[r]] - lse) / 2;
        }
        assertEquals(want, loss.value(), 1e-4);
        assertEquals(150.0 + (Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5)) - 2) / 2, loss.value(), 1e-3,
                "the underflowing row counts its 300 / 2");
        INDArray g = loss.gradient();
        double p10 = Math.exp(x[0][1]) / (Math.exp(1) + Math.exp(2) + Math.exp(0.5));
        assertEquals((p10 - 1) / 2, g.getDouble(0, 1), 1e-6);
        assertEquals(-0.5, g.getDouble(1, 0), 1e-6, "softmax 0 minus 1, over 2 words");
        assertEquals(0.0, g.getRow(2).castTo(DataType.DOUBLE).sumNumber().doubleValue(), 0.0, "padding has no gradient");
    }
}

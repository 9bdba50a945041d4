package ai.glimpse.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link LstmCell} in float on the Java heap, one loop over the batch's [B, H] cells. */
final class JavaLstmCell implements LstmCell {
    private final int h;
    private final List<float[][]> kept = new ArrayList<>();                // per step: {i f g o activated [B, 4H], c_{t-1}, tanh c_t}

    JavaLstmCell(int hidden) {
        this.h = hidden;
    }

    @Override
    public State forward(int t, INDArray gates, INDArray c, boolean keep) {
        int rows = (int) gates.size(0);
        float[] z = HostCopy.toHeap(gates, null);                          // [B, 4H], activated in place
        float[] cp = HostCopy.toHeap(c, null);                             // [B, H]
        float[] cn = new float[rows * h];                                  // [B, H]
        float[] tc = new float[rows * h];                                  // [B, H], tanh c_t
        float[] hn = new float[rows * h];                                  // [B, H]
        for (int b = 0; b < rows; b++) {
            int g0 = b * 4 * h;
            for (int k = 0; k < 2 * h; k++) {
                z[g0 + k] = JavaEnergy.sigmoid(z[g0 + k]);                 // i, f
            }
            for (int k = 2 * h; k < 3 * h; k++) {
                z[g0 + k] = JavaEnergy.tanh(z[g0 + k]);                    // g
            }
            for (int k = 3 * h; k < 4 * h; k++) {
                z[g0 + k] = JavaEnergy.sigmoid(z[g0 + k]);                 // o
            }
            int s0 = b * h;
            for (int k = 0; k < h; k++) {
                float cell = z[g0 + h + k] * cp[s0 + k] + z[g0 + k] * z[g0 + 2 * h + k];
                cn[s0 + k] = cell;
                tc[s0 + k] = JavaEnergy.tanh(cell);
                hn[s0 + k] = z[g0 + 3 * h + k] * tc[s0 + k];
            }
        }
        if (keep) {
            while (kept.size() <= t) {
                kept.add(null);
            }
            kept.set(t, new float[][] {z, cp, tc});
        }
        return new State(HostCopy.array(hn, rows, h), HostCopy.array(cn, rows, h));
    }

    @Override
    public Gradients backward(int t, INDArray dh, INDArray dc) {
        float[][] k = kept.get(t);
        float[] z = k[0];
        float[] cp = k[1];
        float[] tc = k[2];
        int rows = cp.length / h;
        float[] dH = HostCopy.toHeap(dh, null);                            // [B, H]
        float[] dC = HostCopy.toHeap(dc, null);                            // [B, H]
        float[] dz = new float[rows * 4 * h];                              // [B, 4H]
        float[] dcp = new float[rows * h];                                 // [B, H]
        for (int b = 0; b < rows; b++) {
            int g0 = b * 4 * h;
            int s0 = b * h;
            for (int j = 0; j < h; j++) {
                float i = z[g0 + j];
                float f = z[g0 + h + j];
                float g = z[g0 + 2 * h + j];
                float o = z[g0 + 3 * h + j];
                float y = tc[s0 + j];
                float dcell = dC[s0 + j] + dH[s0 + j] * o * (1 - y * y);   // dL/dc_t
                dz[g0 + j] = dcell * g * i * (1 - i);                      // input gate
                dz[g0 + h + j] = dcell * cp[s0 + j] * f * (1 - f);         // forget gate
                dz[g0 + 2 * h + j] = dcell * i * (1 - g * g);              // candidate
                dz[g0 + 3 * h + j] = dH[s0 + j] * y * o * (1 - o);         // output gate
                dcp[s0 + j] = dcell * f;
            }
        }
        return new Gradients(HostCopy.array(dz, rows, 4 * h), HostCopy.array(dcp, rows, h));
    }
}

package ai.glimpse.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LstmCell} in float on the Java heap: per row, the gate activations over contiguous blocks of its
 * pre-activations (i and f together, then g, then o), then the cell and hidden state.
 */
final class JavaLstmCell implements LstmCell {
    private final int h;
    private final HostBuffers buffers;
    private final List<float[][]> kept = new ArrayList<>();                // per step: {i f g o activated [B, 4H], c_{t-1}, tanh c_t}

    JavaLstmCell(int hidden, HostBuffers buffers) {
        this.h = hidden;
        this.buffers = buffers;
    }

    @Override
    public State forward(int t, INDArray gates, INDArray bias, INDArray c, boolean keep) {
        int rows = (int) gates.size(0);
        String tag = keep ? "cell.keep" : "cell.last";
        int s = keep ? t : 0;
        float[] z = HostCopy.toHeap(gates, buffers.step(tag + ".gates", s, rows * 4 * h)); // [B, 4H], activated in place
        float[] cp = HostCopy.toHeap(c, buffers.step(tag + ".c", s, rows * h));         // [B, H]
        float[] tc = buffers.step(tag + ".tanhc", s, rows * h);                          // [B, H], tanh c_t
        float[] cn = buffers.get("cell.cnew", rows * h);                                 // [B, H]
        float[] hn = buffers.get("cell.hnew", rows * h);                                 // [B, H]
        float[] bs = bias == null ? null : HostCopy.toHeap(bias, buffers.get("cell.bias", 4 * h)); // [4H]
        HostMath.forEach(rows, (long) rows * h * 32, b -> {
            int g0 = b * 4 * h;
            if (bs != null) {
                for (int k = 0; k < 4 * h; k++) {
                    z[g0 + k] += bs[k];
                }
            }
            Activations.sigmoid(z, g0, z, g0, 2 * h);                                    // i, f
            Activations.tanh(z, g0 + 2 * h, z, g0 + 2 * h, h);                           // g
            Activations.sigmoid(z, g0 + 3 * h, z, g0 + 3 * h, h);                        // o
            int s0 = b * h;
            for (int k = 0; k < h; k++) {
                cn[s0 + k] = Math.fma(z[g0 + h + k], cp[s0 + k], z[g0 + k] * z[g0 + 2 * h + k]);
            }
            Activations.tanh(cn, s0, tc, s0, h);
            for (int k = 0; k < h; k++) {
                hn[s0 + k] = z[g0 + 3 * h + k] * tc[s0 + k];
            }
        });
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
        int rows = (int) dh.size(0);
        float[] dH = HostCopy.toHeap(dh, buffers.get("cell.dh", rows * h));             // [B, H]
        float[] dC = HostCopy.toHeap(dc, buffers.get("cell.dc", rows * h));             // [B, H]
        float[] dz = buffers.get("cell.dgates", rows * 4 * h);                          // [B, 4H]
        float[] dcp = buffers.get("cell.dcprev", rows * h);                             // [B, H]
        HostMath.forEach(rows, (long) rows * h * 16, b -> {
            int g0 = b * 4 * h;
            int s0 = b * h;
            for (int j = 0; j < h; j++) {
                float i = z[g0 + j];
                float f = z[g0 + h + j];
                float g = z[g0 + 2 * h + j];
                float o = z[g0 + 3 * h + j];
                float y = tc[s0 + j];
                float dcell = dC[s0 + j] + dH[s0 + j] * o * (1 - y * y);               // dL/dc_t
                dz[g0 + j] = dcell * g * i * (1 - i);                                  // input gate
                dz[g0 + h + j] = dcell * cp[s0 + j] * f * (1 - f);                     // forget gate
                dz[g0 + 2 * h + j] = dcell * i * (1 - g * g);                          // candidate
                dz[g0 + 3 * h + j] = dH[s0 + j] * y * o * (1 - o);                     // output gate
                dcp[s0 + j] = dcell * f;
            }
        });
        return new Gradients(HostCopy.array(dz, rows, 4 * h), HostCopy.array(dcp, rows, h));
    }
}

package ai.glimpse.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LstmCell} in float on the Java heap, one task per row: the row's four gate blocks are copied
 * into rows of their own, so every loop runs over arrays indexed by the loop variable alone and the JIT
 * vectorises it (see {@link HostMath}).
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
            float[][] gate = new float[4][];                                              // i, f, g, o: [H] each
            for (int q = 0; q < 4; q++) {
                gate[q] = Arrays.copyOfRange(z, g0 + q * h, g0 + (q + 1) * h);
                if (bs != null) {
                    HostMath.axpy(1f, Arrays.copyOfRange(bs, q * h, (q + 1) * h), gate[q], h);
                }
            }
            Activations.sigmoid(gate[0], h);
            Activations.sigmoid(gate[1], h);
            Activations.tanh(gate[2], h);
            Activations.sigmoid(gate[3], h);
            float[] cPrev = Arrays.copyOfRange(cp, b * h, (b + 1) * h);                  // [H]
            float[] cell = new float[h];                                                 // [H]
            float[] tanhCell = new float[h];                                             // [H]
            float[] out = new float[h];                                                  // [H]
            float[] i = gate[0];
            float[] f = gate[1];
            float[] g = gate[2];
            float[] o = gate[3];
            for (int k = 0; k < h; k++) {
                cell[k] = Math.fma(f[k], cPrev[k], i[k] * g[k]);
                tanhCell[k] = cell[k];
            }
            Activations.tanh(tanhCell, h);
            for (int k = 0; k < h; k++) {
                out[k] = o[k] * tanhCell[k];
            }
            for (int q = 0; q < 4; q++) {
                System.arraycopy(gate[q], 0, z, g0 + q * h, h);
            }
            System.arraycopy(cell, 0, cn, b * h, h);
            System.arraycopy(tanhCell, 0, tc, b * h, h);
            System.arraycopy(out, 0, hn, b * h, h);
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
            float[] i = Arrays.copyOfRange(z, g0, g0 + h);                              // [H] each
            float[] f = Arrays.copyOfRange(z, g0 + h, g0 + 2 * h);
            float[] g = Arrays.copyOfRange(z, g0 + 2 * h, g0 + 3 * h);
            float[] o = Arrays.copyOfRange(z, g0 + 3 * h, g0 + 4 * h);
            float[] y = Arrays.copyOfRange(tc, b * h, (b + 1) * h);                     // tanh c_t
            float[] cPrev = Arrays.copyOfRange(cp, b * h, (b + 1) * h);
            float[] dhRow = Arrays.copyOfRange(dH, b * h, (b + 1) * h);
            float[] dcell = Arrays.copyOfRange(dC, b * h, (b + 1) * h);                 // becomes dL/dc_t
            float[] di = new float[h];
            float[] df = new float[h];
            float[] dg = new float[h];
            float[] dO = new float[h];
            float[] dPrev = new float[h];
            for (int j = 0; j < h; j++) {
                dcell[j] = Math.fma(dhRow[j] * o[j], 1 - y[j] * y[j], dcell[j]);      // dL/dc_t
                di[j] = dcell[j] * g[j] * i[j] * (1 - i[j]);                          // input gate
                df[j] = dcell[j] * cPrev[j] * f[j] * (1 - f[j]);                      // forget gate
                dg[j] = dcell[j] * i[j] * (1 - g[j] * g[j]);                          // candidate
                dO[j] = dhRow[j] * y[j] * o[j] * (1 - o[j]);                          // output gate
                dPrev[j] = dcell[j] * f[j];
            }
            System.arraycopy(di, 0, dz, g0, h);
            System.arraycopy(df, 0, dz, g0 + h, h);
            System.arraycopy(dg, 0, dz, g0 + 2 * h, h);
            System.arraycopy(dO, 0, dz, g0 + 3 * h, h);
            System.arraycopy(dPrev, 0, dcp, b * h, h);
        });
        return new Gradients(HostCopy.array(dz, rows, 4 * h), HostCopy.array(dcp, rows, h));
    }
}

package ai.glimpse.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@link LstmCell} in ND4J operations, in the arrays' own precision and on any backend. */
final class Nd4jLstmCell implements LstmCell {
    private final int h;
    private final List<INDArray[]> kept = new ArrayList<>();               // per step: {i, f, g, o, c_{t-1}, tanh c_t}

    Nd4jLstmCell(int hidden) {
        this.h = hidden;
    }

    private INDArray part(INDArray gates, int k) {
        return gates.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * h, (long) (k + 1) * h)); // [B, H]
    }

    @Override
    public State forward(int t, INDArray gates, INDArray bias, INDArray c, boolean keep) {
        if (bias != null) {
            gates = gates.addRowVector(bias.reshape(1, -1));              // [B, 4H]
        }
        INDArray i = Transforms.sigmoid(part(gates, 0), true);             // [B, H]
        INDArray f = Transforms.sigmoid(part(gates, 1), true);             // [B, H]
        INDArray g = Transforms.tanh(part(gates, 2), true);                // [B, H]
        INDArray o = Transforms.sigmoid(part(gates, 3), true);             // [B, H]
        INDArray cn = f.mul(c).addi(i.mul(g));                             // [B, H]
        INDArray tc = Transforms.tanh(cn, true);                           // [B, H]
        INDArray hn = o.mul(tc);                                           // [B, H]
        if (keep) {
            while (kept.size() <= t) {
                kept.add(null);
            }
            kept.set(t, new INDArray[] {i, f, g, o, c, tc});
        }
        return new State(hn, cn);
    }

    @Override
    public Gradients backward(int t, INDArray dh, INDArray dc) {
        INDArray[] k = kept.get(t);
        INDArray i = k[0], f = k[1], g = k[2], o = k[3], cp = k[4], tc = k[5];
        INDArray dcell = dh.mul(o).muli(tc.mul(tc).rsubi(1)).addi(dc);     // [B, H], dL/dc_t
        INDArray di = dcell.mul(g).muli(i.mul(i.rsub(1)));                 // [B, H]
        INDArray df = dcell.mul(cp).muli(f.mul(f.rsub(1)));                // [B, H]
        INDArray dg = dcell.mul(i).muli(g.mul(g).rsubi(1));                // [B, H]
        INDArray dO = dh.mul(tc).muli(o.mul(o.rsub(1)));                   // [B, H]
        INDArray dz = org.nd4j.linalg.factory.Nd4j.hstack(di, df, dg, dO); // [B, 4H]
        return new Gradients(dz, dcell.mul(f));
    }
}

package ai.glimpse.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The gradient of an embedding lookup: each row's gradient added to the row of its word. */
final class Embeddings {
    private Embeddings() {
    }

    /** rows [R, m] with word ids [R] to the gradient of E [K, m]. */
    static INDArray scatterAdd(int[] ids, INDArray rows, int vocabulary) {
        int m = (int) rows.size(1);
        if (rows.dataType() == DataType.FLOAT) {
            float[] src = HostCopy.toHeap(rows, null);                    // [R, m]
            float[] out = new float[vocabulary * m];                       // [K, m]
            for (int r = 0; r < ids.length; r++) {
                int to = ids[r] * m;
                int from = r * m;
                for (int k = 0; k < m; k++) {
                    out[to + k] += src[from + k];
                }
            }
            return HostCopy.array(out, vocabulary, m);
        }
        INDArray out = Nd4j.zeros(rows.dataType(), vocabulary, m);         // [K, m]
        for (int r = 0; r < ids.length; r++) {
            out.getRow(ids[r]).addi(rows.getRow(r));
        }
        return out;
    }
}

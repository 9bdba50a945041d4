package ai.glimpse.model;

import java.util.Arrays;
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
            int[] slot = new int[vocabulary];                              // word -> its row in sums, or -1
            Arrays.fill(slot, -1);
            int[] wordOf = new int[ids.length];
            int words = 0;
            for (int id : ids) {
                if (slot[id] < 0) {
                    slot[id] = words;
                    wordOf[words++] = id;
                }
            }
            float[] sums = new float[words * m];                           // [words, m], the words of the batch only
            for (int r = 0; r < ids.length; r++) {
                int to = slot[ids[r]] * m;
                int from = r * m;
                for (int k = 0; k < m; k++) {
                    sums[to + k] += src[from + k];
                }
            }
            INDArray out = Nd4j.zeros(DataType.FLOAT, vocabulary, m);      // [K, m]
            HostCopy.Blocks dst = HostCopy.blocks(out);
            for (int w = 0; w < words; w++) {
                dst.write(wordOf[w] * m, sums, w * m, m);
            }
            dst.finish();
            return out;
        }
        INDArray out = Nd4j.zeros(rows.dataType(), vocabulary, m);         // [K, m]
        for (int r = 0; r < ids.length; r++) {
            out.getRow(ids[r]).addi(rows.getRow(r));
        }
        return out;
    }
}

package ai.glimpse.train;

import ai.glimpse.model.HostCopy;
import ai.glimpse.model.ParameterSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma and Ba 2015) applied in place to a {@link ParameterSet}, with global-norm gradient
 * clipping. Its moments live on the Java heap and the update runs there in float, in blocks split over
 * the cores: each block of a parameter and its gradient is read from the arrays' native memory into
 * scratch rows, updated, and the parameter's block written back, so no whole heap copy of the parameters
 * or gradients is kept (at the paper's sizes that was 168 MB of the training step's memory) and no ND4J
 * operation runs (per parameter three or more operations at 20-50 µs each were most of the update of a
 * small model). Its moments and step count can be saved and restored exactly (checkpoints).
 */
public final class Adam {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    /** Elements updated at a time: blocks are copied into scratch rows so the JIT vectorises the update. */
    private static final int BLOCK = 1 << 14;

    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    /** Each thread's scratch rows for a block of p, g, m and v. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][BLOCK]);
    private long step;

    /** Fresh state (zero moments) for the given parameters. */
    public Adam(ParameterSet params) {
        params.asMap().forEach((name, p) -> {
            int n = Math.toIntExact(p.length());
            m.put(name, new float[n]);
            v.put(name, new float[n]);
            shapes.put(name, p.shape());
        });
    }

    /** State restored from a checkpoint. */
    public Adam(Map<String, INDArray> firstMoments, Map<String, INDArray> secondMoments, long step) {
        firstMoments.forEach((name, a) -> {
            m.put(name, flat(a));
            shapes.put(name, a.shape());
        });
        secondMoments.forEach((name, a) -> v.put(name, flat(a)));
        this.step = step;
    }

    /**
     * Scales the gradients down to a global L2 norm of at most {@code maxNorm} (when maxNorm > 0), then
     * takes one Adam step of size {@code lr}. Returns the norm before clipping. When that norm is NaN or
     * infinite nothing is changed (weights, moments, step count): the caller decides what to do.
     */
    public double update(ParameterSet params, Map<String, INDArray> grads, double lr, double maxNorm) {
        for (String name : params.names()) {
            if (!grads.containsKey(name)) {
                throw new IllegalStateException("no gradient for parameter " + name);
            }
        }
        return step(params, grads, lr, maxNorm);
    }

    /**
     * As {@link #update}, for the parameters {@code grads} names only (the encoder's warm-up trains part of
     * the model); the others and their moments are left as they are. The step count advances as usual.
     */
    public double updateSome(ParameterSet params, Map<String, INDArray> grads, double lr, double maxNorm) {
        for (String name : grads.keySet()) {
            if (!m.containsKey(name)) {
                throw new IllegalStateException("no such parameter " + name);
            }
        }
        return step(params, grads, lr, maxNorm);
    }

    private double step(ParameterSet params, Map<String, INDArray> grads, double lr, double maxNorm) {
        List<String> names = params.names().stream().filter(grads::containsKey).toList();
        Map<String, HostCopy.Blocks> g = new LinkedHashMap<>();
        double sq = 0;
        for (String name : names) {
            HostCopy.Blocks gh = HostCopy.blocks(grads.get(name));
            long size = params.get(name).length();
            if (gh.size() != size || m.get(name).length != size) {
                throw new IllegalStateException("parameter " + name + " has " + size + " elements, its gradient "
                        + gh.size() + " and its moments " + m.get(name).length);  // before anything changes
            }
            g.put(name, gh);
            sq += sumOfSquares(gh);
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            return norm;                                                   // a NaN update would poison every weight
        }
        float scale = (float) (maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1.0);
        step++;
        float stepSize = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        for (String name : names) {
            HostCopy.Blocks p = HostCopy.blocks(params.get(name));
            update(p, g.get(name), m.get(name), v.get(name), scale, stepSize);
            p.finish();
        }
        return norm;
    }

    /** The update of one parameter's elements, in blocks over the cores. */
    private static void update(HostCopy.Blocks p, HostCopy.Blocks g, float[] m, float[] v, float scale, float stepSize) {
        int size = m.length;
        int blocks = (size + BLOCK - 1) / BLOCK;
        IntStream range = IntStream.range(0, blocks);
        (blocks > 4 ? range.parallel() : range).forEach(b -> {
            int from = b * BLOCK;
            int n = Math.min(BLOCK, size - from);
            float[][] scratch = SCRATCH.get();
            float[] pb = scratch[0];
            float[] gb = scratch[1];
            float[] mb = scratch[2];
            float[] vb = scratch[3];
            p.read(from, pb, n);
            g.read(from, gb, n);
            System.arraycopy(m, from, mb, 0, n);
            System.arraycopy(v, from, vb, 0, n);
            for (int k = 0; k < n; k++) {
                float gk = gb[k] * scale;
                mb[k] = BETA1 * mb[k] + (1 - BETA1) * gk;                 // first moment
                vb[k] = BETA2 * vb[k] + (1 - BETA2) * gk * gk;            // second moment
                pb[k] -= stepSize * mb[k] / ((float) Math.sqrt(vb[k]) + EPSILON);
            }
            p.write(from, pb, n);
            System.arraycopy(mb, 0, m, from, n);
            System.arraycopy(vb, 0, v, from, n);
        });
    }

    /** sum of x^2 in double, over float partial sums of blocks (a fixed order: the same on every run). */
    private static double sumOfSquares(HostCopy.Blocks x) {
        float[] block = SCRATCH.get()[0];
        double total = 0;
        for (int from = 0; from < x.size(); from += BLOCK) {
            int n = Math.min(BLOCK, x.size() - from);
            x.read(from, block, n);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int k = 0;
            for (; k + 4 <= n; k += 4) {
                s0 += block[k] * block[k];
                s1 += block[k + 1] * block[k + 1];
                s2 += block[k + 2] * block[k + 2];
                s3 += block[k + 3] * block[k + 3];
            }
            for (; k < n; k++) {
                s0 += block[k] * block[k];
            }
            total += (double) ((s0 + s1) + (s2 + s3));
        }
        return total;
    }

    private static float[] flat(INDArray a) {
        return a.dataType() == DataType.FLOAT ? HostCopy.toHeap(a, null) : a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    public Map<String, INDArray> firstMoments() {
        return arrays(m);
    }

    public Map<String, INDArray> secondMoments() {
        return arrays(v);
    }

    private Map<String, INDArray> arrays(Map<String, float[]> state) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        state.forEach((name, x) -> out.put(name, Nd4j.create(x, shapes.get(name), 'c')));
        return out;
    }

    public long step() {
        return step;
    }
}

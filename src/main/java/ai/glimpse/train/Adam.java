package ai.glimpse.train;

import ai.glimpse.model.ParameterSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015) applied in place to a {@link ParameterSet}, with global-norm gradient
 * clipping. Its moments and step count are plain arrays so a checkpoint can save and restore them
 * exactly.
 */
public final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    /** Fresh state (zero moments) for the given parameters. */
    public Adam(ParameterSet params) {
        params.asMap().forEach((name, p) -> {
            m.put(name, Nd4j.zeros(p.dataType(), p.shape()));
            v.put(name, Nd4j.zeros(p.dataType(), p.shape()));
        });
    }

    /** State restored from a checkpoint. */
    public Adam(Map<String, INDArray> firstMoments, Map<String, INDArray> secondMoments, long step) {
        m.putAll(firstMoments);
        v.putAll(secondMoments);
        this.step = step;
    }

    /**
     * Scales the gradients down to a global L2 norm of at most {@code maxNorm} (when maxNorm > 0), then
     * takes one Adam step of size {@code lr}. Returns the norm before clipping.
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
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        double norm = Math.sqrt(sq);
        double scale = maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1.0;
        step++;
        double stepSize = lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
        for (Map.Entry<String, INDArray> e : params.asMap().entrySet()) {
            INDArray g = grads.get(e.getKey());
            if (g == null) {
                continue;                                                  // checked by the callers
            }
            if (scale != 1.0) {
                g = g.mul(scale);
            }
            INDArray mt = m.get(e.getKey()).muli(BETA1).addi(g.mul(1 - BETA1));           // first moment
            INDArray vt = v.get(e.getKey()).muli(BETA2).addi(g.mul(g).muli(1 - BETA2));   // second moment
            e.getValue().subi(mt.mul(stepSize).divi(Transforms.sqrt(vt, true).addi(EPSILON)));
        }
        return norm;
    }

    public Map<String, INDArray> firstMoments() {
        return m;
    }

    public Map<String, INDArray> secondMoments() {
        return v;
    }

    public long step() {
        return step;
    }
}

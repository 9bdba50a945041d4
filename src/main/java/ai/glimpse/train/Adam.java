package ai.glimpse.train;

import ai.glimpse.model.ParameterSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma and Ba 2015) applied in place to a {@link ParameterSet}, with global-norm gradient
 * clipping. Its moments and step count are plain arrays so a checkpoint can save and restore them
 * exactly. Each parameter's update is libnd4j's fused Adam operation (moments and step in one pass over
 * the gradient; equal to the formula in double), then one subtraction. The gradients passed in are
 * overwritten by the updates.
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
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            return norm;                                                   // a NaN update would poison every weight
        }
        double scale = maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1.0;
        step++;
        for (Map.Entry<String, INDArray> e : params.asMap().entrySet()) {
            INDArray g = grads.get(e.getKey());
            if (g == null) {
                continue;                                                  // checked by the callers
            }
            INDArray u = scale != 1.0 ? g.muli(scale) : g;                 // becomes the update
            // m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, u = lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)
            Nd4j.exec(new AdamUpdater(u, v.get(e.getKey()), m.get(e.getKey()), lr, BETA1, BETA2, EPSILON,
                    Math.toIntExact(step - 1)));                           // its iteration counts from 0
            e.getValue().subi(u.reshape(e.getValue().shape()));
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

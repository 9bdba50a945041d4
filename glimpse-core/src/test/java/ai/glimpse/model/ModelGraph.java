package ai.glimpse.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A SameDiff graph under construction together with the parameters it reads. The first use of a
 * parameter makes it a graph variable that shares the {@link ParameterSet}'s array, so updates made
 * to either are seen by both.
 */
public final class ModelGraph {
    private final SameDiff sd;
    private final ParameterSet params;
    private final DataType type;

    public ModelGraph(ParameterSet params, DataType type) {
        this.sd = SameDiff.create();
        this.params = params;
        this.type = type;
    }

    public SameDiff sd() {
        return sd;
    }

    public DataType type() {
        return type;
    }

    public ParameterSet params() {
        return params;
    }

    /** The graph variable of the named parameter, created on first use. */
    public SDVariable param(String name) {
        if (sd.hasVariable(name)) {
            return sd.getVariable(name);
        }
        SDVariable v = sd.var(name, params.get(name));
        params.put(name, v.getArr());
        return v;
    }

    /** A placeholder of the graph's floating type. */
    public SDVariable input(String name, long... shape) {
        return sd.placeHolder(name, type, shape);
    }

    /** x [N, in] times the named matrix [in, out] plus the named bias [out]: [N, out]. */
    public SDVariable linear(SDVariable x, String weight, String bias) {
        SDVariable y = x.mmul(param(weight));                  // [N, out]
        return bias == null ? y : y.add(param(bias));          // [N, out], bias broadcast over rows
    }
}

package ai.glimpse.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model's trainable tensors by name, in a fixed order. Initialisation draws from a Java
 * {@link SplittableRandom}, so the same seed gives the same weights on every machine and backend.
 */
public final class ParameterSet {
    static {
        ai.glimpse.NativeBackend.configure();                          // before ND4J loads its native library
    }

    private final Map<String, INDArray> arrays = new LinkedHashMap<>();

    /** Adds a tensor drawn uniformly from [-scale, scale] (scale 0 gives zeros). */
    public INDArray addUniform(String name, double scale, SplittableRandom rng, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = scale == 0 ? 0f : (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return put(name, Nd4j.create(values, shape, 'c'));
    }

    /** Adds a weight matrix with Glorot/Xavier uniform scale sqrt(6 / (fanIn + fanOut)). */
    public INDArray addXavier(String name, SplittableRandom rng, long fanIn, long fanOut, long... shape) {
        return addUniform(name, Math.sqrt(6.0 / (fanIn + fanOut)), rng, shape);
    }

    /** Adds a tensor filled with one value (biases). */
    public INDArray addConstant(String name, double value, long... shape) {
        return put(name, Nd4j.valueArrayOf(shape, value, DataType.FLOAT));
    }

    /** Adds or replaces a tensor as it is (no copy). */
    public INDArray put(String name, INDArray array) {
        arrays.put(name, array);
        return array;
    }

    public INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return a;
    }

    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    public Map<String, INDArray> asMap() {
        return Collections.unmodifiableMap(arrays);
    }

    /** Number of scalar parameters. */
    public long count() {
        return arrays.values().stream().mapToLong(INDArray::length).sum();
    }

    /** A deep copy in the given data type (double precision for gradient checks). */
    public ParameterSet copy(DataType type) {
        ParameterSet copy = new ParameterSet();
        arrays.forEach((k, v) -> copy.put(k, v.castTo(type).dup()));
        return copy;
    }
}

package ai.glimpse.model;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;
import static org.bytedeco.hdf5.global.hdf5.H5S_SCALAR;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Writes what {@code keras.applications.VGG16(include_top=False, weights=None)} saves with {@code
 * model.save("x.h5")} in Keras 2.2: the functional model's JSON in the root attribute {@code
 * model_config}, and each layer's weights under {@code model_weights/<layer>/<layer>/kernel:0} and
 * {@code bias:0} (kernels [3, 3, in, out], channels last), strings stored fixed-length as h5py stores
 * bytes. Weights are random (He-scaled) so that tests can compare activations.
 */
final class KerasVgg16File {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[][] BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    /** The weights written, by layer name: {@code kernel} [3, 3, in, out] and {@code bias} [out], row-major. */
    final Map<String, float[][]> weights = new java.util.LinkedHashMap<>();

    /** Writes the file for {@code side}-pixel inputs ({@code side} 0: any size, as Keras's default). */
    void write(Path file, int side, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ArrayNode layers = JSON.createArrayNode();
        ArrayNode dims = JSON.createArrayNode().addNull();
        if (side > 0) {
            dims.add(side).add(side);
        } else {
            dims.addNull().addNull();
        }
        dims.add(3);
        ObjectNode inputConfig = JSON.createObjectNode().put("name", "input_1").put("dtype", "float32").put("sparse", false);
        inputConfig.set("batch_input_shape", dims);
        layers.add(layer("InputLayer", "input_1", inputConfig, null));
        String previous = "input_1";
        int in = 3;
        for (int b = 0; b < BLOCKS.length; b++) {
            for (int c = 0; c < BLOCKS[b].length; c++) {
                String name = "block" + (b + 1) + "_conv" + (c + 1);
                int out = BLOCKS[b][c];
                layers.add(layer("Conv2D", name, conv(name, out), previous));
                float[] kernel = new float[9 * in * out];
                double scale = Math.sqrt(2.0 / (9 * in));
                for (int i = 0; i < kernel.length; i++) {
                    kernel[i] = (float) (scale * (2 * rng.nextDouble() - 1) * Math.sqrt(3));
                }
                float[] bias = new float[out];
                for (int i = 0; i < out; i++) {
                    bias[i] = (float) (0.1 * (rng.nextDouble() - 0.5));
                }
                weights.put(name, new float[][] {kernel, bias, {in, out}});
                previous = name;
                in = out;
            }
            String pool = "block" + (b + 1) + "_pool";
            ObjectNode poolConfig = JSON.createObjectNode().put("name", pool).put("trainable", true)
                    .put("padding", "valid").put("data_format", "channels_last");
            poolConfig.set("pool_size", JSON.createArrayNode().add(2).add(2));
            poolConfig.set("strides", JSON.createArrayNode().add(2).add(2));
            layers.add(layer("MaxPooling2D", pool, poolConfig, previous));
            previous = pool;
        }
        ObjectNode config = JSON.createObjectNode().put("name", "vgg16");
        config.set("layers", layers);
        config.set("input_layers", JSON.createArrayNode().add(JSON.createArrayNode().add("input_1").add(0).add(0)));
        config.set("output_layers", JSON.createArrayNode().add(JSON.createArrayNode().add(previous).add(0).add(0)));
        ObjectNode model = JSON.createObjectNode().put("class_name", "Model");
        model.set("config", config);
        model.put("keras_version", "2.2.4").put("backend", "tensorflow");

        H5File h5 = new H5File(file.toString(), H5F_ACC_TRUNC);
        try {
            stringAttribute(h5, "keras_version", List.of("2.2.4"));
            stringAttribute(h5, "backend", List.of("tensorflow"));
            stringAttribute(h5, "model_config", List.of(model.toString()));
            Group root = h5.createGroup("model_weights");
            stringAttribute(root, "keras_version", List.of("2.2.4"));
            stringAttribute(root, "backend", List.of("tensorflow"));
            stringAttribute(root, "layer_names", new ArrayList<>(weights.keySet()));
            for (Map.Entry<String, float[][]> e : weights.entrySet()) {
                String name = e.getKey();
                Group group = root.createGroup(name);
                stringAttribute(group, "weight_names", List.of(name + "/kernel:0", name + "/bias:0"));
                Group inner = group.createGroup(name);
                long[] kernelDims = {3, 3, (long) e.getValue()[2][0], (long) e.getValue()[2][1]};
                dataset(inner, "kernel:0", kernelDims, e.getValue()[0]);
                dataset(inner, "bias:0", new long[] {kernelDims[3]}, e.getValue()[1]);
                inner.deallocate();
                group.deallocate();
            }
            root.deallocate();
        } finally {

            h5.deallocate();
        }
    }

    private static ObjectNode layer(String className, String name, ObjectNode config, String input) {
        ObjectNode layer = JSON.createObjectNode().put("name", name).put("class_name", className);
        layer.set("config", config);
        ArrayNode inbound = JSON.createArrayNode();
        if (input != null) {
            inbound.add(JSON.createArrayNode().add(JSON.createArrayNode().add(input).add(0).add(0).add(JSON.createObjectNode())));
        }
        layer.set("inbound_nodes", inbound);
        return layer;
    }

    private static ObjectNode conv(String name, int filters) {
        ObjectNode c = JSON.createObjectNode().put("name", name).put("trainable", true).put("filters", filters)
                .put("padding", "same").put("data_format", "channels_last").put("activation", "relu").put("use_bias", true);
        c.set("kernel_size", JSON.createArrayNode().add(3).add(3));
        c.set("strides", JSON.createArrayNode().add(1).add(1));
        c.set("dilation_rate", JSON.createArrayNode().add(1).add(1));
        ObjectNode init = JSON.createObjectNode().put("class_name", "VarianceScaling");
        init.set("config", JSON.createObjectNode().put("scale", 1.0).put("mode", "fan_avg").put("distribution", "uniform").putNull("seed"));
        c.set("kernel_initializer", init);
        c.set("bias_initializer", JSON.createObjectNode().put("class_name", "Zeros").set("config", JSON.createObjectNode()));
        c.putNull("kernel_regularizer").putNull("bias_regularizer").putNull("activity_regularizer")
                .putNull("kernel_constraint").putNull("bias_constraint");
        return c;
    }

    /** A fixed-length string attribute: a scalar for one value, else a 1-D array (h5py's layout for bytes). */
    private static void stringAttribute(Group target, String name, List<String> values) {
        int length = 1;
        for (String v : values) {
            length = Math.max(length, v.getBytes(StandardCharsets.UTF_8).length);
        }
        byte[] packed = new byte[length * values.size()];
        for (int i = 0; i < values.size(); i++) {
            byte[] b = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, packed, i * length, b.length);
        }
        StrType type = new StrType(PredType.C_S1(), length);
        DataSpace space = values.size() == 1 ? new DataSpace(H5S_SCALAR) : new DataSpace(1, new long[] {values.size()});
        Attribute attribute = target.createAttribute(name, type, space);
        attribute.write(type, new BytePointer(packed));
        attribute.deallocate();
        space.deallocate();
        type.deallocate();
    }

    private static void dataset(Group group, String name, long[] dims, float[] values) {
        DataSpace space = new DataSpace(dims.length, dims);
        DataSet set = group.createDataSet(name, PredType.NATIVE_FLOAT(), space);
        set.write(new FloatPointer(values), PredType.NATIVE_FLOAT());
        set.deallocate();
        space.deallocate();
    }
}

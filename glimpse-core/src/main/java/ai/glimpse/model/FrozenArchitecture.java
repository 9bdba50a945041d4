package ai.glimpse.model;

import ai.glimpse.InputException;
import ai.glimpse.config.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * The pretrained CNNs a frozen encoder can be, and where each is cut: VGG16 (Simonyan and Zisserman
 * 2015) after conv5_3 and its ReLU, the layer Show, Attend and Tell uses (14 x 14 x 512 at 224 px);
 * ResNet-50 (He et al. 2016) after the last residual block (7 x 7 x 2048 at 224 px; the DL4J zoo's
 * variant gives 4 x 4 at 224 and 7 x 7 at 448). The cut is found by structure, not by layer names, so
 * DL4J zoo graphs and Keras imports (whose names differ) both work.
 */
public enum FrozenArchitecture {
    VGG16("VGG16", 512, 16),
    RESNET50("ResNet-50", 2048, 32);

    private static final List<Long> VGG16_CHANNELS =
            List.of(64L, 64L, 128L, 128L, 256L, 256L, 256L, 512L, 512L, 512L, 512L, 512L, 512L);
    private static final int RESNET50_CONVOLUTIONS = 53;

    private final String title;
    private final int featureDim;
    private final int sizeStep;

    FrozenArchitecture(String title, int featureDim, int sizeStep) {
        this.title = title;
        this.featureDim = featureDim;
        this.sizeStep = sizeStep;
    }

    /** The frozen architecture of a model configuration's encoder. */
    public static FrozenArchitecture of(ModelConfig.Encoder encoder) {
        return switch (encoder) {
            case VGG16 -> VGG16;
            case RESNET50 -> RESNET50;
            case SMALL -> throw new IllegalArgumentException("the small encoder is not a frozen one");
        };
    }

    /** The name used on the command line and in cache keys: {@code vgg16}, {@code resnet50}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** D, channels of the feature map. */
    public int featureDim() {
        return featureDim;
    }

    /**
     * The image sizes this architecture takes: positive multiples of {@code 16} (VGG16: a 16-times
     * smaller map) or {@code 32} (ResNet-50: 32 times smaller in He et al.'s network and Keras's, but 64
     * times, rounded up, in the DL4J zoo's, whose first residual stage also halves the map).
     */
    public int sizeStep() {
        return sizeStep;
    }

    /**
     * Checks that square images of {@code imageSize} pixels suit this architecture.
     *
     * @throws InputException when the size is not a positive multiple of {@link #sizeStep()}
     */
    public void requireImageSize(int imageSize) {
        if (imageSize < sizeStep || imageSize % sizeStep != 0) {
            throw new InputException(label() + " needs an image size that is a multiple of " + sizeStep + " (e.g. "
                    + 14 * 16 + " or " + 14 * 32 + "), got " + imageSize);
        }
    }

    /**
     * The vertex whose output is this architecture's feature map.
     *
     * @param source the weights file, for messages
     * @throws InputException when the graph is not this architecture
     */
    String featureVertex(ComputationGraphConfiguration conf, String source) {
        List<String> order = conf.getTopologicalOrderStr();
        Map<String, GraphVertex> vertices = conf.getVertices();
        List<String> convs = order.stream().filter(v -> layer(vertices.get(v)) instanceof ConvolutionLayer c
                && c.getClass() == ConvolutionLayer.class).toList();
        List<Long> channels = convs.stream().map(v -> ((ConvolutionLayer) layer(vertices.get(v))).getNOut()).toList();
        String found = "found " + convs.size() + " convolution layers";
        return switch (this) {
            case VGG16 -> {
                if (!channels.equals(VGG16_CHANNELS)) {
                    throw wrong(source, convs.size() == VGG16_CHANNELS.size()
                            ? "convolution channels " + join(channels) + ", VGG16 has " + join(VGG16_CHANNELS)
                            : found + ", VGG16 has " + VGG16_CHANNELS.size());
                }
                yield afterRelu(conf, convs.get(convs.size() - 1), source);
            }
            case RESNET50 -> {
                if (convs.size() != RESNET50_CONVOLUTIONS || channels.get(convs.size() - 1) != featureDim) {
                    throw wrong(source, found + (convs.isEmpty() ? "" : " ending with " + channels.get(convs.size() - 1)
                            + " channels") + ", ResNet-50 has " + RESNET50_CONVOLUTIONS + " ending with " + featureDim);
                }
                String lastAdd = null;
                for (String v : order) {
                    if (vertices.get(v) instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add) {
                        lastAdd = v;
                    }
                }
                if (lastAdd == null) {
                    throw wrong(source, "no residual additions");
                }
                yield afterRelu(conf, lastAdd, source);
            }
        };
    }

    /** {@code vertex} if it ends in a ReLU, else its only consumer when that is a ReLU layer. */
    private String afterRelu(ComputationGraphConfiguration conf, String vertex, String source) {
        IActivation own = activation(layer(conf.getVertices().get(vertex)));
        if (own instanceof ActivationReLU) {
            return vertex;
        }
        List<String> consumers = new ArrayList<>();
        conf.getVertexInputs().forEach((v, inputs) -> {
            if (inputs.contains(vertex)) {
                consumers.add(v);
            }
        });
        if ((own == null || own instanceof ActivationIdentity) && consumers.size() == 1
                && layer(conf.getVertices().get(consumers.get(0))) instanceof ActivationLayer a
                && a.getActivationFn() instanceof ActivationReLU) {
            return consumers.get(0);
        }
        throw wrong(source, "no ReLU after " + vertex);
    }

    private InputException wrong(String source, String why) {
        return new InputException("weights file " + source + ": not a " + title + " (" + why + ")");
    }

    private static Layer layer(GraphVertex v) {
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    private static IActivation activation(Layer layer) {
        return layer instanceof BaseLayer b ? b.getActivationFn() : null;
    }

    private static String join(List<Long> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}

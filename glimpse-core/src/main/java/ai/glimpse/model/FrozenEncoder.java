package ai.glimpse.model;

import ai.glimpse.InputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pretrained CNN used as a fixed feature extractor, as in Show, Attend and Tell (Xu et al. 2015,
 * 3.1.1: "features extracted from a lower convolutional layer"): the DL4J graph is cut at the
 * architecture's feature layer ({@link FrozenArchitecture}), so the classifier head is neither kept nor
 * computed, and it only ever runs in inference mode. An image becomes L = G x G regions (row-major,
 * region {@code y * G + x}) of D channels.
 *
 * <p>Input is what {@link ai.glimpse.data.ImageLoader} gives with ImageNet normalisation: RGB, [N, 3,
 * S, S]; it is converted to the weights' {@link InputConvention} and, for graphs that take NHWC (Keras
 * imports), transposed. Instances are safe to share between threads: {@link #encode} runs one batch at
 * a time (each batch already uses every core).
 */
public final class FrozenEncoder {
    private final FrozenArchitecture architecture;
    private final ComputationGraph graph;
    private final String featureVertex;
    private final boolean channelsLast;
    private final int imageSize;
    private final int grid;
    private final InputConvention convention;
    private final String weightsFingerprint;

    private FrozenEncoder(FrozenArchitecture architecture, ComputationGraph graph, String featureVertex,
            boolean channelsLast, int imageSize, int grid, InputConvention convention, String weightsFingerprint) {
        this.architecture = architecture;
        this.graph = graph;
        this.featureVertex = featureVertex;
        this.channelsLast = channelsLast;
        this.imageSize = imageSize;
        this.grid = grid;
        this.convention = convention;
        this.weightsFingerprint = weightsFingerprint;
    }

    /**
     * Loads a pretrained network from a DL4J model zip or a Keras .h5 file and cuts it, for images of
     * {@code imageSize} pixels in the Caffe convention the zoo's and Keras's VGG16 and ResNet-50 expect.
     *
     * @throws InputException naming the file when it is missing, unreadable, of an unknown format or
     *                        not this architecture, or when the size does not suit the architecture
     */
    public static FrozenEncoder load(FrozenArchitecture architecture, Path weights, int imageSize) {
        return load(architecture, weights, imageSize, InputConvention.CAFFE);
    }

    /** As {@link #load(FrozenArchitecture, Path, int)}, for weights trained on another input convention. */
    public static FrozenEncoder load(FrozenArchitecture architecture, Path weights, int imageSize,
            InputConvention convention) {
        architecture.requireImageSize(imageSize);               // refuse a bad size before the slow part
        ComputationGraph full = EncoderWeights.read(weights);
        return of(architecture, full, imageSize, convention, EncoderWeights.fingerprint(weights), weights.toString());
    }

    /**
     * Cuts a network already in memory (e.g. a zoo model).
     *
     * @param weightsFingerprint what identifies the weights in feature-cache keys
     * @param source             names the network in messages
     */
    public static FrozenEncoder of(FrozenArchitecture architecture, ComputationGraph full, int imageSize,
            InputConvention convention, String weightsFingerprint, String source) {
        Objects.requireNonNull(convention, "convention");
        Objects.requireNonNull(weightsFingerprint, "weightsFingerprint");
        architecture.requireImageSize(imageSize);
        if (full.getConfiguration().getNetworkInputs().size() != 1) {
            throw new InputException("weights file " + source + ": a network with "
                    + full.getConfiguration().getNetworkInputs().size() + " inputs, expected one image input");
        }
        String vertex = architecture.featureVertex(full.getConfiguration(), source);
        ComputationGraph cut = GraphCut.cut(full, vertex);
        boolean nhwc = channelsLast(cut);
        int grid = gridSize(cut, vertex, imageSize, nhwc, architecture, source);
        return new FrozenEncoder(architecture, cut, vertex, nhwc, imageSize, grid, convention, weightsFingerprint);
    }

    /** The side of the feature map the cut graph makes from {@code size}-pixel images, by shape inference. */
    private static int gridSize(ComputationGraph cut, String vertex, int size, boolean nhwc,
            FrozenArchitecture architecture, String source) {
        InputType in = InputType.convolutional(size, size, 3, nhwc ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
        InputType out;
        try {
            out = cut.getConfiguration().clone().getLayerActivationTypes(false, in).get(vertex);
        } catch (RuntimeException e) {
            throw new InputException("weights file " + source + ": " + architecture.label() + " cannot take " + size
                    + " px images (" + e.getMessage() + ")", e);
        }
        if (!(out instanceof InputType.InputTypeConvolutional map) || map.getHeight() != map.getWidth()
                || map.getHeight() < 1 || map.getChannels() != architecture.featureDim()) {
            throw new InputException("weights file " + source + ": " + size + " px images give a feature map of "
                    + out + ", expected a square of " + architecture.featureDim() + " channels");
        }
        return (int) map.getHeight();
    }

    /**
     * A fingerprint of a weights file's content (size and SHA-256) for feature-cache keys.
     *
     * @throws InputException naming the file when it cannot be read
     */
    public static String fingerprint(Path weights) {
        return EncoderWeights.fingerprint(weights);
    }

    /**
     * Encodes a batch of images.
     *
     * @param images {@code n * 3 * S * S} values, [N, 3, S, S], ImageNet-normalised RGB
     * @return {@code n * L * D} values, [N, L, D]
     * @throws InputException when the array does not hold n images of this encoder's size
     */
    public synchronized float[] encode(float[] images, int n) {
        long per = 3L * imageSize * imageSize;
        if (n < 1 || images.length != n * per) {
            throw new InputException(architecture.label() + " encoder: expected " + n + " images of 3 x " + imageSize
                    + " x " + imageSize + " (" + n * per + " values), got " + images.length + " values");
        }
        float[] converted = convention.fromImagenet(images, n, imageSize);             // [N, 3, S, S]
        INDArray input = HostCopy.array(converted, n, 3, imageSize, imageSize);
        if (channelsLast) {
            input = input.permute(0, 2, 3, 1).dup('c');                                 // [N, S, S, 3]
        }
        INDArray map = graph.output(false, input)[0];                                   // [N, D, G, G] or [N, G, G, D]
        long[] want = channelsLast ? new long[] {n, grid, grid, featureDim()} : new long[] {n, featureDim(), grid, grid};
        if (!Arrays.equals(map.shape(), want)) {
            throw new IllegalStateException("the cut " + architecture.label() + " gave " + Arrays.toString(map.shape())
                    + ", expected " + Arrays.toString(want));
        }
        INDArray nhwc = channelsLast ? map : map.permute(0, 2, 3, 1);                   // [N, G, G, D]
        return nhwc.dup('c').data().asFloat();                                           // [N, L, D], L row-major
    }

    public FrozenArchitecture architecture() {
        return architecture;
    }

    /** The cut network: inputs to the feature vertex, nothing past it. */
    public ComputationGraph graph() {
        return graph;
    }

    /** The name of the vertex the graph was cut at. */
    public String featureVertex() {
        return featureVertex;
    }

    /** The architecture and the cut, e.g. {@code vgg16@16}: part of the feature cache's key. */
    public String description() {
        return architecture.label() + "@" + featureVertex;
    }

    public int imageSize() {
        return imageSize;
    }

    /** G, side of the feature map. */
    public int gridSize() {
        return grid;
    }

    /** L = G^2, regions per image. */
    public int regions() {
        return grid * grid;
    }

    /** D, channels per region. */
    public int featureDim() {
        return architecture.featureDim();
    }

    public InputConvention convention() {
        return convention;
    }

    /** Identifies the weights (content hash of the file they came from). */
    public String weightsFingerprint() {
        return weightsFingerprint;
    }

    /** Whether the graph's first spatial layer takes NHWC, as Keras imports of channels-last models do. */
    private static boolean channelsLast(ComputationGraph graph) {
        for (String v : graph.getConfiguration().getTopologicalOrderStr()) {
            GraphVertex vertex = graph.getConfiguration().getVertices().get(v);
            Layer layer = vertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
            CNN2DFormat format = null;
            if (layer instanceof ConvolutionLayer c) {
                format = c.getCnn2dDataFormat();
            } else if (layer instanceof SubsamplingLayer s) {
                format = s.getCnn2dDataFormat();
            } else if (layer instanceof ZeroPaddingLayer z) {
                format = z.getDataFormat();
            }
            if (format != null) {
                return format == CNN2DFormat.NHWC;
            }
        }
        return false;
    }
}

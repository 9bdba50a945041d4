package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@code small} CNN encoder ({@link SmallCnnEncoder}) forward and backward without SameDiff:
 * each conv layer is a 3x3 convolution ({@link Conv3x3}, libnd4j and oneDNN, channels last), then on the
 * Java heap the 2x2 max pooling of a block ({@link MaxPool2x2}), the layer norm ({@link LayerNorm}) and the
 * ReLU ({@link Relu}); the first convolution adds the coordinate channels' term, and the spatial softmax
 * ({@link SpatialSoftmax}) reweights the last map. Channels last makes the final map [N, G, G, D] the
 * features [N, L, D] with regions in row-major order, as the graph's. It reads the model's parameter
 * arrays on every call, so updates made in place between steps are seen; it works in float and in double
 * and inside an ND4J workspace (what it returns lives in the workspace open at the call). On the shapes
 * demo's encoder in float on 2 cores, forward, word loss and backward took 42-64 ms at N = 6 against
 * 245-330 ms for the SameDiff graph, 180-330 ms at N = 32 against 900-1300 ms (a shared machine: best
 * and median runs); the convolutions are about two thirds of it.
 */
public final class EncoderEngine {
    private final ModelConfig c;
    private final ParameterSet params;
    private final Map<DataType, INDArray> coordinates = new EnumMap<>(DataType.class); // [1, S, S, 2] per type
    /** What a forward pass without keep works in; not thread-safe (neither is the engine's caller). */
    private final Scratch scratch = new Scratch(true);

    public EncoderEngine(CaptionModel model) {
        if (!model.takesImages()) {
            throw new IllegalArgumentException("the encoder engine runs the small encoder; this model reads cached features");
        }
        this.c = model.config();
        this.params = model.params();
    }

    /**
     * One conv layer's forward state: its input (the first layer's laid out for {@link Conv3x3#weightGradient}
     * instead), its pooling (blocks), its norm (when the model has it), its ReLU output.
     */
    private record Layer(String name, INDArray input, INDArray planes, MaxPool2x2.Pooled pooled, LayerNorm.Normed normed,
            FeatureMap out) {
    }

    /** A forward pass: the features, and what {@link #backward} reads when the pass was kept. */
    public static final class Pass {
        private final INDArray features;
        private final List<Layer> layers;
        private final SpatialSoftmax.Weighted softmax;

        private Pass(INDArray features, List<Layer> layers, SpatialSoftmax.Weighted softmax) {
            this.features = features;
            this.layers = layers;
            this.softmax = softmax;
        }

        /** [N, L, D], row-major, regions in row-major order of the final map. */
        public INDArray features() {
            return features;
        }
    }

    /**
     * Features of images [N, 3, S, S] in [0, 1]; with {@code keep}, remembers what {@link #backward} needs.
     * Without it (inference) the pass keeps nothing per layer and works in arrays it reuses from call to call
     * ({@link Scratch}): at N = 16 on the shapes demo's encoder, fresh arrays for the convolutions' outputs
     * alone cost 4-5 ms of page faults in the first layer and 1-3 ms in each other one (measured against a
     * kept array, alternated), about a fifth of the pass.
     */
    public Pass forward(INDArray images, boolean keep) {
        int n = checkImages(images);
        int blocks = c.cnnChannels().size();
        int convs = blocks + c.gridConvs();
        List<Layer> layers = keep ? new ArrayList<>(convs) : null;
        Scratch arrays = keep ? Scratch.FRESH : scratch;                   // a kept pass's arrays outlive the call
        FeatureMap centred = centred(images, arrays);                      // [N, S, S, 3]
        INDArray x = centred.copyTo(arrays.nd4j("input", centred));       // [N, S, S, 3]
        FeatureMap a = null;
        for (int i = 0; i < convs; i++) {
            String name = layerName(i);
            INDArray w = param(name + ".W");                               // [3, 3, in, C]
            INDArray y = arrays.nd4j(name + ".conv", x.dataType(), n, x.size(1), x.size(2), w.size(3)); // [N, s, s, C]
            Conv3x3.forward(x, w, param(name + ".b"), y);
            if (i == 0 && c.coordinates()) {
                INDArray term = Conv3x3.forward(coordinates(y.dataType()), param(SmallCnnEncoder.COORD_W), null); // [1, s, s, C_0]
                y.reshape(n, -1).addiRowVector(term.reshape(-1));          // [N, s*s*C_0], the same map for every image
            }
            MaxPool2x2.Pooled pooled = null;
            FeatureMap m;                                                  // [N, s', s', C], s' = s/2 in a block
            if (i < blocks && keep) {
                pooled = MaxPool2x2.forward(y);
                m = pooled.out();
            } else if (i < blocks) {
                m = MaxPool2x2.max(y, arrays.map(name + ".pooled", y.dataType(), n, (int) y.size(1) / 2, (int) y.size(2) / 2, (int) y.size(3)));
            } else {
                m = arrays.map(name + ".map", y.dataType(), n, (int) y.size(1), (int) y.size(2), (int) y.size(3)).readFrom(y);
            }
            LayerNorm.Normed normed = null;
            if (c.cnnLayerNorm() && keep) {
                normed = LayerNorm.forward(m, param(name + ".gain"), param(name + ".shift"));
            } else if (c.cnnLayerNorm()) {
                LayerNorm.apply(m, param(name + ".gain"), param(name + ".shift"));
            }
            a = Relu.forward(normed == null ? m : normed.out());          // [N, s', s', C]
            if (keep && i == 0) {
                FeatureMap xy = c.coordinates() ? FeatureMap.of(coordinates(y.dataType())) : null; // [1, S, S, 2]
                layers.add(new Layer(name, null, Conv3x3.planes(centred, xy), pooled, normed, a)); // planes [3 (+2), S+2, S+2, N]
            } else if (keep) {
                layers.add(new Layer(name, x, null, pooled, normed, a));
            }
            if (i + 1 < convs) {
                x = a.copyTo(arrays.nd4j(name + ".out", a));              // [N, s', s', C], the next layer's input
            }
        }
        SpatialSoftmax.Weighted softmax = c.spatialSoftmax() ? SpatialSoftmax.forward(a) : null;
        FeatureMap out = softmax == null ? a : softmax.out();              // [N, G, G, D]
        INDArray features = out.toNd4j().reshape(n, c.regions(), c.featureDim()); // [N, L, D]
        return new Pass(features, layers, keep ? softmax : null);
    }

    /**
     * Gradients of every encoder parameter ("enc.*", each shaped like its parameter, in the model's order)
     * given dL/dfeatures [N, L, D] for a kept pass.
     */
    public Map<String, INDArray> backward(Pass pass, INDArray dFeatures) {
        if (pass.layers == null) {
            throw new IllegalStateException("the forward pass was not kept");
        }
        int n = (int) pass.features.size(0);
        Map<String, INDArray> grads = new HashMap<>();
        FeatureMap g = FeatureMap.of(dFeatures.reshape(n, c.gridSize(), c.gridSize(), c.featureDim())); // [N, G, G, D]
        if (pass.softmax != null) {
            g = SpatialSoftmax.backward(pass.softmax, g);                   // [N, G, G, D]
        }
        for (int i = pass.layers.size() - 1; i >= 0; i--) {
            Layer layer = pass.layers.get(i);
            g = Relu.backward(layer.out(), g);                              // [N, s', s', C]
            if (layer.normed() != null) {
                LayerNorm.Gradients ng = LayerNorm.backward(layer.normed(), g, param(layer.name() + ".gain"));
                grads.put(layer.name() + ".gain", ng.gain());              // [C]
                grads.put(layer.name() + ".shift", ng.shift());            // [C]
                g = ng.input();                                             // [N, s', s', C]
            }
            if (i == 0) {
                firstLayer(layer, g, grads);
                break;
            }
            INDArray dy = layer.pooled() != null ? MaxPool2x2.backward(layer.pooled(), g, false) : g.toNd4j(); // [N, s, s, C]
            Conv3x3.Gradients cg = Conv3x3.backward(layer.input(), param(layer.name() + ".W"), param(layer.name() + ".b"), dy);
            grads.put(layer.name() + ".W", cg.weight());                   // [3, 3, in, C]
            grads.put(layer.name() + ".b", cg.bias());                     // [C]
            g = FeatureMap.of(cg.input());                                  // [N, s, s, in], the previous layer's output
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : params.names()) {
            if (name.startsWith("enc.")) {
                INDArray grad = grads.get(name);
                if (grad == null) {
                    throw new IllegalStateException("no gradient for " + name);
                }
                ordered.put(name, grad);
            }
        }
        return ordered;
    }

    /** The first layer's weight and bias gradients (and the coordinate channels') from dL/d(pooled map) g [N, S/2, S/2, C_0]. */
    private void firstLayer(Layer layer, FeatureMap g, Map<String, INDArray> grads) {
        INDArray dy = MaxPool2x2.backward(layer.pooled(), g, true);       // [S, S, N, C_0], by position
        INDArray dw = Conv3x3.weightGradient(layer.planes(), dy);         // [3, 3, 3 (+2), C_0]
        if (c.coordinates()) {
            grads.put(layer.name() + ".W", inputs(dw, 0, 3));              // [3, 3, 3, C_0]
            grads.put(SmallCnnEncoder.COORD_W, inputs(dw, 3, 5));          // [3, 3, 2, C_0]
        } else {
            grads.put(layer.name() + ".W", dw);                            // [3, 3, 3, C_0]
        }
        grads.put(layer.name() + ".b", g.sumPerChannel());                 // [C_0]: each pooled gradient reaches one cell
    }

    /** Input channels [from, to) of weights w [3, 3, in, out], a row-major copy. */
    private static INDArray inputs(INDArray w, int from, int to) {
        return w.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }

    private String layerName(int i) {
        int blocks = c.cnnChannels().size();
        return i < blocks ? "enc.conv" + i : "enc.grid" + (i - blocks);
    }

    private INDArray param(String name) {
        return params.get(name);
    }

    private int checkImages(INDArray images) {
        int s = c.imageSize();
        if (images.rank() != 4 || images.size(1) != 3 || images.size(2) != s || images.size(3) != s) {
            throw new IllegalArgumentException("images must be [N, 3, " + s + ", " + s + "], got "
                    + java.util.Arrays.toString(images.shape()));
        }
        DataType weights = param(layerName(0) + ".W").dataType();
        if (images.dataType() != weights) {
            throw new IllegalArgumentException("images are " + images.dataType() + " but the weights " + weights);
        }
        return (int) images.size(0);
    }

    /**
     * x - 0.5 of images [N, 3, S, S], channels last: [N, S, S, 3] on the heap (oneDNN's convolution gave
     * wrong results here for a permuted view of the images, and ND4J's strided subtraction took 3 ms at N = 6),
     * in {@code arrays}.
     */
    private static FeatureMap centred(INDArray images, Scratch arrays) {
        int n = (int) images.size(0);
        int s = (int) images.size(2);
        DataType type = images.dataType();
        FeatureMap planes = arrays.map("images", type, n, 3, s, s).readFrom(images); // [N, 3, S, S] read as N maps of 3 rows
        FeatureMap x = arrays.map("centred", type, n, s, s, 3);            // [N, S, S, 3]
        planes.eachImage(image -> {
            for (int ch = 0; ch < 3; ch++) {
                for (int r = 0; r < s; r++) {
                    int from = planes.at(image, ch, r);                    // images[image, ch, r, 0]
                    for (int q = 0; q < s; q++) {
                        x.set(x.at(image, r, q) + ch, planes.get(from + q) - 0.5);
                    }
                }
            }
        });
        return x;
    }

    /** The coordinate channels [1, S, S, 2] in this type, made once outside any workspace. */
    private INDArray coordinates(DataType type) {
        return coordinates.computeIfAbsent(type, t -> {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return SmallCnnEncoder.coordinateChannels(c.imageSize()).castTo(t).permute(0, 2, 3, 1).dup('c'); // [1, S, S, 2]
            }
        });
    }

    /**
     * Where a pass's arrays come from, by name. Reused ones ({@link #reuse}, the inference pass's) serve call
     * after call: each grows to the largest batch asked for and serves smaller ones from its start, its ND4J
     * arrays made outside any workspace. {@link #FRESH} makes new ones every time (in the current workspace,
     * if any), for a kept pass whose arrays the backward pass reads.
     */
    private static final class Scratch {
        static final Scratch FRESH = new Scratch(false);
        private final boolean reuse;
        private final Map<String, INDArray> nd4j = new HashMap<>();
        private final Map<String, Object> heap = new HashMap<>();

        Scratch(boolean reuse) {
            this.reuse = reuse;
        }

        /** A row-major [shape] array: a view at the start of the named ND4J buffer, with whatever it holds, when reused. */
        INDArray nd4j(String name, DataType type, long... shape) {
            if (!reuse) {
                return Nd4j.createUninitialized(type, shape, 'c');
            }
            long size = 1;
            for (long d : shape) {
                size = Math.multiplyExact(size, d);
            }
            INDArray flat = nd4j.get(name);
            if (flat == null || flat.dataType() != type || flat.length() < size) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    flat = Nd4j.createUninitialized(type, new long[] {size}, 'c');
                }
                nd4j.put(name, flat);
            }
            return (flat.length() == size ? flat : flat.get(NDArrayIndex.interval(0, size))).reshape('c', shape);
        }

        /** An ND4J buffer shaped like the map. */
        INDArray nd4j(String name, FeatureMap like) {
            return nd4j(name, like.type(), like.n, like.h, like.w, like.c);
        }

        /** A map [n, h, w, c]: over the start of the named heap array, with whatever it holds, when reused. */
        FeatureMap map(String name, DataType type, int n, int h, int w, int c) {
            if (!reuse) {
                return FeatureMap.zeros(type, n, h, w, c);
            }
            int size = Math.multiplyExact(Math.multiplyExact(n, h), Math.multiplyExact(w, c));
            Object a = heap.get(name);
            if (type == DataType.FLOAT) {
                float[] f = a instanceof float[] fa && fa.length >= size ? fa : new float[size];
                heap.put(name, f);
                return FeatureMap.over(f, null, n, h, w, c);
            }
            if (type != DataType.DOUBLE) {
                throw new IllegalArgumentException("the encoder engine runs in float or double, not " + type);
            }
            double[] d = a instanceof double[] da && da.length >= size ? da : new double[size];
            heap.put(name, d);
            return FeatureMap.over(null, d, n, h, w, c);
        }
    }
}

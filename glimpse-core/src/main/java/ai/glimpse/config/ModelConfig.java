package ai.glimpse.config;

import java.util.List;
import java.util.Locale;

/**
 * The shape of a Show, Attend and Tell model (Xu et al. 2015, soft attention): which encoder makes the
 * feature map, and the sizes of the attention decoder. Saved inside every model bundle.
 *
 * @param encoder        which encoder turns an image into a feature map
 * @param imageSize      side in pixels of the square image the encoder sees, at most {@value #MAX_IMAGE_SIZE}
 * @param cnnChannels    output channels of each conv block of the {@code small} encoder (each block
 *                       halves the side); ignored by the frozen encoders
 * @param gridConvs      3x3 convolutions (same padding, ReLU, featureDim channels) the {@code small}
 *                       encoder adds at the grid's resolution after its blocks: each widens a region's
 *                       receptive field by two cells, so a region sees whole large objects (0 in bundles
 *                       written before this field existed); 0 for the frozen encoders
 * @param cnnLayerNorm   whether each conv layer of the {@code small} encoder normalises its output per
 *                       image over channels and positions (layer norm, Ba et al. 2016) with a learned
 *                       per-channel scale and shift, before its ReLU; the same at training and
 *                       inference (false in bundles written before this field existed)
 * @param spatialSoftmax whether the {@code small} encoder reweights each channel of its last layer by a
 *                       softmax over the regions, times L: a region keeps its response where it is the
 *                       channel's strongest and fades where others are stronger, so the mean over
 *                       regions acts as a soft max pooling and a few object cells are not drowned by the
 *                       background (false in bundles written before this field existed)
 * @param featureDim     D, channels of the feature map (one vector per region)
 * @param gridSize       side of the feature map: L = gridSize^2 regions
 * @param vocabSize      K, number of words including the special tokens
 * @param embedDim       m, word embedding size (also the deep output layer's size)
 * @param hiddenDim      n, LSTM state size
 * @param attentionDim   size of the additive attention's hidden layer
 * @param dropout        dropout probability before the output layer (0 disables it)
 * @param alphaRegularization lambda of the doubly stochastic penalty sum_i (1 - sum_t alpha_ti)^2
 * @param wordLoss       weight of an auxiliary word-detection loss on the {@code small} encoder's regions
 *                       (multiple-instance learning after Fang et al. 2015): each channel is max-pooled over
 *                       the regions, a linear layer scores every vocabulary word from that, and a logistic
 *                       loss asks it to say which words the caption uses. It trains the CNN
 *                       directly from the caption's words, through the few cells an object covers; 0 turns
 *                       it off (0 in bundles written before this field existed, and for frozen encoders)
 * @param contextLoss    weight of an auxiliary loss that asks each step's attended context alone
 *                       (sum_i alpha_ti a_i, before the gate beta) to predict the word the step emits,
 *                       through its own linear layer and softmax: attention is rewarded for looking where
 *                       the word can be seen, meant to make the decoder read an object's shape from the
 *                       object rather than from its memory of the scene (on the shapes demo it did not
 *                       help); 0 turns it off (0 in bundles written before this field existed)
 * @param coordinates    whether the {@code small} encoder's first convolution also reads two constant
 *                       channels, the pixel's column and row scaled to [-1, 1] (CoordConv, Liu et al.
 *                       2018), so a region's feature can say where it is and not only what it holds: the
 *                       decoder can then tell apart objects that look alike and keep track of the ones it
 *                       has described (false in bundles written before this field existed)
 * @param coverage       whether attention also reads how much each region has been attended so far, the running
 *                       sum of the past steps' weights (the coverage vector of Tu et al. 2016):
 *                       e_ti = w^T tanh(W_a a_i + W_h h_{t-1} + u sum_{s<t} alpha_si), so the decoder can
 *                       tell the objects it has described from those it has not (false in bundles written
 *                       before this field existed)
 * @param maxLength      longest caption in words (the decoder runs maxLength + 1 steps, for {@code <end>}),
 *                       at most {@value #MAX_LENGTH}
 */
public record ModelConfig(
        Encoder encoder,
        int imageSize,
        List<Integer> cnnChannels,
        int gridConvs,
        boolean cnnLayerNorm,
        boolean spatialSoftmax,
        int featureDim,
        int gridSize,
        int vocabSize,
        int embedDim,
        int hiddenDim,
        int attentionDim,
        double dropout,
        double alphaRegularization,
        double wordLoss,
        double contextLoss,
        boolean coordinates,
        boolean coverage,
        int maxLength) {

    /** The closed set of encoders. */
    public enum Encoder {
        SMALL, VGG16, RESNET50;

        public static Encoder parse(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown encoder '" + name + "' (expected small, vgg16 or resnet50)");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The longest caption a model may be configured for: COCO's longest captions have about 50 words, and
     * decoding keeps an attention map per step for every beam of every image.
     */
    public static final int MAX_LENGTH = 500;
    /**
     * The widest layer a model may have (feature, embedding, hidden, attention dims, conv channels): at
     * 4096 the LSTM's weights alone are 0.8 GB, four times that with their gradient and Adam's moments.
     */
    public static final int MAX_WIDTH = 4096;
    /** The largest image side a model may take: the most the image loader makes ({@code ImageOptions.MAX_SIZE}). */
    public static final int MAX_IMAGE_SIZE = 4096;

    public ModelConfig {
        cnnChannels = List.copyOf(cnnChannels);
        positive("image size", imageSize);
        if (imageSize > MAX_IMAGE_SIZE) {
            throw new IllegalArgumentException("image size must be at most " + MAX_IMAGE_SIZE + " pixels, got " + imageSize);
        }
        if (encoder == Encoder.SMALL && !cnnChannels.isEmpty()) {
            requireWholeGrid(imageSize, cnnChannels.size());
        }
        within("feature dim", featureDim, MAX_WIDTH);
        positive("grid size", gridSize);
        within("embedding dim", embedDim, MAX_WIDTH);
        within("hidden dim", hiddenDim, MAX_WIDTH);
        within("attention dim", attentionDim, MAX_WIDTH);
        positive("max length", maxLength);
        if (maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("max length must be at most " + MAX_LENGTH + " words, got " + maxLength);
        }
        if (gridConvs < 0 || gridConvs > 0 && encoder != Encoder.SMALL) {
            throw new IllegalArgumentException("grid convolutions must be >= 0, and 0 unless the encoder is small; got " + gridConvs);
        }
        if (cnnLayerNorm && encoder != Encoder.SMALL) {
            throw new IllegalArgumentException("layer norm belongs to the small encoder");
        }
        if (spatialSoftmax && encoder != Encoder.SMALL) {
            throw new IllegalArgumentException("the spatial softmax belongs to the small encoder");
        }
        if (!(wordLoss >= 0) || Double.isInfinite(wordLoss)) {
            throw new IllegalArgumentException("word loss weight must be >= 0, got " + wordLoss);
        }
        if (!(contextLoss >= 0) || Double.isInfinite(contextLoss)) {
            throw new IllegalArgumentException("context loss weight must be >= 0, got " + contextLoss);
        }
        if (coordinates && encoder != Encoder.SMALL) {
            throw new IllegalArgumentException("coordinate channels belong to the small encoder");
        }
        if (wordLoss > 0 && encoder != Encoder.SMALL) {
            throw new IllegalArgumentException("the word-detection loss belongs to the small encoder (a frozen encoder does not learn)");
        }
        if (vocabSize < 5) {
            throw new IllegalArgumentException("vocabulary size must be >= 5 (4 special tokens and a word), got " + vocabSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(alphaRegularization >= 0) || Double.isInfinite(alphaRegularization)) {
            throw new IllegalArgumentException("alpha regularization must be >= 0, got " + alphaRegularization);
        }
        if (encoder == Encoder.SMALL) {
            if (cnnChannels.isEmpty()) {
                throw new IllegalArgumentException("the small encoder needs at least one conv block");
            }
            cnnChannels.forEach(c -> within("cnn channels", c, MAX_WIDTH));
            if (cnnChannels.get(cnnChannels.size() - 1) != featureDim) {
                throw new IllegalArgumentException("the last conv block's channels (" + cnnChannels.get(cnnChannels.size() - 1)
                        + ") must equal the feature dim (" + featureDim + ")");
            }
            int side = imageSize >> cnnChannels.size();
            if (side != gridSize || (gridSize << cnnChannels.size()) != imageSize) {
                throw new IllegalArgumentException("image size " + imageSize + " halved " + cnnChannels.size()
                        + " times must give the grid size " + gridSize);
            }
        }
    }

    /** L, the number of regions attention chooses among. */
    public int regions() {
        return gridSize * gridSize;
    }

    /** Decoder steps per caption: the words and {@code <end>}. */
    public int steps() {
        return maxLength + 1;
    }

    /** The {@code small} encoder at the given image size and blocks, with the decoder sizes given. */
    public static ModelConfig small(int imageSize, List<Integer> channels, int vocabSize, int embedDim,
            int hiddenDim, int attentionDim, double dropout, double alphaRegularization, int maxLength) {
        return small(imageSize, channels, 0, false, vocabSize, embedDim, hiddenDim, attentionDim, dropout,
                alphaRegularization, maxLength);
    }

    /** As {@link #small(int, List, int, int, int, int, double, double, int)} with grid convolutions and layer norm. */
    public static ModelConfig small(int imageSize, List<Integer> channels, int gridConvs, boolean layerNorm, int vocabSize,
            int embedDim, int hiddenDim, int attentionDim, double dropout, double alphaRegularization, int maxLength) {
        return small(imageSize, channels, gridConvs, layerNorm, false, vocabSize, embedDim, hiddenDim, attentionDim, dropout,
                alphaRegularization, maxLength);
    }

    /** As {@link #small(int, List, int, boolean, int, int, int, int, double, double, int)} with the spatial softmax. */
    public static ModelConfig small(int imageSize, List<Integer> channels, int gridConvs, boolean layerNorm,
            boolean spatialSoftmax, int vocabSize, int embedDim, int hiddenDim, int attentionDim, double dropout,
            double alphaRegularization, int maxLength) {
        int grid = imageSize >> channels.size();
        return new ModelConfig(Encoder.SMALL, imageSize, channels, gridConvs, layerNorm, spatialSoftmax, channels.get(channels.size() - 1), grid,
                vocabSize, embedDim, hiddenDim, attentionDim, dropout, alphaRegularization, 0, 0, false, false, maxLength);
    }

    /** This configuration with the word-detection loss at weight {@code weight} (0: off). */
    public ModelConfig withWordLoss(double weight) {
        return new ModelConfig(encoder, imageSize, cnnChannels, gridConvs, cnnLayerNorm, spatialSoftmax, featureDim, gridSize,
                vocabSize, embedDim, hiddenDim, attentionDim, dropout, alphaRegularization, weight, contextLoss, coordinates, coverage, maxLength);
    }

    /** This configuration with the context word loss at weight {@code weight} (0: off). */
    public ModelConfig withContextLoss(double weight) {
        return new ModelConfig(encoder, imageSize, cnnChannels, gridConvs, cnnLayerNorm, spatialSoftmax, featureDim, gridSize,
                vocabSize, embedDim, hiddenDim, attentionDim, dropout, alphaRegularization, wordLoss, weight, coordinates, coverage, maxLength);
    }

    /** This configuration with (or without) the small encoder's coordinate channels. */
    public ModelConfig withCoordinates(boolean on) {
        return new ModelConfig(encoder, imageSize, cnnChannels, gridConvs, cnnLayerNorm, spatialSoftmax, featureDim, gridSize,
                vocabSize, embedDim, hiddenDim, attentionDim, dropout, alphaRegularization, wordLoss, contextLoss, on, coverage, maxLength);
    }

    /** This configuration with (or without) the coverage input of attention. */
    public ModelConfig withCoverage(boolean on) {
        return new ModelConfig(encoder, imageSize, cnnChannels, gridConvs, cnnLayerNorm, spatialSoftmax, featureDim, gridSize,
                vocabSize, embedDim, hiddenDim, attentionDim, dropout, alphaRegularization, wordLoss, contextLoss, coordinates, on, maxLength);
    }

    /** A frozen encoder's configuration: its feature map and the decoder sizes given. */
    public static ModelConfig frozen(Encoder encoder, int imageSize, int featureDim, int gridSize, int vocabSize,
            int embedDim, int hiddenDim, int attentionDim, double dropout, double alphaRegularization, int maxLength) {
        return new ModelConfig(encoder, imageSize, List.of(), 0, false, false, featureDim, gridSize, vocabSize, embedDim, hiddenDim,
                attentionDim, dropout, alphaRegularization, 0, 0, false, false, maxLength);
    }

    /** Refuses an image size that {@code blocks} halvings do not bring to a whole grid of at least one cell. */
    private static void requireWholeGrid(int imageSize, int blocks) {
        long multiple = 1L << Math.min(blocks, 40);
        if (imageSize % multiple != 0) {
            long below = imageSize / multiple * multiple;
            throw new IllegalArgumentException("image size " + imageSize + " is not a multiple of " + multiple + ": each of the "
                    + blocks + " conv blocks halves it, and the grid must come out whole (e.g. "
                    + (below > 0 ? below + " or " : "") + (below + multiple) + ")");
        }
    }

    /** Refuses a width outside [1, max]: the weights of wider layers would not fit in memory (or in an array). */
    private static void within(String what, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(what + " must be between 1 and " + max + ", got " + value);
        }
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + value);
        }
    }
}

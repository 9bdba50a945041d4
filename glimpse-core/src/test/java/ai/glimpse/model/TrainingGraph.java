package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The teacher-forced training graph: the step function unrolled over T = maxLength + 1 steps, the
 * masked cross-entropy and the doubly stochastic attention penalty of Xu et al. (eq. 14):
 * loss = -sum_t mask_t log p(y_t) / sum_t mask_t + lambda * mean_b sum_i (1 - sum_t mask_t alpha_ti)^2,
 * plus the weighted word-detection loss of {@link WordDetector} and the weighted {@link ContextWordLoss}
 * when the model has them.
 */
public final class TrainingGraph {
    /** images [N, 3, S, S] in [0, 1] (small encoder): the N distinct images of a batch. */
    public static final String IMAGES = "images";
    /** features [N, L, D] (frozen encoders) of the N distinct images of a batch. */
    public static final String FEATURES = "features";
    /**
     * Which image each caption describes [B, N]: row b is one-hot at caption b's image. A batch holds
     * several captions of an image and encodes it once; the matmul copies its features to each caption
     * (and sums their gradients), so the small CNN runs on N images, not B.
     */
    public static final String IMAGE_OF_CAPTION = "imageOfCaption";
    /** previous words [B, T]: {@code <start>} w1 .. w_{T-1} (int). */
    public static final String INPUTS = "inputs";
    /** words to predict [B, T]: w1 .. {@code <end>} then padding (int). */
    public static final String TARGETS = "targets";
    /** 1 where a target is a word or {@code <end>}, 0 on padding [B, T]. */
    public static final String MASK = "mask";
    /** inverted-dropout multipliers for the deep output [B, T, m]: 0 or 1 / (1 - p). */
    public static final String DROP = "dropMask";
    public static final String LOSS = "loss";
    public static final String CROSS_ENTROPY = "crossEntropy";
    public static final String PENALTY = "alphaPenalty";
    /** The weighted word-detection loss ({@link WordDetector}); 0 when the model has none. */
    public static final String WORD_LOSS = "wordLoss";
    /** The weighted {@link ContextWordLoss}; 0 when the model has none. */
    public static final String CONTEXT_LOSS = "contextLoss";
    public static final String ALPHAS = "alphas";
    public static final String LOGITS = "logits";

    private final ModelGraph graph;
    private final ModelConfig config;
    private final int steps;

    private TrainingGraph(ModelGraph graph, ModelConfig config, int steps) {
        this.graph = graph;
        this.config = config;
        this.steps = steps;
    }

    /** Builds the graph over the model's parameters (shared arrays) in the given precision. */
    public static TrainingGraph build(CaptionModel model, DataType type) {
        return build(model, type, model.config().steps());
    }

    /**
     * The graph unrolled over {@code steps} <= maxLength + 1 steps: for batches whose captions are all
     * shorter, its loss equals the full graph's (the missing steps would be masked out).
     */
    public static TrainingGraph build(CaptionModel model, DataType type, int steps) {
        ModelConfig c = model.config();
        if (steps < 1 || steps > c.steps()) {
            throw new IllegalArgumentException("steps must be in [1, " + c.steps() + "], got " + steps);
        }
        ModelGraph g = new ModelGraph(model.params(), type);
        SameDiff sd = g.sd();
        SDVariable perImage = model.takesImages()
                ? SmallCnnEncoderGraph.encode(g, c, g.input(IMAGES, -1, 3, c.imageSize(), c.imageSize())) // [N, L, D]
                : g.input(FEATURES, -1, c.regions(), c.featureDim());          // [N, L, D]
        SDVariable imageOfCaption = g.input(IMAGE_OF_CAPTION, -1, -1);         // [B, N]
        SDVariable feats = imageOfCaption
                .mmul(perImage.reshape(-1, (long) c.regions() * c.featureDim())) // [B, L*D]
                .reshape(-1, c.regions(), c.featureDim());                     // [B, L, D]
        SDVariable inputs = sd.placeHolder(INPUTS, DataType.INT32, -1, steps); // [B, T]
        SDVariable targets = sd.placeHolder(TARGETS, DataType.INT32, -1, steps); // [B, T]
        SDVariable mask = g.input(MASK, -1, steps);                            // [B, T]

        SDVariable projected = BahdanauAttentionGraph.project(g, c, feats);         // [B, L, A], once per image
        SDVariable embAll = AttentionDecoderGraph.embed(g, c, inputs.reshape(-1))   // [B*T, m]
                .reshape(-1, steps, c.embedDim());                             // [B, T, m]
        SDVariable[] emb = sd.unstack(embAll, 1, steps);                       // T x [B, m]
        AttentionDecoderGraph.State state = AttentionDecoderGraph.initialState(g, c, feats);
        List<SDVariable> deep = new ArrayList<>(steps);
        List<SDVariable> alphas = new ArrayList<>(steps);
        List<SDVariable> contexts = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            AttentionDecoderGraph.Step step = AttentionDecoderGraph.step(g, c, feats, projected, state, emb[t]);
            state = step.state();
            deep.add(step.deepOutput());                                       // [B, m]
            alphas.add(step.alpha());                                          // [B, L]
            contexts.add(step.context());                                      // [B, D]
        }
        SDVariable deepAll = sd.stack(1, deep.toArray(SDVariable[]::new));     // [B, T, m]
        if (c.dropout() > 0) {
            deepAll = deepAll.mul(g.input(DROP, -1, steps, c.embedDim()));     // [B, T, m]
        }
        SDVariable logits = AttentionDecoderGraph.logits(g, deepAll.reshape(-1, c.embedDim())); // [B*T, K]
        logits.rename(LOGITS);
        SDVariable targetOneHot = sd.oneHot(targets.reshape(-1), c.vocabSize(), -1, 1.0, 0.0, type); // [B*T, K]
        SDVariable flatMask = mask.reshape(-1);                                // [B*T]
        SDVariable ce = maskedCrossEntropy(g, logits, targetOneHot, flatMask); // [], mean over real words
        ce.rename(CROSS_ENTROPY);

        SDVariable alphaAll = sd.stack(1, alphas.toArray(SDVariable[]::new));  // [B, T, L]
        alphaAll.rename(ALPHAS);
        SDVariable coverage = alphaAll.mul(sd.expandDims(mask, 2)).sum(1);     // [B, L], sum_t alpha_ti over real steps
        SDVariable penalty = coverage.rsub(1.0).pow(2).sum(1).mean()           // [], mean over images of sum over regions
                .mul(c.alphaRegularization());
        penalty.rename(PENALTY);
        SDVariable words;
        if (c.wordLoss() > 0) {
            SDVariable present = sd.math().sign(targetOneHot.mul(sd.expandDims(flatMask, 1))
                    .reshape(-1, steps, c.vocabSize()).sum(1));                // [B, K], 1 where the caption uses the word
            SDVariable scores = imageOfCaption.mmul(WordDetectorGraph.imageScores(g, perImage)); // [B, K]
            words = WordDetectorGraph.loss(g, scores, present).mul(c.wordLoss());   // []
        } else {
            words = sd.constant(Nd4j.scalar(type, 0.0));                       // []
        }
        words.rename(WORD_LOSS);
        SDVariable context;
        if (c.contextLoss() > 0) {
            SDVariable all = sd.stack(1, contexts.toArray(SDVariable[]::new))  // [B, T, D]
                    .reshape(-1, c.featureDim());                              // [B*T, D]
            context = ContextWordLossGraph.loss(g, all, targetOneHot, flatMask).mul(c.contextLoss()); // []
        } else {
            context = sd.constant(Nd4j.scalar(type, 0.0));                     // []
        }
        context.rename(CONTEXT_LOSS);
        ce.add(penalty).add(words).add(LOSS, context);                         // []
        sd.setLossVariables(LOSS);                                             // the last step's state is unused: name the loss
        return new TrainingGraph(g, c, steps);
    }

    /**
     * -log softmax(logits)[target], averaged over the rows whose mask is 1: logits [N, K], targets one-hot
     * [N, K], mask [N].
     */
    static SDVariable maskedCrossEntropy(ModelGraph g, SDVariable logits, SDVariable targetOneHot, SDVariable mask) {
        SDVariable logProbs = g.sd().nn().logSoftmax(logits);                  // [N, K], 2-D: logSoftmax(x, dim) breaks backprop
        SDVariable picked = logProbs.mul(targetOneHot).sum(1);                 // [N], log p of each target
        return picked.mul(mask).sum().div(mask.sum()).neg();                   // []
    }

    /** The [B, N] one-hot rows of {@link #IMAGE_OF_CAPTION} for captions whose images are {@code imageOf}. */
    public static INDArray imageOfCaption(int[] imageOf, int images, DataType type) {
        INDArray select = Nd4j.zeros(type, imageOf.length, images);
        for (int b = 0; b < imageOf.length; b++) {
            select.putScalar(b, imageOf[b], 1.0);
        }
        return select;
    }

    /** {@link #imageOfCaption} when caption b describes image b. */
    public static INDArray oneCaptionPerImage(int batch, DataType type) {
        return Nd4j.eye(batch).castTo(type);
    }

    public SameDiff sd() {
        return graph.sd();
    }

    public ModelConfig config() {
        return config;
    }

    /** Decoder steps this graph unrolls. */
    public int steps() {
        return steps;
    }

    /** Names of the trainable variables, in parameter order. */
    public List<String> parameterNames() {
        return graph.params().names();
    }
}

package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code small} CNN encoder as a SameDiff graph (libnd4j's convolution and pooling ops, oneDNN on
 * this build), trained by the decoder's gradient: its training loss is sum(features * G) with G =
 * dL/dfeatures from the decoder engine as an input, so SameDiff's backward pass gives G pulled back
 * through the CNN, plus the weighted word-detection loss of {@link WordDetector} when the model has it.
 */
public final class EncoderGraph {
    static final String IMAGES = TrainingGraph.IMAGES;
    static final String FEATS = "enc.features";
    static final String GRAD_IN = "enc.featureGradient";
    static final String IMAGE_OF_CAPTION = TrainingGraph.IMAGE_OF_CAPTION;
    /** [B, K]: 1 where caption b uses word k (its targets on real steps). */
    static final String PRESENT = "enc.present";
    static final String WORD_LOSS = TrainingGraph.WORD_LOSS;
    static final String LOSS = "enc.loss";

    private final SameDiff sd;
    private final List<String> trained;
    private final boolean words;

    public EncoderGraph(CaptionModel model, DataType type) {
        ModelConfig c = model.config();
        if (!model.takesImages()) {
            throw new IllegalArgumentException("only the small encoder is trained with the decoder");
        }
        ModelGraph g = new ModelGraph(model.params(), type);
        this.sd = g.sd();
        SDVariable feats = SmallCnnEncoderGraph.encode(g, c, g.input(IMAGES, -1, 3, c.imageSize(), c.imageSize())); // [N, L, D]
        feats = feats.add(FEATS, 0.0);                                     // [N, L, D], named
        SDVariable pulled = feats.mul(g.input(GRAD_IN, -1, c.regions(), c.featureDim())).sum(); // [], sum(F * G)
        this.words = c.wordLoss() > 0;
        SDVariable wordLoss;
        if (words) {
            SDVariable scores = g.input(IMAGE_OF_CAPTION, -1, -1).mmul(WordDetectorGraph.imageScores(g, feats)); // [B, K]
            wordLoss = WordDetectorGraph.loss(g, scores, g.input(PRESENT, -1, c.vocabSize())).mul(c.wordLoss()); // []
        } else {
            wordLoss = sd.constant(org.nd4j.linalg.factory.Nd4j.scalar(type, 0.0));
        }
        wordLoss.rename(WORD_LOSS);
        pulled.add(LOSS, wordLoss);                                        // []
        sd.setLossVariables(LOSS);
        this.trained = model.params().names().stream().filter(sd::hasVariable).toList();
    }

    /** Features of images [N, 3, S, S]: [N, L, D]. */
    public INDArray features(INDArray images) {
        return sd.output(Map.of(IMAGES, images), FEATS).get(FEATS);
    }

    /** Whether the graph has the word-detection loss (and needs {@link #PRESENT} and the caption map). */
    boolean hasWordLoss() {
        return words;
    }

    /** The encoder's and detectors' parameter names. */
    List<String> trainedParameters() {
        return trained;
    }

    /** Gradients of the encoder's parameters and the weighted word loss, given the placeholders. */
    Map<String, INDArray> backward(Map<String, INDArray> placeholders, double[] wordLossOut) {
        var og = Backprop.outputsAndGradients(sd, placeholders, List.of(WORD_LOSS), trained);
        wordLossOut[0] = og.getOutputs().get(WORD_LOSS).getDouble(0);
        return og.getGradients();
    }
}

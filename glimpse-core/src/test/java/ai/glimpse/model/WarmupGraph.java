package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The encoder's warm-up: the small CNN and its word detectors alone, trained on which words an image's
 * captions use. Without the decoder a step costs a fraction of a captioning step, so the CNN sees many
 * more images per second while it learns what the objects are; the captioning steps then start from
 * features that already tell shapes apart.
 */
public final class WarmupGraph {
    /** Images [N, 3, S, S], N distinct images. */
    public static final String IMAGES = TrainingGraph.IMAGES;
    /** [N, K]: 1 where any caption of image n uses word k. */
    public static final String PRESENT = "present";
    /** The word-detection loss (unweighted), the graph's only output. */
    public static final String LOSS = "warmupLoss";

    private final ModelGraph graph;
    private final List<String> trained;

    private WarmupGraph(ModelGraph graph) {
        this.graph = graph;
        this.trained = graph.params().names().stream().filter(graph.sd()::hasVariable).toList();
    }

    /** The graph of {@code model}, which must have the small encoder and word detectors. */
    public static WarmupGraph build(CaptionModel model, DataType type) {
        ModelConfig c = model.config();
        if (!model.takesImages() || c.wordLoss() <= 0) {
            throw new IllegalArgumentException("the encoder warm-up trains the small encoder's word detectors: it needs the small "
                    + "encoder and a word-loss weight > 0");
        }
        ModelGraph g = new ModelGraph(model.params(), type);
        SDVariable perImage = SmallCnnEncoderGraph.encode(g, c, g.input(IMAGES, -1, 3, c.imageSize(), c.imageSize())); // [N, L, D]
        SDVariable scores = WordDetectorGraph.imageScores(g, perImage);                    // [N, K]
        WordDetectorGraph.loss(g, scores, g.input(PRESENT, -1, c.vocabSize())).rename(LOSS); // []
        return new WarmupGraph(g);
    }

    public SameDiff sd() {
        return graph.sd();
    }

    /** The parameters the warm-up trains: the encoder's and the detectors'. */
    public List<String> trainedParameters() {
        return trained;
    }
}

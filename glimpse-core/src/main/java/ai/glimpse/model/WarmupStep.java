package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One step of the encoder's warm-up: the small CNN and its word detectors alone, trained on which words
 * an image's captions use ({@link WordDetector}). Without the decoder a step costs a fraction of a
 * captioning step, so the CNN sees many more images per second while it learns what the objects are;
 * the captioning steps then start from features that already tell shapes apart.
 */
public final class WarmupStep {
    /** A warm-up batch: N distinct images [N, 3, S, S] and which words their captions use, present [N, K]. */
    public record Batch(INDArray images, INDArray present) {
    }

    /** The unweighted word-detection loss and the gradients of the encoder's and detectors' parameters. */
    public record Result(double loss, Map<String, INDArray> gradients) {
    }

    private final CaptionModel model;
    private final EncoderEngine encoder;
    private final List<String> trained;

    /** A warm-up step of {@code model}, which must have the small encoder and word detectors. */
    public WarmupStep(CaptionModel model) {
        ModelConfig c = model.config();
        if (!model.takesImages() || c.wordLoss() <= 0) {
            throw new IllegalArgumentException("the encoder warm-up trains the small encoder's word detectors: it needs the small "
                    + "encoder and a word-loss weight > 0");
        }
        this.model = model;
        this.encoder = new EncoderEngine(model);
        this.trained = model.params().names().stream()
                .filter(n -> n.startsWith("enc.") || n.equals(WordDetector.W) || n.equals(WordDetector.B)).toList();
    }

    /** The parameters the warm-up trains: the encoder's and the detectors'. */
    public List<String> trainedParameters() {
        return trained;
    }

    /** Loss and gradients of one batch. */
    public Result run(Batch batch) {
        int n = (int) batch.images().size(0);
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        EncoderEngine.Pass pass = encoder.forward(batch.images(), true);
        WordDetector.Detection det = WordDetector.lossAndGradients(model, pass.features(), identity,
                batch.present().castTo(pass.features().dataType()), 1.0);
        Map<String, INDArray> grads = new LinkedHashMap<>(encoder.backward(pass, det.dFeatures()));
        grads.put(WordDetector.W, det.dW());
        grads.put(WordDetector.B, det.dB());
        return new Result(det.loss(), grads);
    }
}

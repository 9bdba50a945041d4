package ai.glimpse.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training step's loss and gradients for a batch in the {@link TrainingGraph} placeholder layout:
 * the small encoder's forward pass (when the model has it), the decoder engine's forward and backward
 * pass, then the encoder's backward pass from the decoder's feature gradient. The same loss as the
 * training graph, computed without SameDiff in the decoder.
 */
public final class TrainingStep {
    /** Loss terms (as the training graph names them) and the gradient of every parameter. */
    public record Result(double loss, double crossEntropy, double penalty, double wordLoss, double contextLoss,
            Map<String, INDArray> gradients) {
    }

    private final CaptionModel model;
    private final TrainingPass pass;
    private final EncoderGraph encoder;

    public TrainingStep(CaptionModel model, DataType type) {
        this.model = model;
        this.pass = new TrainingPass(model, model.takesImages());
        this.encoder = model.takesImages() ? new EncoderGraph(model, type) : null;
    }

    /**
     * Whether a step may run inside an ND4J workspace: the engine may; the small encoder's SameDiff graph
     * may not (its arrays outlive the step inside SameDiff's own session).
     */
    public boolean workspaceSafe() {
        return encoder == null;
    }

    /** Loss and gradients of one batch. */
    public Result run(Map<String, INDArray> ph) {
        INDArray features = encoder == null ? ph.get(TrainingGraph.FEATURES)
                : encoder.features(ph.get(TrainingGraph.IMAGES));        // [N, L, D]
        TrainingPass.Result r = pass.run(batch(ph, features));
        Map<String, INDArray> grads = new LinkedHashMap<>(r.gradients());
        double wordLoss = 0;
        if (encoder != null) {
            Map<String, INDArray> in = new HashMap<>();
            in.put(EncoderGraph.IMAGES, ph.get(TrainingGraph.IMAGES));
            in.put(EncoderGraph.GRAD_IN, r.featureGradient());
            if (encoder.hasWordLoss()) {
                in.put(EncoderGraph.IMAGE_OF_CAPTION, ph.get(TrainingGraph.IMAGE_OF_CAPTION));
                in.put(EncoderGraph.PRESENT, present(ph, model.config().vocabSize(), features.dataType()));
            }
            double[] w = new double[1];
            grads.putAll(encoder.backward(in, w));
            wordLoss = w[0];
        }
        return new Result(r.loss() + wordLoss, r.crossEntropy(), r.penalty(), wordLoss, r.contextLoss(), grads);
    }

    /** The decoder's view of a placeholder map, on the given per-image features. */
    static TrainingPass.Batch batch(Map<String, INDArray> ph, INDArray features) {
        INDArray select = ph.get(TrainingGraph.IMAGE_OF_CAPTION);           // [B, N] one-hot
        int[] imageOf = select.argMax(1).toIntVector();                    // [B]
        int[][] inputs = ph.get(TrainingGraph.INPUTS).toIntMatrix();        // [B, T]
        int[][] targets = ph.get(TrainingGraph.TARGETS).toIntMatrix();      // [B, T]
        INDArray mask = ph.get(TrainingGraph.MASK).castTo(features.dataType()); // [B, T]
        INDArray drop = ph.get(TrainingGraph.DROP);
        return new TrainingPass.Batch(features, imageOf, inputs, targets, mask,
                drop == null ? null : drop.castTo(features.dataType()));
    }

    /** [B, K]: 1 where caption b's targets on real steps include word k. */
    private static INDArray present(Map<String, INDArray> ph, int vocabulary, DataType type) {
        int[][] targets = ph.get(TrainingGraph.TARGETS).toIntMatrix();
        float[][] mask = ph.get(TrainingGraph.MASK).castTo(DataType.FLOAT).toFloatMatrix();
        INDArray out = Nd4j.zeros(type, targets.length, vocabulary);
        for (int b = 0; b < targets.length; b++) {
            for (int s = 0; s < targets[b].length; s++) {
                if (mask[b][s] != 0) {
                    out.putScalar(b, targets[b][s], 1.0);
                }
            }
        }
        return out;
    }
}

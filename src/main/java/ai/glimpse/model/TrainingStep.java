package ai.glimpse.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training step's loss and gradients for a batch: the small encoder's forward pass (when the model has it), the decoder engine's forward and backward
 * pass, then the encoder's backward pass from the decoder's feature gradient. The same loss as the
 * training graph, computed without SameDiff in the decoder.
 */
public final class TrainingStep {
    /**
     * A training batch: {@code input} holds the N distinct images [N, 3, S, S] of the small encoder or
     * their cached features [N, L, D]; caption b describes image imageOf[b]; word ids [B][T] (the
     * previous words, then the words to predict), mask [B, T] (1 on real steps: words and {@code <end>}),
     * inverted-dropout multipliers for the deep output [B, T, m] or null.
     */
    public record Batch(INDArray input, int[] imageOf, int[][] inputs, int[][] targets, INDArray mask, INDArray drop) {
        /** Captions in the batch. */
        public int captions() {
            return imageOf.length;
        }

        /** Decoder steps it unrolls. */
        public int steps() {
            return inputs[0].length;
        }
    }

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
    public Result run(Batch batch) {
        INDArray features = encoder == null ? batch.input() : encoder.features(batch.input()); // [N, L, D]
        TrainingPass.Result r = pass.run(new TrainingPass.Batch(features, batch.imageOf(), batch.inputs(), batch.targets(),
                batch.mask().castTo(features.dataType()), batch.drop() == null ? null : batch.drop().castTo(features.dataType())));
        Map<String, INDArray> grads = new LinkedHashMap<>(r.gradients());
        double wordLoss = 0;
        if (encoder != null) {
            Map<String, INDArray> in = new HashMap<>();
            in.put(EncoderGraph.IMAGES, batch.input());
            in.put(EncoderGraph.GRAD_IN, r.featureGradient());
            if (encoder.hasWordLoss()) {
                in.put(EncoderGraph.IMAGE_OF_CAPTION, TrainingGraph.imageOfCaption(batch.imageOf(),
                        (int) batch.input().size(0), features.dataType()));
                in.put(EncoderGraph.PRESENT, present(batch, model.config().vocabSize(), features.dataType()));
            }
            double[] w = new double[1];
            grads.putAll(encoder.backward(in, w));
            wordLoss = w[0];
        }
        return new Result(r.loss() + wordLoss, r.crossEntropy(), r.penalty(), wordLoss, r.contextLoss(), grads);
    }

    /** [B, K]: 1 where caption b's targets on real steps include word k. */
    private static INDArray present(Batch batch, int vocabulary, DataType type) {
        int[][] targets = batch.targets();
        float[][] mask = batch.mask().castTo(DataType.FLOAT).toFloatMatrix();
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

package ai.glimpse.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training step's loss and gradients for a batch: the small encoder's forward pass when the model has
 * it ({@link EncoderEngine}), the decoder's forward and backward pass ({@link TrainingPass}), the weighted
 * word-detection loss on the encoder's regions ({@link WordDetector}), then the encoder's backward pass
 * from the sum of their feature gradients. Nothing in it runs through SameDiff, and it may run inside an
 * ND4J workspace (what it returns then lives in that workspace).
 */
public final class TrainingStep {
    /**
     * A training batch: {@code input} holds the N distinct images [N, 3, S, S] of the small encoder or
     * their cached features [N, L, D]; caption b describes image imageOf[b]; word ids [B][T] (the
     * previous words, then the words to predict), mask [B, T] (1 on real steps: words and {@code <end>}),
     * inverted-dropout multipliers for the deep output [B, T, m] or null, and the supervision of attention by
     * object boxes ({@link BoxSupervision}, its cells [B, T, L]) or null.
     */
    public record Batch(INDArray input, int[] imageOf, int[][] inputs, int[][] targets, INDArray mask, INDArray drop,
            BoxSupervision boxes) {
        /** A batch without box supervision. */
        public Batch(INDArray input, int[] imageOf, int[][] inputs, int[][] targets, INDArray mask, INDArray drop) {
            this(input, imageOf, inputs, targets, mask, drop, null);
        }

        /** Captions in the batch. */
        public int captions() {
            return imageOf.length;
        }

        /** Decoder steps it unrolls. */
        public int steps() {
            return inputs[0].length;
        }
    }

    /** Loss terms and the gradient of every parameter; {@code boxLoss} is the {@link BoxSupervision} term (0 without boxes). */
    public record Result(double loss, double crossEntropy, double penalty, double wordLoss, double contextLoss,
            Map<String, INDArray> gradients, double boxLoss) {
    }

    private final CaptionModel model;
    private final TrainingPass pass;
    private final EncoderEngine encoder;

    public TrainingStep(CaptionModel model) {
        this.model = model;
        this.pass = new TrainingPass(model, model.takesImages());
        this.encoder = model.takesImages() ? new EncoderEngine(model) : null;
    }

    /** Loss and gradients of one batch. */
    public Result run(Batch batch) {
        EncoderEngine.Pass images = encoder == null ? null : encoder.forward(batch.input(), true);
        INDArray features = images == null ? batch.input() : images.features();                  // [N, L, D]
        DataType type = features.dataType();
        TrainingPass.Result r = pass.run(new TrainingPass.Batch(features, batch.imageOf(), batch.inputs(), batch.targets(),
                batch.mask().castTo(type), batch.drop() == null ? null : batch.drop().castTo(type), batch.boxes()));
        Map<String, INDArray> grads = new LinkedHashMap<>(r.gradients());
        double wordLoss = 0;
        if (encoder != null) {
            INDArray dFeatures = r.featureGradient();                      // [N, L, D]
            if (model.config().wordLoss() > 0) {
                WordDetector.Detection det = WordDetector.lossAndGradients(model, features, batch.imageOf(),
                        present(batch, model.config().vocabSize(), type), model.config().wordLoss());
                dFeatures.addi(det.dFeatures());
                grads.put(WordDetector.W, det.dW());
                grads.put(WordDetector.B, det.dB());
                wordLoss = model.config().wordLoss() * det.loss();
            }
            grads.putAll(encoder.backward(images, dFeatures));
        }
        return new Result(r.loss() + wordLoss, r.crossEntropy(), r.penalty(), wordLoss, r.contextLoss(), grads, r.boxLoss());
    }

    /** [B, K]: 1 where caption b's targets on real steps include word k. */
    private static INDArray present(Batch batch, int vocabulary, DataType type) {
        int[][] targets = batch.targets();
        float[][] mask = batch.mask().castTo(DataType.FLOAT).toFloatMatrix();
        float[] out = new float[targets.length * vocabulary];
        for (int b = 0; b < targets.length; b++) {
            for (int s = 0; s < targets[b].length; s++) {
                if (mask[b][s] != 0) {
                    out[b * vocabulary + targets[b][s]] = 1f;
                }
            }
        }
        return Nd4j.create(out, new long[] {targets.length, vocabulary}, 'c').castTo(type);
    }
}

package ai.glimpse.train;

import java.util.Map;

/**
 * Watches a training run; progress bars, logs, checkpoints and the best-model file are listeners, so
 * the loop itself stays model-agnostic (as minGPT's callbacks and DJL's TrainingListener).
 */
public interface TrainingListener {
    /** One optimiser step's numbers; loss = crossEntropy + penalty + wordLoss + contextLoss. */
    record StepReport(TrainerState state, int stepsPerEpoch, double loss, double crossEntropy, double penalty,
            double wordLoss, double contextLoss, double gradNorm, int batchSize, double seconds) {
    }

    /** One step of the encoder's warm-up (word detection alone on {@code images} distinct images). */
    record WarmupReport(TrainerState state, double loss, double gradNorm, int images, double seconds) {
    }

    /** Before the encoder's warm-up, when the run has one left to do. */
    default void onWarmupStart(TrainerState state, long warmupSteps) {
    }

    default void onWarmupStep(WarmupReport report) {
    }

    /** Before the captioning steps. */
    default void onStart(TrainerState state, int stepsPerEpoch, long totalSteps) {
    }

    default void onStep(StepReport report) {
    }

    /** After a validation; {@code improved} when it set a new best score. */
    default void onValidation(TrainerState state, Map<String, Double> scores, boolean improved) {
    }

    /** When the state should be saved (every few steps, at each epoch's end, and at the end). */
    default void onCheckpoint(TrainerState state, Adam adam) {
    }

    /** When the run ends: its epochs, step limit or patience used up, or stopped because it diverged. */
    default void onEnd(TrainerState state) {
    }
}

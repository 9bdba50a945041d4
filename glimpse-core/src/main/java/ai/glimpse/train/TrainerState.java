package ai.glimpse.train;

/**
 * Where a training run stands: enough, with the weights and Adam's moments, to continue it exactly.
 *
 * @param epoch            the epoch in progress (0-based)
 * @param batch            the next batch of that epoch
 * @param step             optimiser steps taken in all
 * @param learningRate     the current learning rate (after any decay)
 * @param bestScore        the best validation score so far (NaN before the first validation)
 * @param sinceImprovement validations since the best score
 * @param stoppedEarly     whether early stopping ended the run
 * @param warmupStep       encoder warm-up steps taken (they come before the captioning steps and are
 *                         not counted in {@code step}; checkpoints written before warm-ups existed read 0)
 */
public record TrainerState(int epoch, int batch, long step, double learningRate, double bestScore,
        int sinceImprovement, boolean stoppedEarly, long warmupStep) {

    public static TrainerState start(double learningRate) {
        return new TrainerState(0, 0, 0, learningRate, Double.NaN, 0, false, 0);
    }

    TrainerState afterStep() {
        return new TrainerState(epoch, batch + 1, step + 1, learningRate, bestScore, sinceImprovement, stoppedEarly, warmupStep);
    }

    TrainerState nextEpoch() {
        return new TrainerState(epoch + 1, 0, step, learningRate, bestScore, sinceImprovement, stoppedEarly, warmupStep);
    }

    TrainerState withValidation(double best, int since, double lr, boolean stop) {
        return new TrainerState(epoch, batch, step, lr, best, since, stop, warmupStep);
    }

    TrainerState afterWarmupStep() {
        return new TrainerState(epoch, batch, step, learningRate, bestScore, sinceImprovement, stoppedEarly, warmupStep + 1);
    }
}

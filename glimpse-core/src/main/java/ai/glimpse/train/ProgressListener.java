package ai.glimpse.train;

import ai.glimpse.Progress;
import java.util.Locale;
import java.util.Map;

/** Drives a progress bar: step, epoch, smoothed loss and captions per second (images per second in the encoder warm-up); the bar itself gives the ETA. */
public final class ProgressListener implements TrainingListener {
    private final Progress progress;
    private final java.util.function.Consumer<String> log;
    private double smoothLoss = Double.NaN;
    private double smoothRate = Double.NaN;
    private long firstStep;
    private boolean warming;

    /** @param log where one-line validation reports go */
    public ProgressListener(Progress progress, java.util.function.Consumer<String> log) {
        this.progress = progress;
        this.log = log;
    }

    @Override
    public void onWarmupStart(TrainerState state, long warmupSteps) {
        warming = true;
        firstStep = state.warmupStep();
        progress.start("encoder warm-up", warmupSteps - state.warmupStep());
    }

    @Override
    public void onWarmupStep(WarmupReport r) {
        smooth(r.loss(), r.images() / r.seconds());
        progress.advance(r.state().warmupStep() - firstStep, String.format(Locale.ROOT, "word loss %.3f  %.1f img/s",
                smoothLoss, smoothRate));
    }

    @Override
    public void onStart(TrainerState state, int stepsPerEpoch, long totalSteps) {
        if (warming) {
            progress.finish();
            warming = false;
            smoothLoss = Double.NaN;
            smoothRate = Double.NaN;
        }
        firstStep = state.step();
        progress.start("train", totalSteps - state.step());
    }

    @Override
    public void onStep(StepReport r) {
        smooth(r.loss(), r.batchSize() / r.seconds());
        progress.advance(r.state().step() - firstStep, String.format(Locale.ROOT, "epoch %d  loss %.3f  %.1f captions/s",
                r.state().epoch() + 1, smoothLoss, smoothRate));
    }

    /** Folds one step's loss and rate into the running averages the bar shows. */
    private void smooth(double loss, double rate) {
        smoothLoss = Double.isNaN(smoothLoss) ? loss : 0.95 * smoothLoss + 0.05 * loss;
        smoothRate = Double.isNaN(smoothRate) ? rate : 0.9 * smoothRate + 0.1 * rate;
    }

    @Override
    public void onValidation(TrainerState state, Map<String, Double> scores, boolean improved) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d validation:", state.epoch() + 1));
        scores.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        sb.append(improved ? " (best so far)" : String.format(Locale.ROOT, " (best %.4f; lr %.2g)", state.bestScore(),
                state.learningRate()));
        log.accept(sb.toString());
    }

    @Override
    public void onEnd(TrainerState state) {
        progress.finish();
    }
}

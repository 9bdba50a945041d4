package ai.glimpse.train;

import ai.glimpse.InputException;
import ai.glimpse.config.TrainConfig;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.TrainingStep;
import ai.glimpse.model.WarmupStep;
import ai.glimpse.model.Workspace;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The training loop: teacher-forced batches, gradients from the engine ({@link TrainingStep}, inside an ND4J
 * workspace, so a step allocates no native memory once the first has sized it), Adam with clipping,
 * validation by
 * decoding at each epoch's end, learning-rate decay and early stopping on the validation score; before
 * them, when configured, the small encoder's warm-up on word detection alone. A loss, gradient norm or
 * weight that stops being finite ends the run with {@link Diverged}, before anything non-finite is saved. Our
 * own loop because SameDiff's {@code fit()} reports a loss of 0 in 1.0.0-M2.1.
 */
public final class Trainer {
    private final TrainConfig config;
    private final CaptionModel model;
    private final Batches batches;
    private final Validator validator;
    private final List<TrainingListener> listeners;
    private final TrainingStep step;
    private TrainerState lastCheckpoint;                                   // saved by this run; null before the first

    public Trainer(TrainConfig config, CaptionModel model, Batches batches, Validator validator,
            List<TrainingListener> listeners) {
        this.config = config;
        this.model = model;
        this.batches = batches;
        this.validator = validator;
        this.listeners = List.copyOf(listeners);
        this.step = new TrainingStep(model);
    }

    /**
     * Runs from {@code state} (fresh or resumed) until the epochs, the step limit or patience run out.
     *
     * @throws Diverged when a loss, gradient norm or weight stops being finite (the listeners hear
     *                  {@link TrainingListener#onEnd} first)
     */
    public TrainerState run(TrainerState state, Adam adam) {
        try {
            return train(state, adam);
        } catch (Diverged e) {
            listeners.forEach(l -> l.onEnd(e.state));
            throw e;
        }
    }

    private TrainerState train(TrainerState state, Adam adam) {
        int perEpoch = batches.stepsPerEpoch();
        long total = (long) perEpoch * config.epochs();
        if (config.maxSteps() > 0) {
            total = Math.min(total, config.maxSteps());
        }
        if (state.warmupStep() < config.warmupSteps()) {
            state = warmUp(state, adam);
            adam = new Adam(model.params());                                   // captioning starts with fresh moments
            checkpoint(state, adam);
        }
        final TrainerState startState = state;
        final long totalSteps = total;
        listeners.forEach(l -> l.onStart(startState, perEpoch, totalSteps));
        while (state.epoch() < config.epochs() && !state.stoppedEarly() && !limitReached(state)) {
            int[] order = batches.order(state.epoch());
            while (state.batch() < perEpoch && !limitReached(state)) {
                long t0 = System.nanoTime();
                TrainingStep.Batch batch = batches.batch(order, state.batch(), state.step());
                TrainingStep.Result r;
                double norm;
                try (MemoryWorkspace ws = Workspace.open("glimpse-train")) {
                    r = step.run(batch);
                    requireFinite("step " + (state.step() + 1), "the loss", r.loss(), state);
                    norm = adam.update(model.params(), r.gradients(), state.learningRate(), config.clipNorm());
                    requireFinite("step " + (state.step() + 1), "the gradient norm", norm, state);
                }
                state = state.afterStep();
                var report = new TrainingListener.StepReport(state, perEpoch, r.loss(), r.crossEntropy(), r.penalty(),
                        r.wordLoss(), r.contextLoss(), norm, batch.captions(),
                        (System.nanoTime() - t0) / 1e9);
                listeners.forEach(l -> l.onStep(report));
                if (state.step() % config.checkpointEvery() == 0 && state.batch() < perEpoch) {
                    checkpoint(state, adam);
                }
            }
            if (state.batch() >= perEpoch) {
                state = validate(state).nextEpoch();
                checkpoint(state, adam);
            }
        }
        checkpoint(state, adam);
        final TrainerState end = state;
        listeners.forEach(l -> l.onEnd(end));
        return state;
    }

    /**
     * The encoder's warm-up: steps of the word-detection loss alone on distinct images, updating the
     * encoder and the detectors (the decoder's weights and moments stay as they are).
     */
    private TrainerState warmUp(TrainerState state, Adam adam) {
        WarmupStep warmup = new WarmupStep(model);
        final TrainerState first = state;
        listeners.forEach(l -> l.onWarmupStart(first, config.warmupSteps()));
        while (state.warmupStep() < config.warmupSteps()) {
            long t0 = System.nanoTime();
            WarmupStep.Batch batch = batches.warmupBatch(state.warmupStep());
            double loss;
            double norm;
            try (MemoryWorkspace ws = Workspace.open("glimpse-warmup")) {
                WarmupStep.Result r = warmup.run(batch);
                loss = r.loss();
                requireFinite("warm-up step " + (state.warmupStep() + 1), "the loss", loss, state);
                norm = adam.updateSome(model.params(), r.gradients(), state.learningRate(), config.clipNorm());
                requireFinite("warm-up step " + (state.warmupStep() + 1), "the gradient norm", norm, state);
            }
            state = state.afterWarmupStep();
            var report = new TrainingListener.WarmupReport(state, loss, norm, (int) batch.images().size(0),
                    (System.nanoTime() - t0) / 1e9);
            listeners.forEach(l -> l.onWarmupStep(report));
            if (state.warmupStep() % config.checkpointEvery() == 0 && state.warmupStep() < config.warmupSteps()) {
                checkpoint(state, adam);
            }
        }
        return state;
    }

    private boolean limitReached(TrainerState state) {
        return config.maxSteps() > 0 && state.step() >= config.maxSteps();
    }

    private void checkpoint(TrainerState state, Adam adam) {
        requireFiniteWeights(state);
        listeners.forEach(l -> l.onCheckpoint(state, adam));
        lastCheckpoint = state;
    }

    /**
     * Stops the run when {@code value} (the loss or the gradient norm of the step about to be taken) is NaN
     * or infinite: the step's update is not applied, and nothing is saved from here on, so the last
     * checkpoint and best model keep finite weights.
     */
    private void requireFinite(String where, String what, double value, TrainerState state) {
        if (!Double.isFinite(value)) {
            diverged("training diverged at " + where + ": " + what + " is " + value, state);
        }
    }

    /** Before anything is saved or validated: an update can overflow weights while its gradient was finite. */
    private void requireFiniteWeights(TrainerState state) {
        for (Map.Entry<String, INDArray> e : model.params().asMap().entrySet()) {
            INDArray p = e.getValue();
            if (BooleanIndexing.or(p, Conditions.isNan()) || BooleanIndexing.or(p, Conditions.isInfinite())) {
                diverged("training diverged: after step " + state.step() + (state.warmupStep() > 0 && state.step() == 0
                        ? " (warm-up step " + state.warmupStep() + ")" : "") + " parameter " + e.getKey()
                        + " holds NaN or an infinity", state);
            }
        }
    }

    private void diverged(String message, TrainerState state) {
        throw new Diverged(message, state, lastCheckpoint);
    }

    /**
     * Training stopped because a number stopped being finite (usually a learning rate too high for the
     * data): a user's setting, so an {@link InputException}.
     */
    public static final class Diverged extends InputException {
        private final transient TrainerState state;
        private final transient TrainerState lastCheckpoint;

        Diverged(String message, TrainerState state, TrainerState lastCheckpoint) {
            super(message);
            this.state = state;
            this.lastCheckpoint = lastCheckpoint;
        }

        /** Where the run stood: the steps taken, the learning rate in use. */
        public TrainerState state() {
            return state;
        }

        /** Where the last checkpoint this run saved stands, or null when it saved none. */
        public TrainerState lastCheckpoint() {
            return lastCheckpoint;
        }
    }

    private TrainerState validate(TrainerState state) {
        if (validator == null) {
            return state;
        }
        requireFiniteWeights(state);
        Map<String, Double> scores = validator.validate(model);
        double score = scores.get(validator.mainMetric());
        boolean improved = Double.isNaN(state.bestScore()) || score > state.bestScore();
        double best = improved ? score : state.bestScore();
        int since = improved ? 0 : state.sinceImprovement() + 1;
        double lr = state.learningRate();
        if (!improved && since % config.decayPatience() == 0) {
            lr *= config.decayFactor();
        }
        TrainerState next = state.withValidation(best, since, lr, since >= config.stopPatience());
        listeners.forEach(l -> l.onValidation(next, scores, improved));
        return next;
    }
}

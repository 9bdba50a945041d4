package ai.glimpse.train;

import ai.glimpse.config.TrainConfig;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.TrainingStep;
import ai.glimpse.model.WarmupStep;
import ai.glimpse.model.Workspace;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * The training loop: teacher-forced batches, gradients from the engine ({@link TrainingStep}, inside an ND4J
 * workspace, so a step allocates no native memory once the first has sized it), Adam with clipping,
 * validation by
 * decoding at each epoch's end, learning-rate decay and early stopping on the validation score; before
 * them, when configured, the small encoder's warm-up on word detection alone. Our
 * own loop because SameDiff's {@code fit()} reports a loss of 0 in 1.0.0-M2.1.
 */
public final class Trainer {
    private final TrainConfig config;
    private final CaptionModel model;
    private final Batches batches;
    private final Validator validator;
    private final List<TrainingListener> listeners;
    private final TrainingStep step;

    public Trainer(TrainConfig config, CaptionModel model, Batches batches, Validator validator,
            List<TrainingListener> listeners) {
        this.config = config;
        this.model = model;
        this.batches = batches;
        this.validator = validator;
        this.listeners = List.copyOf(listeners);
        this.step = new TrainingStep(model);
    }

    /** Runs from {@code state} (fresh or resumed) until the epochs, the step limit or patience run out. */
    public TrainerState run(TrainerState state, Adam adam) {
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
                    norm = adam.update(model.params(), r.gradients(), state.learningRate(), config.clipNorm());
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
                norm = adam.updateSome(model.params(), r.gradients(), state.learningRate(), config.clipNorm());
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
        listeners.forEach(l -> l.onCheckpoint(state, adam));
    }

    private TrainerState validate(TrainerState state) {
        if (validator == null) {
            return state;
        }
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

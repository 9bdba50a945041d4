package ai.glimpse.train;

import ai.glimpse.config.TrainConfig;
import ai.glimpse.model.ModelBundle;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the resumable checkpoint whenever the trainer asks, and the best model so far (a plain bundle)
 * whenever validation improves; both through atomic writes.
 */
public final class CheckpointListener implements TrainingListener {
    private final ModelBundle bundle;
    private final TrainConfig config;
    private final Path checkpointFile;
    private final Path bestFile;

    /**
     * @param bundle         the model being trained (its arrays are read at save time)
     * @param checkpointFile where the resumable state goes
     * @param bestFile       where the best model goes (null: not kept)
     */
    public CheckpointListener(ModelBundle bundle, TrainConfig config, Path checkpointFile, Path bestFile) {
        this.bundle = bundle;
        this.config = config;
        this.checkpointFile = checkpointFile;
        this.bestFile = bestFile;
    }

    @Override
    public void onCheckpoint(TrainerState state, Adam adam) {
        new Checkpoint(bundle, config, state, adam).save(checkpointFile);
    }

    @Override
    public void onValidation(TrainerState state, Map<String, Double> scores, boolean improved) {
        if (improved && bestFile != null) {
            // validation ends an epoch before the state moves on: epoch() is still its index
            bundle.withTraining(state.step(), state.epoch() + 1, scores).save(bestFile);
        }
    }
}

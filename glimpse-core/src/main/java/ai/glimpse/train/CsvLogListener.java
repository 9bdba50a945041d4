package ai.glimpse.train;

import ai.glimpse.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Appends the training curves to a CSV file, one row per step ({@code kind=step}), per validation
 * ({@code kind=val}) and per step of the encoder's warm-up ({@code kind=warmup}, numbered on their own,
 * epoch 0, the word loss in both loss columns), flushed as it goes so a crashed run keeps its log. A resumed run drops the rows
 * after its checkpoint's step and appends. Columns are only ever added at the end: a resumed run whose
 * log has an older, shorter header gets the current one, and its old rows keep their fewer fields.
 */
public final class CsvLogListener implements TrainingListener {
    static final String HEADER = "kind,step,epoch,loss,cross_entropy,alpha_penalty,grad_norm,learning_rate,images_per_s,metric,value,word_loss,context_loss";
    private final Path file;
    private Writer out;

    public CsvLogListener(Path file) {
        this.file = file;
    }

    @Override
    public void onWarmupStart(TrainerState state, long warmupSteps) {
        open(state);
    }

    @Override
    public void onStart(TrainerState state, int stepsPerEpoch, long totalSteps) {
        if (out == null) {
            open(state);
        }
    }

    private void open(TrainerState state) {
        try {
            if (state.step() == 0 && state.warmupStep() == 0 || !Files.exists(file)) {
                AtomicFile.write(file, (HEADER + "\n").getBytes(StandardCharsets.UTF_8));
            } else {
                keepUpTo(state);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file, e);
        }
    }

    /**
     * A resumed run continues from its checkpoint, which may be older than the log's last rows: those
     * rows (written after the checkpoint by the run that stopped) are dropped so no step appears twice.
     */
    private void keepUpTo(TrainerState state) throws IOException {
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("kind,") && !line.equals(HEADER) && HEADER.startsWith(line + ",")) {
                line = HEADER;                                             // written before the last columns existed
            }
            String[] f = line.split(",", 3);
            boolean row = f.length > 2 && (f[0].equals("step") || f[0].equals("val"));
            boolean warmup = f.length > 2 && f[0].equals("warmup");
            if (warmup ? Long.parseLong(f[1]) <= state.warmupStep() : !row || Long.parseLong(f[1]) <= state.step()) {
                kept.append(line).append('\n');
            }
        }
        AtomicFile.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onWarmupStep(WarmupReport r) {
        TrainerState s = r.state();
        write(String.format(Locale.ROOT, "warmup,%d,0,%.6f,,,%.4f,%.6g,%.2f,,,%.6f,", s.warmupStep(), r.loss(), r.gradNorm(),
                s.learningRate(), r.images() / r.seconds(), r.loss()));
    }

    @Override
    public void onStep(StepReport r) {
        TrainerState s = r.state();
        write(String.format(Locale.ROOT, "step,%d,%d,%.6f,%.6f,%.6f,%.4f,%.6g,%.2f,,,%.6f,%.6f", s.step(), s.epoch() + 1, r.loss(),
                r.crossEntropy(), r.penalty(), r.gradNorm(), s.learningRate(), r.batchSize() / r.seconds(), r.wordLoss(),
                r.contextLoss()));
    }

    @Override
    public void onValidation(TrainerState state, Map<String, Double> scores, boolean improved) {
        scores.forEach((k, v) -> write(String.format(Locale.ROOT, "val,%d,%d,,,,,%.6g,,%s,%.6f,,", state.step(),
                state.epoch() + 1, state.learningRate(), k, v)));
    }

    @Override
    public void onEnd(TrainerState state) {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String line) {
        try {
            out.write(line + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file, e);
        }
    }
}

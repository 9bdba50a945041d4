package ai.glimpse.train;

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
 * Appends the training curves to a CSV file, one row per step ({@code kind=step}) and per validation
 * ({@code kind=val}), flushed as it goes so a crashed run keeps its log. A resumed run appends.
 */
public final class CsvLogListener implements TrainingListener {
    static final String HEADER = "kind,step,epoch,loss,cross_entropy,alpha_penalty,grad_norm,learning_rate,images_per_s,metric,value";
    private final Path file;
    private Writer out;

    public CsvLogListener(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(TrainerState state, int stepsPerEpoch, long totalSteps) {
        try {
            boolean fresh = !Files.exists(file) || state.step() == 0;
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    fresh ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
            if (fresh) {
                out.write(HEADER + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file, e);
        }
    }

    @Override
    public void onStep(StepReport r) {
        TrainerState s = r.state();
        write(String.format(Locale.ROOT, "step,%d,%d,%.6f,%.6f,%.6f,%.4f,%.6g,%.2f,,", s.step(), s.epoch() + 1, r.loss(),
                r.crossEntropy(), r.penalty(), r.gradNorm(), s.learningRate(), r.batchSize() / r.seconds()));
    }

    @Override
    public void onValidation(TrainerState state, Map<String, Double> scores, boolean improved) {
        scores.forEach((k, v) -> write(String.format(Locale.ROOT, "val,%d,%d,,,,,%.6g,,%s,%.6f", state.step(),
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

package ai.glimpse.cli;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.train.Bench;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse bench}: times the decoder's training and decode steps on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times the decoder's training step (forward + backward + Adam) and decode step over cached",
            "features, as medians of repeated runs. Defaults are the reference sizes of the paper's setup."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--feature-dim", defaultValue = "2048", description = "D. Default: ${DEFAULT-VALUE}.")
    int featureDim;
    @Option(names = "--grid", defaultValue = "14", description = "Grid side (L = grid^2). Default: ${DEFAULT-VALUE}.")
    int grid;
    @Option(names = "--attention-dim", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
    int attentionDim;
    @Option(names = "--embed-dim", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
    int embedDim;
    @Option(names = "--hidden-dim", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
    int hiddenDim;
    @Option(names = "--vocab", defaultValue = "10000", description = "Vocabulary size. Default: ${DEFAULT-VALUE}.")
    int vocab;
    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;
    @Option(names = "--words", defaultValue = "20", description = "Decoder steps per caption. Default: ${DEFAULT-VALUE}.")
    int words;
    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs after one warm-up. Default: ${DEFAULT-VALUE}.")
    int repeats;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || batchSize < 1 || words < 2) {
            throw new InputException("--repeats and --batch-size must be >= 1 and --words >= 2");
        }
        ModelConfig config;
        try {
            config = ModelConfig.frozen(ModelConfig.Encoder.RESNET50, grid * 32, featureDim, grid, vocab,
                    embedDim, hiddenDim, attentionDim, 0.5, 1.0, words - 1);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Progress bar = ConsoleProgress.on(spec.commandLine().getErr());
        bar.start("bench", 2L * (repeats + 1));
        long[] done = {0};
        Bench.Result r = Bench.run(config, batchSize, repeats, () -> bar.advance(++done[0], null));
        bar.finish();
        out.printf("decoder sizes: D=%d, L=%d, attention=%d, embedding=%d, hidden=%d, vocabulary=%d, batch=%d, %d steps%n",
                featureDim, grid * grid, attentionDim, embedDim, hiddenDim, vocab, batchSize, words);
        out.printf("train step (forward+backward+update): median %.3f s over %d runs = %.1f images/s%n",
                r.trainStepSeconds(), repeats, r.trainImagesPerSecond());
        out.printf("decode step (one word, whole batch): median %.4f s = %.1f captions/s at %d words%n",
                r.decodeStepSeconds(), r.decodeImagesPerSecond(), words);
        out.printf("threads: OMP_NUM_THREADS=%s, %d cores%n", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                Runtime.getRuntime().availableProcessors());
        out.flush();
        if (json != null) {
            AtomicFile.write(json, s -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(s, r));
            out.println("results: " + json);
        }
        return 0;
    }
}

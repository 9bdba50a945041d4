package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.train.Bench;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse bench}: times the decoder's training step, decode step and searches on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times the decoder over random features at the given sizes: the training step (forward, "
                + "backward and Adam), the decode step, and greedy and beam search of one image, as medians of "
                + "repeated runs after warm-up runs (at least one, and a second of them), with the peak resident memory and the training step's "
                + "analytic FLOP count. The defaults are the paper's sizes with a ResNet-50 grid. "
                + "scripts/bench-side-by-side.sh runs it interleaved with the same work in PyTorch."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--feature-dim", paramLabel = "N", defaultValue = "2048", description = "Feature channels D. Default: ${DEFAULT-VALUE}.")
    int featureDim;
    @Option(names = "--grid", paramLabel = "N", defaultValue = "14", description = "Side of the feature grid (L = N x N regions). Default: ${DEFAULT-VALUE}.")
    int grid;
    @Option(names = "--attention-dim", paramLabel = "N", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
    int attentionDim;
    @Option(names = "--embed-dim", paramLabel = "N", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
    int embedDim;
    @Option(names = "--hidden-dim", paramLabel = "N", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
    int hiddenDim;
    @Option(names = "--vocab", paramLabel = "N", defaultValue = "10000", description = "Vocabulary size. Default: ${DEFAULT-VALUE}.")
    int vocab;
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Captions in the training step and rows in the decode step. Default: ${DEFAULT-VALUE}.")
    int batchSize;
    @Option(names = "--words", paramLabel = "N", defaultValue = "20", description = "Decoder steps per caption. Default: ${DEFAULT-VALUE}.")
    int words;
    @Option(names = "--beam", paramLabel = "N", defaultValue = "5", description = "Beam width of the timed beam search. Default: ${DEFAULT-VALUE}.")
    int beam;
    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed runs of each kind after the warm-up runs. Default: ${DEFAULT-VALUE}.")
    int repeats;
    @Option(names = "--json", paramLabel = "FILE|-",
            description = "Also write the results and every sample as JSON; - for standard output (instead of the table).")
    Path json;

    @Override
    public Integer call() throws Exception {
        within("--feature-dim", featureDim, 1, ModelConfig.MAX_WIDTH);
        within("--grid", grid, 1, 64);
        within("--attention-dim", attentionDim, 1, ModelConfig.MAX_WIDTH);
        within("--embed-dim", embedDim, 1, ModelConfig.MAX_WIDTH);
        within("--hidden-dim", hiddenDim, 1, ModelConfig.MAX_WIDTH);
        within("--vocab", vocab, 5, 1_000_000);
        within("--batch-size", batchSize, 1, 4096);
        within("--words", words, 2, 1000);
        within("--beam", beam, 1, 100);
        within("--repeats", repeats, 1, 1000);
        long floats = (long) batchSize * grid * grid * featureDim;
        if (floats > Integer.MAX_VALUE / 2) {
            throw new InputException("--batch-size x --grid^2 x --feature-dim is " + floats + " features, more than one array holds");
        }
        ModelConfig config;
        try {
            config = ModelConfig.frozen(ModelConfig.Encoder.RESNET50, grid * 32, featureDim, grid, vocab,
                    embedDim, hiddenDim, attentionDim, 0.5, 1.0, words - 1);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        Outputs.requireWritableFile(json, "--json");
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter out = Outputs.isStdout(json) ? new PrintWriter(java.io.Writer.nullWriter()) : stdout;
        Progress bar = ConsoleProgress.on(spec.commandLine().getErr());
        bar.start("bench", 4L * (repeats + 1));
        long[] done = {0};
        Bench.Result r = Bench.run(new Bench.Sizes(config, batchSize, beam, repeats), () -> bar.advance(++done[0], null));
        bar.finish();
        out.printf("decoder sizes: D=%d, L=%d, attention=%d, embedding=%d, hidden=%d, vocabulary=%d, batch=%d, %d steps%n",
                featureDim, grid * grid, attentionDim, embedDim, hiddenDim, vocab, batchSize, words);
        out.printf("train step (forward + backward + Adam): median %.3f s = %.1f captions/s; %.1f GFLOP = %.1f GFLOP/s%n",
                r.trainStepSeconds(), batchSize / r.trainStepSeconds(), r.trainStepGflop(), r.trainGflopPerSecond());
        out.printf("decode step (one word, %d rows): median %.2f ms%n", batchSize, r.decodeStepSeconds() * 1e3);
        out.printf("greedy, one image, %d words: median %.1f ms%n", words, r.greedySeconds() * 1e3);
        out.printf("beam %d, one image, %d words: median %.1f ms%n", beam, words, r.beamSeconds() * 1e3);
        out.printf("peak resident memory: %.0f MB after the training steps, %.0f MB at the end%n",
                r.peakRssMegabytesTraining(), r.peakRssMegabytes());
        out.printf("threads: OMP_NUM_THREADS=%s, %d cores%n", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                Runtime.getRuntime().availableProcessors());
        out.flush();
        if (json != null) {
            Outputs.writeJson(json, stdout, new ObjectMapper().valueToTree(r));
            if (!Outputs.isStdout(json)) {
                out.println("results: " + json);
            }
        }
        return 0;
    }

    private static void within(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InputException(option + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}

package ai.glimpse.train;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.decode.Captioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.Inference;
import ai.glimpse.model.TrainingStep;
import ai.glimpse.model.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the decoder's work at given sizes over random features, as medians of repeated runs after
 * warm-up runs (at least one, and {@value #WARMUP_SECONDS} s of them: the JIT compiles the heap kernels
 * of a 30 ms decode step only after a few dozen runs, and one warm-up left it 30-40% slower): the training step (forward, backward and Adam), the decode step (one word for the whole
 * batch), greedy and beam search of one image through the captioner; with the peak resident memory and
 * the training step's analytic FLOP count. {@code scripts/bench_reference.py} times the same work in
 * PyTorch with the same formula.
 */
public final class Bench {
    /** The sizes and repeats of a run. */
    public record Sizes(ModelConfig config, int batchSize, int beam, int repeats) {
    }

    /** Medians in seconds, peak memory in MB, and every timed sample. */
    public record Result(Sizes sizes, double trainStepSeconds, double decodeStepSeconds, double greedySeconds,
            double beamSeconds, double trainStepGflop, double trainGflopPerSecond, double peakRssMegabytesTraining,
            double peakRssMegabytes, Map<String, List<Double>> samples) {
    }

    private Bench() {
    }

    /** Runs the benchmark; {@code onSample} hears each timed run (e.g. for a progress bar). */
    public static Result run(Sizes sizes, Runnable onSample) {
        ModelConfig config = sizes.config();
        int batchSize = sizes.batchSize();
        CaptionModel model = CaptionModel.initialise(config, 1);
        model.params().get("dec.out.bo").putScalar(Captioner.END, -1e4);    // no <end>: every search runs all its steps
        SplittableRandom rng = new SplittableRandom(3);
        int t = config.steps();
        float[] feats = new float[Math.multiplyExact(batchSize, config.regions() * config.featureDim())];
        for (int i = 0; i < feats.length; i++) {
            feats[i] = (float) rng.nextDouble();
        }
        INDArray features = Nd4j.create(feats, new long[] {batchSize, config.regions(), config.featureDim()}, 'c');
        TrainingStep.Batch batch = trainingBatch(config, batchSize, features, rng);
        Map<String, List<Double>> samples = new HashMap<>();

        TrainingStep step = new TrainingStep(model);
        Adam adam = new Adam(model.params());
        samples.put("train", time(sizes.repeats(), onSample, () -> {
            try (MemoryWorkspace ws = Workspace.open("bench-train")) {
                adam.update(model.params(), step.run(batch).gradients(), 1e-4, 5.0);
            }
        }));
        double peakTraining = peakRssMegabytes();

        Inference inference = new Inference(model);
        Inference.Encoded enc = inference.encode(features);
        int[] rows = new int[batchSize];
        int[] prev = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            rows[b] = b;
            prev[b] = Captioner.START;
        }
        Inference.Session session = inference.start(enc, rows);
        samples.put("decode", time(sizes.repeats(), onSample, () -> session.step(enc.state(), prev)));
        Captioner captioner = new Captioner(model, id -> "w" + id, t - 1); // t - 1 words and the <end> step: t steps
        INDArray one = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup(); // [1, L, D]
        samples.put("greedy", time(sizes.repeats(), onSample, () -> captioner.caption(one, new SearchStrategy.Beam(1, 0))));
        samples.put("beam", time(sizes.repeats(), onSample,
                () -> captioner.caption(one, new SearchStrategy.Beam(sizes.beam(), 0))));

        double train = median(samples.get("train"));
        double gflop = trainingFlops(config, batchSize) / 1e9;
        return new Result(sizes, train, median(samples.get("decode")), median(samples.get("greedy")),
                median(samples.get("beam")), gflop, gflop / train, peakTraining, peakRssMegabytes(), samples);
    }

    /** A batch of captions of {@code t} random words over the features, one caption per image. */
    private static TrainingStep.Batch trainingBatch(ModelConfig config, int batchSize, INDArray features,
            SplittableRandom rng) {
        int t = config.steps();
        int[][] inputs = new int[batchSize][t];
        int[][] targets = new int[batchSize][t];
        float[][] mask = new float[batchSize][t];
        for (int b = 0; b < batchSize; b++) {
            for (int j = 0; j < t; j++) {
                inputs[b][j] = j == 0 ? Captioner.START : 4 + rng.nextInt(config.vocabSize() - 4);
                targets[b][j] = j == t - 1 ? Captioner.END : 4 + rng.nextInt(config.vocabSize() - 4);
                mask[b][j] = 1;
            }
        }
        int[] imageOf = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            imageOf[b] = b;
        }
        return new TrainingStep.Batch(features, imageOf, inputs, targets, Nd4j.createFromArray(mask),
                config.dropout() > 0 ? Nd4j.ones(DataType.FLOAT, batchSize, t, config.embedDim()) : null);
    }

    /** Untimed warm-up: at least one run, and runs until this many seconds have passed. */
    static final double WARMUP_SECONDS = 1.0;

    /** Seconds of each of {@code repeats} runs after the untimed warm-up runs. */
    private static List<Double> time(int repeats, Runnable onSample, Runnable work) {
        long start = System.nanoTime();
        do {
            work.run();
        } while ((System.nanoTime() - start) / 1e9 < WARMUP_SECONDS);
        onSample.run();
        List<Double> out = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            long t0 = System.nanoTime();
            work.run();
            out.add((System.nanoTime() - t0) / 1e9);
            onSample.run();
        }
        return out;
    }

    /**
     * FLOP (2 per multiply-add) of one training step's matrix products over frozen features: each
     * product's forward, its weight gradient, and its input gradient where one is needed (none for the
     * features: W_a a, the initial state and the context read need only the weights' and alpha's). The
     * same formula as {@code scripts/bench_reference.py}.
     */
    public static double trainingFlops(ModelConfig c, int batchSize) {
        double b = batchSize;
        double t = c.steps();
        double l = c.regions();
        double d = c.featureDim();
        double a = c.attentionDim();
        double m = c.embedDim();
        double h = c.hiddenDim();
        double k = c.vocabSize();
        double once = b * l * d * a + 2 * b * d * h;                        // W_a a + b_a; h0 and c0
        double perRow = h * a + l * a + h                                  // W_h h, w . tanh(.), beta
                + (m + d + h) * 4 * h                                      // LSTM
                + (h + d) * m + m * k;                                     // deep output, vocabulary
        double context = l * d;                                            // sum_i alpha_i a_i
        return 2 * (2 * once + t * b * (3 * perRow + 2 * context));
    }

    /** This process's peak resident memory so far (VmHWM), in MB; NaN where /proc is not there. */
    static double peakRssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

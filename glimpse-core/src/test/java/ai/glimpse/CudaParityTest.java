package ai.glimpse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.Captioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.TrainingStep;
import ai.glimpse.train.Adam;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CUDA backend runs the same engine as the CPU: training steps of a nano model (the small CNN
 * encoder, coverage, the word and context losses; loss, gradients, Adam), then greedy and beam search
 * with the trained model, on the GPU agree with the CPU within float tolerance. ND4J holds one backend per
 * process, so each side runs in a JVM of its own on the tests' class path (the cuda profile adds the CPU
 * backend there), the backend chosen by ND4J's priority variables. Skipped, with the reason, unless this
 * is the CUDA build on a machine whose GPU it runs on.
 *
 * <p>The second test checks the same harness on the CPU: ND4J's kernels (what the GPU runs) here against
 * the CPU build's Java kernels in a second JVM.
 */
class CudaParityTest {
    private static final int VOCAB = 12;
    private static final int MAX_LENGTH = 4;
    private static final int STEPS = 3;

    @TempDir
    Path dir;

    @Test
    void trainingStepsGreedyAndBeamSearchOnTheGpuMatchTheCpu() throws Exception {
        skipUnless(NativeBackend.cudaBuild(), "this is the CPU build (build with -Pcuda and run on a machine with a "
                + "Kepler-to-Ampere NVIDIA GPU: ./mvnw -Pcuda test -Dtest=CudaParityTest)");
        Side gpu = side("gpu");
        skipUnless(gpu.refusal() == null, "no CUDA device to test on: " + gpu.refusal());
        assertMatch(side("cpu").results(), gpu.results(), "GPU");
    }

    @Test
    void nd4jKernelsHereMatchTheCpuJarsKernelsInASecondJvm() throws Exception {
        assumeTrue(Nd4j.getBackend().getClass().getSimpleName().startsWith("CpuBackend"), "runs on the CPU backend only");
        Results nd4j;
        System.setProperty("glimpse.kernels", "nd4j");
        try {
            nd4j = Scenario.run();
        } finally {
            System.clearProperty("glimpse.kernels");
        }
        assertTrue(nd4j.losses()[STEPS - 1] < nd4j.losses()[0], "the steps train: " + java.util.Arrays.toString(nd4j.losses()));
        assertTrue(nd4j.beam().stream().anyMatch(d -> !d.words().isEmpty()), "some captions have words");
        assertMatch(side("cpu").results(), nd4j, "ND4J kernels");
    }

    /** Skips the test unless {@code condition}, saying why on the console too (Maven's summary shows only a count). */
    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("CudaParityTest: GPU test skipped: " + reason);
        }
        assumeTrue(condition, "GPU test skipped: " + reason);
    }

    /** What a side's JVM gave: its results, or the one line why the CUDA backend would not start there. */
    record Side(Results results, String refusal) {
    }

    /**
     * Runs the scenario in a JVM of its own: "cpu" with ND4J's CPU backend put first (its default, Java
     * kernels), "gpu" with the CUDA backend first, started (and so checked) as the command line does.
     */
    private Side side(String kind) throws IOException, InterruptedException, ClassNotFoundException {
        Path out = dir.resolve(kind + ".bin");
        Path log = dir.resolve(kind + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Scenario.class.getName(), out.toString(), kind);
        pb.environment().remove("BACKEND_PRIORITY_GPU");
        pb.environment().remove(NativeBackend.CHECK_VARIABLE);
        if (kind.equals("cpu")) {
            pb.environment().put("BACKEND_PRIORITY_CPU", "1000");         // above the CUDA backend's 100
        } else {
            pb.environment().remove("BACKEND_PRIORITY_CPU");              // the CPU backend's 0: CUDA first
        }
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {                           // the first GPU run unpacks 0.9 GB of natives
            p.destroyForcibly();
            throw new AssertionError("the " + kind + " side took over 10 minutes:\n" + readQuietly(log));
        }
        if (p.exitValue() == Scenario.REFUSED) {
            return new Side(null, Files.readString(out).strip());
        }
        assertEquals(0, p.exitValue(), () -> "the " + kind + " side failed:\n" + readQuietly(log));
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(out))) {
            return new Side((Results) in.readObject(), null);
        }
    }

    private static void assertMatch(Results cpu, Results other, String what) {
        for (int s = 0; s < STEPS; s++) {
            assertEquals(cpu.losses()[s], other.losses()[s], 1e-4 * Math.max(1, Math.abs(cpu.losses()[s])),
                    what + " loss of step " + (s + 1));
        }
        assertEquals(cpu.gradients().keySet(), other.gradients().keySet());
        cpu.gradients().forEach((name, g) -> assertClose(g, other.gradients().get(name), 1e-4, what + " first gradient of " + name));
        cpu.params().forEach((name, p) -> assertClose(p, other.params().get(name), 1e-3, what + " " + name + " after training"));
        for (int i = 0; i < cpu.greedy().size(); i++) {
            assertCaption(cpu.greedy().get(i), other.greedy().get(i), what + " greedy, image " + i);
            assertCaption(cpu.beam().get(i), other.beam().get(i), what + " beam, image " + i);
        }
    }

    private static void assertCaption(Decoded cpu, Decoded other, String where) {
        assertEquals(cpu.words(), other.words(), where);
        assertEquals(cpu.logProb(), other.logProb(), 1e-3, where);
        assertClose(cpu.alphas(), other.alphas(), 1e-4, where + " alphas");
    }

    /** Equal within tol relative to the larger of 1 and the reference's largest magnitude. */
    private static void assertClose(float[] expected, float[] actual, double tol, String where) {
        assertEquals(expected.length, actual.length, where);
        double scale = 1;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tol * scale, where + "[" + k + "]");
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** One decoded caption: words, log-probability, attention weights of every step in one row. */
    record Decoded(List<String> words, double logProb, float[] alphas) implements Serializable {
        static Decoded of(Caption c) {
            int n = 0;
            for (float[] a : c.alphas()) {
                n += a.length;
            }
            float[] flat = new float[n];
            int at = 0;
            for (float[] a : c.alphas()) {
                System.arraycopy(a, 0, flat, at, a.length);
                at += a.length;
            }
            return new Decoded(List.copyOf(c.words()), c.logProb(), flat);
        }
    }

    /** The loss of every step, the first step's gradients, the parameters after the last, and the captions. */
    record Results(double[] losses, LinkedHashMap<String, float[]> gradients, LinkedHashMap<String, float[]> params,
            ArrayList<Decoded> greedy, ArrayList<Decoded> beam) implements Serializable {
    }

    /** The work both sides do, from fixed seeds: the same on every backend up to float rounding. */
    static final class Scenario {
        /** Exit status of a "gpu" side whose CUDA backend would not start; the file then holds why. */
        static final int REFUSED = 2;

        /** One side: runs the scenario on the backend its kind names and writes the results to the file named first. */
        public static void main(String[] args) throws IOException {
            Path out = Path.of(args[0]);
            String expected = args[1].equals("gpu") ? "JCublasBackend" : "CpuBackend";
            if (args[1].equals("gpu")) {
                try {
                    NativeBackend.start();
                } catch (InputException e) {
                    Files.writeString(out, e.getMessage());
                    System.exit(REFUSED);
                }
            } else {
                NativeBackend.configure();
            }
            String backend = Nd4j.getBackend().getClass().getSimpleName();
            if (!backend.equals(expected)) {
                System.err.println("expected ND4J's " + expected + ", got " + backend);
                System.exit(3);
            }
            Results r = run();
            try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(out))) {
                o.writeObject(r);
            }
            System.exit(0);
        }

        static Results run() {
            ModelConfig c = ModelConfig.small(16, List.of(4, 6), VOCAB, 8, 10, 6, 0.0, 1.0, MAX_LENGTH)
                    .withCoverage(true).withWordLoss(0.5).withContextLoss(0.5);
            CaptionModel model = CaptionModel.initialise(c, 21);
            TrainingStep.Batch batch = batch(c);
            TrainingStep step = new TrainingStep(model);
            Adam adam = new Adam(model.params());
            double[] losses = new double[STEPS];
            LinkedHashMap<String, float[]> firstGradients = new LinkedHashMap<>();
            for (int s = 0; s < STEPS; s++) {
                TrainingStep.Result r = step.run(batch);
                losses[s] = r.loss();
                if (s == 0) {
                    r.gradients().forEach((name, g) -> firstGradients.put(name, flat(g)));
                }
                adam.update(model.params(), r.gradients(), 1e-3, 5.0);
            }
            LinkedHashMap<String, float[]> params = new LinkedHashMap<>();
            model.params().asMap().forEach((name, p) -> params.put(name, flat(p)));
            model.params().get("dec.out.Lo").muli(4);                     // peakier words: no near ties to break differently
            Captioner captioner = new Captioner(model, id -> "w" + id, MAX_LENGTH);
            INDArray images = images(3, 22);
            ArrayList<Decoded> greedy = new ArrayList<>();
            ArrayList<Decoded> beam = new ArrayList<>();
            captioner.caption(images, new SearchStrategy.Greedy()).forEach(cap -> greedy.add(Decoded.of(cap)));
            captioner.caption(images, new SearchStrategy.Beam(3, 0.5)).forEach(cap -> beam.add(Decoded.of(cap)));
            return new Results(losses, firstGradients, params, greedy, beam);
        }

        /** Three captions of two 16x16 images (the first has two), of different lengths. */
        private static TrainingStep.Batch batch(ModelConfig c) {
            SplittableRandom rng = new SplittableRandom(23);
            int t = c.steps();
            int[][] inputs = new int[3][t];
            int[][] targets = new int[3][t];
            float[][] mask = new float[3][t];
            int[] lengths = {t, t - 2, t - 1};
            for (int b = 0; b < 3; b++) {
                for (int s = 0; s < lengths[b]; s++) {
                    inputs[b][s] = s == 0 ? Captioner.START : targets[b][s - 1];
                    targets[b][s] = s == lengths[b] - 1 ? Captioner.END : 3 + rng.nextInt(VOCAB - 3);
                    mask[b][s] = 1;
                }
            }
            return new TrainingStep.Batch(images(2, 24), new int[] {0, 1, 0}, inputs, targets, Nd4j.createFromArray(mask), null);
        }

        private static INDArray images(int n, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            float[] px = new float[n * 3 * 16 * 16];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) rng.nextDouble();
            }
            return Nd4j.create(px, new long[] {n, 3, 16, 16}, 'c');       // [N, 3, 16, 16]
        }

        private static float[] flat(INDArray x) {
            return x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
    }
}

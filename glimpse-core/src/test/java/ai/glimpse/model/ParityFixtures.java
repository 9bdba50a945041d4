package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes the Glimpse side of the PyTorch parity fixtures: for each case a model bundle (seeded nano
 * config) and a batch {@code .npz} (images or features, inputs, targets, mask; ints stored as exact
 * float32). {@code scripts/parity_reference.py} turns each pair into the expected outputs that
 * {@link ParityTest} compares against. Run once with the output folder as argument (see the script's header).
 */
public final class ParityFixtures {
    /** The cases: the small CNN encoder (with a grid convolution and layer norm) end to end, and the decoder alone on cached features. */
    public static final List<String> CASES = List.of("small", "features");
    static final int BATCH = 3;

    private ParityFixtures() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/ai/glimpse/model/parity");
        Files.createDirectories(dir);
        Vocabulary vocab = vocabulary();

        ModelConfig small = ModelConfig.small(32, List.of(8, 16), 1, true, vocab.size(), 16, 24, 12, 0.0, 1.0, 7);
        write(dir, "small", small, vocab, new ImageOptions(32, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS),
                TrainingGraph.IMAGES, images(small, new SplittableRandom(11)));

        ModelConfig frozen = ModelConfig.frozen(ModelConfig.Encoder.RESNET50, 64, 12, 5, vocab.size(),
                14, 18, 10, 0.0, 1.0, 6);
        write(dir, "features", frozen, vocab, ImageOptions.of(64),
                TrainingGraph.FEATURES, features(frozen, new SplittableRandom(13)));
    }

    /** 16 words (20 ids with the specials), all seen once. */
    static Vocabulary vocabulary() {
        return Vocabulary.build(List.of(
                List.of("a", "red", "square", "left", "of", "the", "blue", "circle"),
                List.of("two", "green", "triangles", "on", "top", "small", "big", "and")), 1);
    }

    private static void write(Path dir, String name, ModelConfig c, Vocabulary vocab, ImageOptions pre,
            String inputName, INDArray input) throws IOException {
        CaptionModel model = CaptionModel.initialise(c, 2024);
        perturbBiases(model.params(), new SplittableRandom(17));
        new ModelBundle(model, vocab, pre).save(dir.resolve(name + "-model.zip"));

        List<List<String>> captions = List.of(
                List.of("a", "red", "square", "left", "of", "the", "blue", "circle", "extra"), // truncated to maxLength
                List.of("two", "green", "zebras", "on"),                                        // zebras is <unk>
                List.of("circle"));
        int t = c.steps();
        float[] inputs = new float[BATCH * t];
        float[] targets = new float[BATCH * t];
        float[] mask = new float[BATCH * t];
        for (int r = 0; r < BATCH; r++) {
            int[] ids = vocab.encode(captions.get(r), c.maxLength());   // <start> w.. <end>
            for (int j = 0; j + 1 < ids.length && j < t; j++) {
                inputs[r * t + j] = ids[j];
                targets[r * t + j] = ids[j + 1];
                mask[r * t + j] = 1f;
            }
        }
        Map<String, INDArray> batch = new LinkedHashMap<>();
        batch.put(inputName, input);
        batch.put(TrainingGraph.INPUTS, Nd4j.create(inputs, new long[] {BATCH, t}, 'c'));
        batch.put(TrainingGraph.TARGETS, Nd4j.create(targets, new long[] {BATCH, t}, 'c'));
        batch.put(TrainingGraph.MASK, Nd4j.create(mask, new long[] {BATCH, t}, 'c'));
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + "-batch.npz"));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : batch.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.write(e.getValue(), zip);
                zip.closeEntry();
            }
        }
    }

    /** Biases start at zero; nonzero ones make the check see whether each is added where it should be. */
    private static void perturbBiases(ParameterSet p, SplittableRandom rng) {
        for (String name : p.names()) {
            if (name.endsWith(".b") || name.endsWith(".ba") || name.endsWith(".bo")) {
                INDArray b = p.get(name);
                for (long i = 0; i < b.length(); i++) {
                    b.putScalar(i, (rng.nextDouble() * 2 - 1) * 0.3);
                }
            }
        }
    }

    /** Pixels in [0, 1]: a smooth per-image colour ramp plus noise, so regions differ. */
    private static INDArray images(ModelConfig c, SplittableRandom rng) {
        int s = c.imageSize();
        float[] px = new float[BATCH * 3 * s * s];                     // [B, 3, S, S]
        for (int b = 0; b < BATCH; b++) {
            for (int ch = 0; ch < 3; ch++) {
                double fx = rng.nextDouble() * 0.4;
                double fy = rng.nextDouble() * 0.4;
                double phase = rng.nextDouble() * 6;
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        double v = 0.5 + 0.35 * Math.sin(fx * x + fy * y + phase) + 0.15 * (rng.nextDouble() - 0.5);
                        px[((b * 3 + ch) * s + y) * s + x] = (float) v;
                    }
                }
            }
        }
        return Nd4j.create(px, new long[] {BATCH, 3, s, s}, 'c');
    }

    /** Non-negative features, like a ReLU map: max(0, N(0.3, 1)). */
    private static INDArray features(ModelConfig c, SplittableRandom rng) {
        float[] f = new float[BATCH * c.regions() * c.featureDim()];   // [B, L, D]
        for (int i = 0; i < f.length; i++) {
            double u1 = 1 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double g = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            f[i] = (float) Math.max(0, 0.3 + g);
        }
        return Nd4j.create(f, new long[] {BATCH, c.regions(), c.featureDim()}, 'c');
    }

    /** Reads every {@code NAME.npy} of an .npz into a map keyed by NAME. */
    static Map<String, INDArray> readNpz(Path file) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName().replaceFirst("\\.npy$", ""), Npy.read(in, file + ":" + e.getName()));
                }
            }
        }
        return out;
    }
}

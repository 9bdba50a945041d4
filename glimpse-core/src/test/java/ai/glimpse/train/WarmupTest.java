package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.Progress;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.TrainConfig;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Split;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.model.WarmupStep;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The small encoder's warm-up: its batches, what it trains, and that a run resumed in or after it is exact. */
class WarmupTest {
    private static final String[] COLOURS = {"red", "blue", "green"};

    @TempDir
    Path dir;
    Vocabulary vocab;
    List<CorpusImage> images;

    @Test
    void aWarmupBatchHoldsDistinctImagesAndTheWordsOfAllTheirCaptions() throws Exception {
        TrainingSet data = tinySet();
        Batches batches = new Batches(data, model(), 4, 5);
        assertEquals(4, batches.warmupImages());
        Set<Integer> seen = new HashSet<>();
        for (long index = 0; index < 3; index++) {                         // 8 images, 4 a batch: a pass is 2 batches
            WarmupStep.Batch batch = batches.warmupBatch(index);
            INDArray x = batch.images();
            INDArray present = batch.present();
            assertArrayEquals(new long[] {4, 3, 16, 16}, x.shape());
            assertArrayEquals(new long[] {4, vocab.size()}, present.shape());
            Set<Integer> inBatch = new HashSet<>();
            for (int n = 0; n < 4; n++) {
                int image = imageOf(data, x.reshape(4, -1).getRow(n));
                assertTrue(inBatch.add(image), "distinct images in a batch");
                if (index < 2) {
                    seen.add(image);
                }
                Set<Integer> words = new HashSet<>();
                for (String caption : images.get(image).captions()) {
                    Tokenizer.tokens(caption).forEach(w -> words.add(vocab.id(w)));
                }
                for (int k = 0; k < vocab.size(); k++) {
                    float expected = words.contains(k) || k == vocab.id(Vocabulary.END) ? 1f : 0f;
                    assertEquals(expected, present.getFloat(n, k), "image " + image + " word " + vocab.word(k));
                }
            }
        }
        assertEquals(8, seen.size(), "the first pass (2 batches) shows every image once");
        assertEquals(batches.warmupBatch(2).present(), new Batches(data, model(), 4, 5).warmupBatch(2)
                .present(), "a function of the seed and the index");
    }

    @Test
    void theWarmupTrainsTheEncoderAndDetectorsAloneAndLowersTheirLoss() throws Exception {
        TrainingSet data = tinySet();
        ModelConfig mc = model();
        CaptionModel model = CaptionModel.initialise(mc, 3);
        CaptionModel init = CaptionModel.initialise(mc, 3);
        List<Double> losses = new ArrayList<>();
        Map<String, INDArray> atCaptioning = new HashMap<>();
        TrainingListener watch = new TrainingListener() {
            @Override
            public void onWarmupStep(WarmupReport r) {
                losses.add(r.loss());
                assertEquals(losses.size(), r.state().warmupStep());
                assertEquals(0, r.state().step(), "warm-up steps are not captioning steps");
            }

            @Override
            public void onStart(TrainerState state, int stepsPerEpoch, long totalSteps) {
                model.params().asMap().forEach((name, p) -> atCaptioning.put(name, p.dup()));
            }
        };
        TrainConfig tc = new TrainConfig(1, 4, 1e-2, 1, 5, 5.0, 0.5, 2, 4, 0, 100, 0, 30);
        TrainerState end = new Trainer(tc, model, new Batches(data, mc, 4, 5), null, List.of(watch))
                .run(TrainerState.start(1e-2), new Adam(model.params()));
        assertEquals(30, end.warmupStep());
        assertEquals(1, end.step());
        assertEquals(30, losses.size());
        assertTrue(losses.get(29) < 0.5 * losses.get(0), "word loss " + losses.get(0) + " -> " + losses.get(29));
        for (String name : model.params().names()) {
            boolean trained = name.startsWith("enc.") || name.startsWith("aux.");
            boolean moved = !atCaptioning.get(name).equals(init.params().get(name));
            assertEquals(trained, moved, name + (trained ? " should have been trained" : " should be untouched") + " by the warm-up");
        }
    }

    @Test
    void aRunResumedInOrAfterTheWarmupEqualsTheStraightRun() throws Exception {
        TrainingSet data = tinySet();
        ModelConfig mc = model();
        TrainConfig tc = new TrainConfig(3, 4, 1e-2, 3, 5, 5.0, 0.5, 2, 4, 0, 2, 0, 5);
        CaptionModel straight = CaptionModel.initialise(mc, 11);
        TrainerState s = new Trainer(tc, straight, new Batches(data, mc, 4, 5), null, List.of())
                .run(TrainerState.start(1e-2), new Adam(straight.params()));
        assertEquals(5, s.warmupStep());
        assertEquals(3, s.step());

        CaptionModel first = CaptionModel.initialise(mc, 11);
        Path ckpt = dir.resolve("run.checkpoint.zip");
        Path inWarmup = dir.resolve("in-warmup.zip");
        Path afterWarmup = dir.resolve("after-warmup.zip");
        Path log = dir.resolve("run.log.csv");
        TrainingListener keep = new TrainingListener() {
            @Override
            public void onCheckpoint(TrainerState state, Adam adam) {
                try {
                    if (state.warmupStep() == 2) {
                        Files.copy(ckpt, inWarmup, StandardCopyOption.REPLACE_EXISTING);
                    } else if (state.warmupStep() == 5 && state.step() == 0) {
                        Files.copy(ckpt, afterWarmup, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        new Trainer(tc, first, new Batches(data, mc, 4, 5), null, List.of(new CsvLogListener(log),
                new CheckpointListener(new ModelBundle(first, vocab, options()), tc, ckpt, null), keep))
                .run(TrainerState.start(1e-2), new Adam(first.params()));

        for (Path from : List.of(inWarmup, afterWarmup)) {
            Checkpoint loaded = Checkpoint.load(from);
            assertEquals(from == inWarmup ? 2 : 5, loaded.state().warmupStep());
            assertEquals(0, loaded.state().step());
            CaptionModel resumed = loaded.bundle().model();
            TrainerState end = new Trainer(loaded.config(), resumed, new Batches(data, mc, 4, 5), null,
                    List.of(new CsvLogListener(log))).run(loaded.state(), loaded.adam());
            assertEquals(3, end.step());
            for (String name : straight.params().names()) {
                assertArrayEquals(straight.params().get(name).data().asFloat(), resumed.params().get(name).data().asFloat(),
                        1e-6f, from.getFileName() + ": " + name);
            }
        }
        List<String> rows = Files.readAllLines(log);
        assertEquals(List.of("1", "2", "3", "4", "5"), rows.stream().filter(l -> l.startsWith("warmup,"))
                .map(l -> l.split(",")[1]).toList(), "each warm-up step logged once after two resumptions");
        assertEquals(3, rows.stream().filter(l -> l.startsWith("step,")).count());
    }

    @Test
    void aCheckpointWrittenBeforeWarmupsExistedReadsZeroForThem() throws Exception {
        tinySet();
        CaptionModel model = CaptionModel.initialise(model(), 4);
        TrainConfig tc = new TrainConfig(3, 4, 1e-2, 3, 5, 5.0, 0.5, 2, 4, 0, 2, 2, 5);
        TrainerState state = new TrainerState(1, 2, 7, 1e-2, 0.5, 0, false, 5);
        Path now = dir.resolve("now.zip");
        new Checkpoint(new ModelBundle(model, vocab, options()), tc, state, new Adam(model.params())).save(now);
        Path old = dir.resolve("old.zip");
        try (var in = new java.util.zip.ZipFile(now.toFile());
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(old))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("trainer.json")) {
                    String json = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    String older = json.replaceAll(",\\s*\"(warmupStep|warmupSteps|captionsPerImage)\"\\s*:\\s*\\d+", "");
                    assertNotEquals(json, older);
                    bytes = older.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertEquals(5, Checkpoint.load(now).state().warmupStep());
        Checkpoint loaded = Checkpoint.load(old);
        assertEquals(0, loaded.state().warmupStep());
        assertEquals(7, loaded.state().step());
        assertEquals(0, loaded.config().warmupSteps());
        assertEquals(0, loaded.config().captionsPerImage());
    }

    @Test
    void adamUpdatesOnlyTheParametersItHasGradientsFor() {
        CaptionModel model = CaptionModel.initialise(model(), 2);
        Adam adam = new Adam(model.params());
        INDArray before = model.params().get("dec.lstm.W").dup();
        INDArray encBefore = model.params().get("enc.conv0.W").dup();
        adam.updateSome(model.params(), Map.of("enc.conv0.W", encBefore.like().assign(1.0)), 1e-2, 0);
        assertEquals(before, model.params().get("dec.lstm.W"));
        assertEquals(0.0, adam.firstMoments().get("dec.lstm.W").sumNumber().doubleValue());
        assertNotEquals(encBefore, model.params().get("enc.conv0.W"));
        assertEquals(1, adam.step());
        assertThrows(IllegalStateException.class, () -> adam.update(model.params(), Map.of("enc.conv0.W", encBefore), 1e-2, 0),
                "a full update still needs every gradient");
        assertThrows(IllegalStateException.class, () -> adam.updateSome(model.params(), Map.of("nope", encBefore), 1e-2, 0));
    }

    @Test
    void theWarmupStepNeedsTheDetectorsAndTrainsNoDecoderWeight() {
        ModelConfig plain = ModelConfig.small(16, List.of(4, 6), 20, 8, 8, 6, 0.0, 1.0, 6);
        assertThrows(IllegalArgumentException.class, () -> new WarmupStep(CaptionModel.initialise(plain, 1)));
        List<String> trained = new WarmupStep(CaptionModel.initialise(model(), 1)).trainedParameters();
        assertFalse(trained.contains("dec.lstm.W"));
        assertTrue(trained.contains("enc.conv0.W") && trained.contains("aux.words.W"), trained.toString());
    }

    private ModelConfig model() {
        int k = vocab == null ? 20 : vocab.size();
        return ModelConfig.small(16, List.of(4, 6), k, 8, 8, 6, 0.3, 1.0, 6).withWordLoss(1.0);
    }

    private static ImageOptions options() {
        return new ImageOptions(16, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS);
    }

    /** Which image of the set a batch row holds: each image has its own block position and colour. */
    private int imageOf(TrainingSet data, INDArray row) {
        float[] want = row.reshape(-1).toFloatVector();
        for (int i = 0; i < data.imageCount(); i++) {
            float[] have = new float[data.inputSize()];
            data.copyInput(i, have, 0);
            if (java.util.Arrays.equals(want, have)) {
                return i;
            }
        }
        throw new AssertionError("row matches no image");
    }

    /** 8 images: a coloured block at one of four places; two captions each, one naming the place. */
    private TrainingSet tinySet() throws Exception {
        Color[] rgb = {Color.RED, Color.BLUE, Color.GREEN};
        String[] place = {"left", "right", "top", "bottom"};
        images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 16, 16);
            g.setColor(rgb[i % 3]);
            int p = i % 4;
            g.fillRect(p == 1 ? 8 : 0, p == 3 ? 8 : 0, p < 2 ? 8 : 16, p < 2 ? 16 : 8);
            g.dispose();
            String name = "img" + i + ".png";
            ImageIO.write(img, "png", dir.resolve(name).toFile());
            images.add(new CorpusImage(String.valueOf(i), name, 16, 16, Split.TRAIN,
                    List.of("a " + COLOURS[i % 3] + " block on the " + place[p], COLOURS[i % 3] + " block")));
        }
        vocab = Vocabulary.build(images.stream().flatMap(im -> im.captions().stream()).map(Tokenizer::tokens).toList(), 1);
        return TrainingSet.load(images, dir, new ImageLoader(options()), vocab, 6, "train", Progress.NONE);
    }
}

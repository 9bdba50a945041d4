package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.model.ModelBundle;
import ai.glimpse.train.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The train verb end to end on a tiny Karpathy-layout dataset, and its refusals. */
class TrainCommandTest {
    @TempDir
    Path dir;
    Path captions;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void dataset() throws Exception {
        captions = TinyDataset.write(dir);
    }

    /**
     * The fields of the log's step rows, after checking that each row's loss is the sum of its parts:
     * cross-entropy, attention penalty, word loss and context loss.
     */
    private static List<String[]> stepRowsThatAddUp(List<String> log) {
        List<String[]> rows = log.stream().filter(l -> l.startsWith("step,")).map(l -> l.split(",", -1)).toList();
        assertFalse(rows.isEmpty(), String.join("\n", log));
        for (String[] f : rows) {
            assertEquals(Double.parseDouble(f[3]), Double.parseDouble(f[4]) + Double.parseDouble(f[5]) + Double.parseDouble(f[11])
                    + Double.parseDouble(f[12]), 5e-6, String.join(",", f));
        }
        return rows;
    }

    private int train(String... extra) {
        List<String> args = TinyDataset.trainArgs(dir, captions);
        args.addAll(List.of(extra));
        TinyDataset.Run r = TinyDataset.run(args);
        out.write(r.out());
        err.write(r.err());
        return r.code();
    }

    @Test
    void trainsAndWritesModelCheckpointAndLog() throws Exception {
        Path model = dir.resolve("out/model.zip");
        assertEquals(0, train("--out", model.toString()), err.toString());
        ModelBundle bundle = ModelBundle.load(model);
        assertEquals(16, bundle.config().imageSize());
        assertTrue(bundle.vocabulary().contains("red"));
        Checkpoint ckpt = Checkpoint.load(dir.resolve("out/model.checkpoint.zip"));
        assertEquals(6, ckpt.state().step(), "2 epochs of 3 steps (12 captions, batch 4)");
        List<String> log = Files.readAllLines(dir.resolve("out/model.log.csv"));
        assertTrue(log.get(0).startsWith("kind,step,epoch,loss"));
        assertEquals(6, log.stream().filter(l -> l.startsWith("step,")).count());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("val,") && l.contains("CIDEr")), String.join("\n", log));
        assertTrue(out.toString().contains("trained 6 steps"), out.toString());
        java.awt.image.BufferedImage curves = javax.imageio.ImageIO.read(dir.resolve("out/model.curves.png").toFile());
        assertEquals(1100, curves.getWidth(), "the curves plot is written at the end");
    }

    @Test
    void theWordLossIsStoredInTheModelAndLoggedAsPartOfTheLoss() throws Exception {
        Path model = dir.resolve("w/model.zip");
        assertEquals(0, train("--out", model.toString(), "--word-loss", "0.5"), err.toString());
        ModelBundle bundle = ModelBundle.load(model);
        assertEquals(0.5, bundle.config().wordLoss());
        assertTrue(bundle.model().params().names().contains("aux.words.W"), bundle.model().params().names().toString());
        List<String> log = Files.readAllLines(dir.resolve("w/model.log.csv"));
        assertTrue(log.get(0).endsWith(",word_loss,context_loss"), log.get(0));
        for (String[] f : stepRowsThatAddUp(log)) {
            assertTrue(Double.parseDouble(f[11]) > 0, String.join(",", f));
            assertEquals(0, Double.parseDouble(f[12]), String.join(",", f));
        }
        assertEquals(2, train("--out", dir.resolve("v/model.zip").toString(), "--encoder", "vgg16", "--word-loss", "1"));
        assertTrue(err.toString().contains("--word-loss trains the small encoder; --encoder vgg16 is frozen"), err.toString());
    }

    @Test
    void theContextLossIsStoredInTheModelAndLoggedAsPartOfTheLoss() throws Exception {
        Path model = dir.resolve("c/model.zip");
        assertEquals(0, train("--out", model.toString(), "--context-loss", "0.5"), err.toString());
        ModelBundle bundle = ModelBundle.load(model);
        assertEquals(0.5, bundle.config().contextLoss());
        assertTrue(bundle.model().params().names().contains("aux.ctx.W"), bundle.model().params().names().toString());
        for (String[] f : stepRowsThatAddUp(Files.readAllLines(dir.resolve("c/model.log.csv")))) {
            assertTrue(Double.parseDouble(f[12]) > 0, String.join(",", f));
        }
        assertEquals(2, train("--out", dir.resolve("d/model.zip").toString(), "--context-loss", "-1"));
        assertTrue(err.toString().contains("context loss weight must be >= 0, got -1.0"), err.toString());
    }

    @Test
    void theEncoderWarmupRunsFirstIsLoggedAndNeedsTheWordLoss() throws Exception {
        Path model = dir.resolve("u/model.zip");
        assertEquals(0, train("--out", model.toString(), "--word-loss", "1", "--warmup-steps", "3"), err.toString());
        assertTrue(err.toString().contains("encoder warm-up"), err.toString());
        Checkpoint ckpt = Checkpoint.load(dir.resolve("u/model.checkpoint.zip"));
        assertEquals(3, ckpt.state().warmupStep());
        assertEquals(3, ckpt.config().warmupSteps());
        assertEquals(6, ckpt.state().step(), "the warm-up does not count among the 2 epochs of 3 steps");
        assertEquals(6, ckpt.adam().step(), "captioning starts with a fresh Adam (9 steps if the warm-up's were kept)");
        List<String> log = Files.readAllLines(dir.resolve("u/model.log.csv"));
        List<String> warm = log.stream().filter(l -> l.startsWith("warmup,")).toList();
        assertEquals(List.of("1", "2", "3"), warm.stream().map(l -> l.split(",")[1]).toList());
        for (String row : warm) {
            String[] f = row.split(",", -1);
            assertTrue(Double.parseDouble(f[3]) > 0, row);
            assertEquals(f[3], f[11], "the warm-up's loss is its word loss");
            assertEquals("", f[4], "no cross-entropy in the warm-up");
        }
        assertTrue(log.indexOf(warm.get(2)) < log.indexOf(log.stream().filter(l -> l.startsWith("step,")).findFirst().orElseThrow()));

        assertEquals(2, train("--out", dir.resolve("n/model.zip").toString(), "--warmup-steps", "3"));
        assertTrue(err.toString().contains("--warmup-steps trains the small encoder's word detectors: it needs --encoder small and "
                + "--word-loss > 0"), err.toString());
        assertTrue(Files.notExists(dir.resolve("n/model.zip")));
    }

    @Test
    void resumesFromTheCheckpointWithItsOwnSettingsAndOneLogRowPerStep() throws Exception {
        Path model = dir.resolve("r/model.zip");
        assertEquals(0, train("--out", model.toString(), "--max-steps", "4", "--batch-size", "2"), err.toString());
        Path ckpt = dir.resolve("r/model.checkpoint.zip");
        List<String> resume = List.of("train", "--captions", captions.toString(), "--images", dir.resolve("images").toString(),
                "--out", model.toString(), "--resume", ckpt.toString());
        TinyDataset.Run refused = TinyDataset.run(new java.util.ArrayList<>(resume) {{ add("--lr"); add("0.1"); }});
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("--lr cannot be given with --resume"), refused.err());
        TinyDataset.Run r = TinyDataset.run(resume);
        assertEquals(0, r.code(), r.err());
        assertEquals(12, Checkpoint.load(ckpt).state().step(), "2 epochs of 6 batches of 2: the checkpoint's batch size");
        List<String> steps = Files.readAllLines(dir.resolve("r/model.log.csv")).stream().filter(l -> l.startsWith("step,")).toList();
        assertEquals(12, steps.size(), "each step logged once");
        assertEquals(12, steps.stream().map(l -> l.split(",")[1]).distinct().count());
    }

    @Test
    void refusesMissingImages() throws Exception {
        Files.delete(dir.resolve("images/im3.png"));
        assertEquals(2, train("--out", dir.resolve("m.zip").toString()));
        assertTrue(err.toString().contains("1 of 6 train images are missing") && err.toString().contains("im3.png"), err.toString());
    }

    @Test
    void refusesMissingImageFolder() {
        List<String> args = List.of("train", "--captions", captions.toString(), "--images", dir.resolve("nowhere").toString(),
                "--out", dir.resolve("m.zip").toString());
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute(args.toArray(String[]::new)));
        assertTrue(err.toString().contains("--images " + dir.resolve("nowhere") + ": no such folder"), err.toString());
    }

    @Test
    void refusesBatchLargerThanData() {
        assertEquals(2, train("--out", dir.resolve("m.zip").toString(), "--batch-size", "50"));
        assertTrue(err.toString().contains("--batch-size 50 is larger than the 12 training captions"), err.toString());
    }

    @Test
    void refusesVocabularyWithoutWords() {
        assertEquals(2, train("--out", dir.resolve("m.zip").toString(), "--min-freq", "100"));
        assertTrue(err.toString().contains("no word occurs at least 100 times"), err.toString());
    }

    @Test
    void refusesUnwritableOutput() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        assertEquals(2, train("--out", dir.resolve("file/m.zip").toString()));
        assertTrue(err.toString().contains("--model"), "the old name --out works, the message names --model: " + err);
    }

    @Test
    void refusesCaptionsWithoutTrainSplit() throws Exception {
        Files.writeString(captions, Files.readString(captions).replace("\"train\"", "\"test\""));
        assertEquals(2, train("--out", dir.resolve("m.zip").toString()));
        assertTrue(err.toString().contains("no images in the train split"), err.toString());
    }
}

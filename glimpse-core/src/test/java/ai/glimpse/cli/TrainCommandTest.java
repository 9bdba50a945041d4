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
        assertTrue(err.toString().contains("glimpse: --context-loss must be >= 0, got -1.0"), err.toString());
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
    void refusesATrainSplitWithoutCaptionsWithoutBlamingMinFreq() throws Exception {
        // A COCO image info file (no "annotations"): its images are in the train split, none has a caption.
        Path info = dir.resolve("image_info_train2014.json");
        Files.writeString(info, "{\"images\": [{\"id\": 1, \"file_name\": \"COCO_train2014_1.jpg\"},"
                + " {\"id\": 2, \"file_name\": \"COCO_train2014_2.jpg\"}]}");
        assertEquals(2, train("--captions", info.toString(), "--out", dir.resolve("m.zip").toString()));
        assertEquals("glimpse: captions file " + info + ": no captions in the train split (2 images, none with a caption;"
                + " COCO files keep them under \"annotations\")", err.toString().strip());
    }

    @Test
    void configurationErrorsNameTheFlag() {
        String[][] cases = {
            {"--image-size", "100000", "glimpse: --image-size must be at most 4096 pixels, got 100000"},
            {"--image-size", "0", "glimpse: --image-size must be >= 1, got 0"},
            {"--image-size", "7", "glimpse: --image-size 7 is not a multiple of 4: each of the 2 conv blocks halves it, and the"
                    + " grid must come out whole (e.g. 4 or 8)"},
            {"--epochs", "0", "glimpse: --epochs must be >= 1, got 0"},
            {"--batch-size", "0", "glimpse: --batch-size must be >= 1, got 0"},
            {"--lr", "-1", "glimpse: --lr must be > 0, got -1.0"},
            {"--lr", "1e39", "glimpse: --lr must be at most 3.4028235E38 (the weights are floats), got 1.0E39"},
            {"--max-steps", "-3", "glimpse: --max-steps must be >= 0, got -3"},
            {"--val-images", "-1", "glimpse: --val-images must be >= 0, got -1"},
            {"--captions-per-image", "-1", "glimpse: --captions-per-image must be >= 0 (0: all), got -1"},
            {"--warmup-steps", "-1", "glimpse: --warmup-steps must be >= 0, got -1"},
            {"--checkpoint-every", "0", "glimpse: --checkpoint-every must be >= 1, got 0"},
            {"--embed-dim", "0", "glimpse: --embed-dim must be between 1 and 4096, got 0"},
            {"--hidden-dim", "0", "glimpse: --hidden-dim must be between 1 and 4096, got 0"},
            {"--hidden-dim", "1000000", "glimpse: --hidden-dim must be between 1 and 4096, got 1000000"},
            {"--attention-dim", "0", "glimpse: --attention-dim must be between 1 and 4096, got 0"},
            {"--embed-dim", "4097", "glimpse: --embed-dim must be between 1 and 4096, got 4097"},
            {"--truncate", "501", "glimpse: --truncate must be at most 500 words, got 501"},
            {"--max-length", "501", "glimpse: --truncate must be at most 500 words, got 501"},
            {"--dropout", "1", "glimpse: --dropout must be in [0, 1), got 1.0"},
            {"--alpha-c", "-1", "glimpse: --alpha-c must be >= 0, got -1.0"},
            {"--grid-convs", "-1", "glimpse: --grid-convs must be >= 0, and 0 unless the encoder is small; got -1"},
            {"--channels", "4,0", "glimpse: --channels must be between 1 and 4096, got 0"},
            {"--channels", "100000,100000", "glimpse: --channels must be between 1 and 4096, got 100000"},
            {"--encoder", "vgg", "glimpse: --encoder: unknown encoder 'vgg' (expected small, vgg16 or resnet50)"},
        };
        for (String[] c : cases) {
            StringWriter before = new StringWriter();
            before.write(err.toString());
            int code = train("--out", dir.resolve("m.zip").toString(), c[0], c[1]);
            String said = err.toString().substring(before.toString().length()).strip();
            assertEquals(2, code, said);
            assertEquals(c[2], said, c[0] + " " + c[1]);
        }
        assertFalse(Files.exists(dir.resolve("m.zip")));
    }

    /** Opening a named pipe to read waits for a writer: train once hung on --encoder-weights PIPE. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
            threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void refusesNamedPipesInsteadOfWaitingOnThem() throws Exception {
        Path pipe = ai.glimpse.InputFilesTest.fifo(dir, "weights.h5");
        assertEquals(2, train("--out", dir.resolve("p/m.zip").toString(), "--encoder", "vgg16", "--encoder-weights", pipe.toString()));
        assertEquals("glimpse: --encoder-weights " + pipe + ": is a named pipe (FIFO), not a regular file", err.toString().strip());
        Path weights = Files.writeString(dir.resolve("weights.zip"), "not read: the cache folder is refused first");
        err.getBuffer().setLength(0);
        assertEquals(2, train("--out", dir.resolve("p/m.zip").toString(), "--encoder", "vgg16", "--encoder-weights", weights.toString(),
                "--feature-cache", pipe.toString()));
        assertEquals("glimpse: --feature-cache " + pipe + ": is a named pipe (FIFO), not a folder", err.toString().strip());
    }

    /** --lr 1e6 once logged "loss NaN" for every step, saved the model and exited 0. */
    @Test
    void aLossThatStopsBeingFiniteStopsTrainingWithoutSavingIt() throws Exception {
        Path model = dir.resolve("nan/model.zip");
        assertEquals(2, train("--out", model.toString(), "--lr", "1e6", "--checkpoint-every", "1"), err.toString());
        List<String> said = err.toString().lines().filter(l -> l.startsWith("glimpse:")).toList();
        assertEquals(1, said.size(), err.toString());
        assertTrue(said.get(0).matches("glimpse: training diverged at step \\d+: the (loss|gradient norm) is (NaN|-?Infinity)"
                + " \\(learning rate 1000000.0; try a lower --lr\\); .*"), said.get(0));
        assertFalse(Files.exists(model), "no model saved");
        List<String[]> rows = Files.readAllLines(dir.resolve("nan/model.log.csv")).stream().filter(l -> l.startsWith("step,"))
                .map(l -> l.split(",", -1)).toList();
        for (String[] f : rows) {
            assertTrue(Double.isFinite(Double.parseDouble(f[3])) && Double.isFinite(Double.parseDouble(f[6])), String.join(",", f));
        }
        int diverged = Integer.parseInt(said.get(0).replaceAll(".*at step (\\d+):.*", "$1"));
        assertEquals(diverged - 1, rows.size(), "the steps taken are logged, the one that diverged is not");
        assertTrue(diverged >= 2, "the first step starts from finite weights: " + said.get(0));
        Path checkpoint = dir.resolve("nan/model.checkpoint.zip");
        assertEquals(diverged - 1, Checkpoint.load(checkpoint).state().step(), "--checkpoint-every 1: the step before; loading "
                + "refuses non-finite weights");
        assertTrue(said.get(0).endsWith("the checkpoint " + checkpoint + " of step " + (diverged - 1)
                + " is kept, nothing was saved after it"), said.get(0));
    }

    @Test
    void theCheckpointIntervalIsAnOptionTheCheckpointKeeps() throws Exception {
        Path model = dir.resolve("every/model.zip");
        Path ckpt = dir.resolve("every/model.checkpoint.zip");
        assertEquals(0, train("--out", model.toString(), "--max-steps", "2", "--checkpoint-every", "7"), err.toString());
        assertEquals(7, Checkpoint.load(ckpt).config().checkpointEvery());
        List<String> resume = new java.util.ArrayList<>(List.of("train", "--captions", captions.toString(), "--images",
                dir.resolve("images").toString(), "--out", model.toString(), "--resume", ckpt.toString(), "--max-steps", "4"));
        TinyDataset.Run r = TinyDataset.run(resume);
        assertEquals(0, r.code(), r.err());
        assertEquals(7, Checkpoint.load(ckpt).config().checkpointEvery(), "kept on resume");
        resume.addAll(List.of("--checkpoint-every", "3"));
        r = TinyDataset.run(resume);
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Checkpoint.load(ckpt).config().checkpointEvery(), "it changes no number of the run: it may be given again");
    }

    @Test
    void refusesAnOutputThatCannotBeWritten() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("models"));
        assertEquals(2, train("--out", folder.toString()));
        assertEquals("glimpse: --model " + folder + ": is a folder; name the model file, e.g. " + folder.resolve("model.zip"),
                err.toString().strip());
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        java.nio.file.Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly), "this user writes anywhere (root): skipped");
            err.getBuffer().setLength(0);
            assertEquals(2, train("--out", readOnly.resolve("m.zip").toString()));
            assertEquals("glimpse: --model " + readOnly.resolve("m.zip") + ": its folder " + readOnly + " cannot be written "
                    + "(permission denied)", err.toString().strip());
        } finally {
            java.nio.file.Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void refusesAnOutputFolderWithoutRoomForACheckpoint() {
        Path out = dir.resolve("m.zip");
        long parameters = 3_000_000;                                    // 36 MB as weights and Adam's two moments
        TrainCommand.requireSpace(out, parameters, 40L << 20);
        ai.glimpse.InputException e = org.junit.jupiter.api.Assertions.assertThrows(ai.glimpse.InputException.class,
                () -> TrainCommand.requireSpace(out, parameters, 20L << 20));
        assertEquals("--model " + out + ": its folder has 20.0 MB free, and a checkpoint of this model takes up to 38.8 MB "
                + "(3,000,000 parameters, each saved as a weight and two Adam moments of 4 bytes); free some space or "
                + "choose another --model", e.getMessage());
    }

    /**
     * Two runs on one --out once both exited 0, the log of one and the checkpoint of the other left, the
     * first run's log rows lost: a run holds a lock file naming its process while it writes.
     */
    @Test
    void aSecondRunOnTheSameOutputIsRefusedWhileTheFirstRunsAndTakesOverWhenItIsGone() throws Exception {
        Path model = dir.resolve("lock/model.zip");
        Path lockFile = dir.resolve("lock/.model.lock");
        Files.createDirectories(model.getParent());
        Path log = Files.writeString(dir.resolve("lock/model.log.csv"), "the other run's log\n");

        // A lock file naming a running process (this test's own JVM), as another train process leaves it.
        ProcessHandle self = ProcessHandle.current();
        String live = self.pid() + self.info().startInstant().map(t -> " " + t).orElse("") + "\n";
        Files.writeString(lockFile, live);
        assertEquals(2, train("--out", model.toString()));
        assertEquals("glimpse: --model " + model + ": another train run is writing there (pid " + self.pid()
                + self.info().startInstant().map(t -> ", started " + t).orElse("") + "; its lock file is " + lockFile
                + "); wait for it to end or choose another --model", err.toString().strip());
        assertEquals("the other run's log\n", Files.readString(log), "nothing of the other run's is touched");
        assertEquals(live, Files.readString(lockFile), "its lock stays");
        assertFalse(Files.exists(model));

        // Held by a run in this process (the system lock): refused too; and free again once it is closed.
        Files.delete(lockFile);
        try (ai.glimpse.train.OutputLock held = ai.glimpse.train.OutputLock.acquire(lockFile, "test")) {
            err.getBuffer().setLength(0);
            assertEquals(2, train("--out", model.toString()));
            assertTrue(err.toString().contains("another train run is writing there (pid " + self.pid()), err.toString());
        }
        assertFalse(Files.exists(lockFile), "closing the lock deletes it");

        // The lock of a process that has ended (killed: nothing removed it) is taken over, and removed at the end.
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version").redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        gone.waitFor();
        Files.writeString(lockFile, gone.pid() + gone.info().startInstant().map(t -> " " + t).orElse("") + "\n");
        err.getBuffer().setLength(0);
        assertEquals(0, train("--out", model.toString()), err.toString());
        assertTrue(Files.exists(model));
        assertFalse(Files.exists(lockFile), "removed when the run ends");
    }

    /** A killed run leaves its temporary files (.NAME.PID-N.tmp); the next run on the same --out removes them. */
    @Test
    void temporaryFilesOfRunsThatAreGoneAreRemovedWhenARunStartsOrResumes() throws Exception {
        Path out = Files.createDirectories(dir.resolve("tmp"));
        long dead = 999_999_999L;                                          // above Linux's largest pid
        long live = ProcessHandle.current().pid();
        List<String> gone = List.of(".model.checkpoint.zip." + dead + "-3.tmp", ".model.zip." + dead + "-1.tmp",
                ".model.log.csv." + dead + "-12.tmp", ".model.curves.png." + dead + "-2.tmp");
        List<String> kept = List.of(".model.checkpoint.zip." + live + "-5.tmp",   // a live process's write in progress
                ".other.zip." + dead + "-1.tmp",                                 // another model's outputs
                ".model.zip.notapid-1.tmp", "model.zip." + dead + "-1.tmp", ".model.zip." + dead + ".tmp", "notes.txt");
        for (String name : concat(gone, kept)) {
            Files.writeString(out.resolve(name), "x");
        }
        assertEquals(0, train("--out", out.resolve("model.zip").toString(), "--max-steps", "2"), err.toString());
        for (String name : gone) {
            assertFalse(Files.exists(out.resolve(name)), name);
        }
        for (String name : kept) {
            assertTrue(Files.exists(out.resolve(name)), name);
        }
        Files.writeString(out.resolve(gone.get(0)), "x");
        List<String> resume = List.of("train", "--captions", captions.toString(), "--images", dir.resolve("images").toString(),
                "--out", out.resolve("model.zip").toString(), "--resume", out.resolve("model.checkpoint.zip").toString(),
                "--max-steps", "3");
        TinyDataset.Run r = TinyDataset.run(resume);
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(out.resolve(gone.get(0))), "removed on resume too");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void refusesCaptionsWithoutTrainSplit() throws Exception {
        Files.writeString(captions, Files.readString(captions).replace("\"train\"", "\"test\""));
        assertEquals(2, train("--out", dir.resolve("m.zip").toString()));
        assertTrue(err.toString().contains("no images in the train split"), err.toString());
    }
}

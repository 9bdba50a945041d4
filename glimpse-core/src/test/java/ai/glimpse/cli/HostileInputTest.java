package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputFilesTest;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.FrozenEncoderRef;
import ai.glimpse.model.ModelBundle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs made to hurt, through the command line: each is either handled within bounded work and memory
 * or refused with one line and exit code 2, and never stops the good inputs next to it.
 */
class HostileInputTest {
    @TempDir
    static Path dir;
    static Path model;

    /** An untrained 128 px model (the shipped shapes model's size) that crops the centre square. */
    @BeforeAll
    static void writeModel() {
        Vocabulary vocab = Vocabulary.build(List.of(List.of("a", "red", "square"), List.of("a", "blue", "circle")), 1);
        ModelConfig config = ModelConfig.small(128, List.of(4, 4, 4, 8), vocab.size(), 8, 8, 6, 0.0, 1.0, 5);
        model = dir.resolve("model.zip");
        new ModelBundle(CaptionModel.initialise(config, 1), vocab,
                new ImageOptions(128, ResizePolicy.SHORTER_SIDE_CENTER_CROP, false, ImageOptions.DEFAULT_MAX_PIXELS)).save(model);
    }

    static Path png(String name, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x + y) % 2 == 0 ? 0xCC2020 : 0x2020CC);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void thinImagesAreCaptionedAndTheImageAfterThemToo() throws IOException {
        // Scaled whole to a shorter side of 128, 200000x1 would need 39 GB (an OpenCV allocation failure, once
        // reported as an internal error that stopped the run) and 1x30000 would need 5.9 GB.
        Path wide = png("wide.png", 200_000, 1);
        Path tall = png("tall.png", 1, 30_000);
        Path ok = png("ok.png", 40, 30);
        TinyDataset.Run r = TinyDataset.run(List.of("caption", "--model", model.toString(), "--beam", "1",
                wide.toString(), tall.toString(), ok.toString()));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(2).startsWith(ok + "\t"), lines.get(2));
    }

    @Test
    void oversizedDecodeOptionsAreRefusedWithOneLine() throws IOException {
        Path ok = png("ok.png", 40, 30);
        String[][] cases = {
            {"--beam", "100000", "glimpse: --beam must be between 1 and 50, got 100000"},
            {"--beam", "0", "glimpse: --beam must be between 1 and 50, got 0"},
            {"--max-length", "100000", "glimpse: --max-length must be between 1 and 500, got 100000"},
        };
        for (String[] c : cases) {
            for (String command : List.of("caption", "explain")) {
                List<String> args = new java.util.ArrayList<>(List.of(command, "--model", model.toString(), c[0], c[1],
                        ok.toString()));
                if (command.equals("explain")) {
                    args.addAll(List.of("--out", dir.resolve("overlays").toString()));
                }
                TinyDataset.Run r = TinyDataset.run(args);
                assertEquals(2, r.code(), r.err());
                assertEquals(c[2], r.err().strip(), String.join(" ", args));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void namedPipesAreRefusedInsteadOfWaitedOn() throws Exception {
        Path pipe = InputFilesTest.fifo(dir, "pipe.png");
        String what = ": is a named pipe (FIFO), not a regular file";
        Path ok = png("ok.png", 40, 30);

        TinyDataset.Run r = TinyDataset.run(List.of("vocab", "--captions", pipe.toString(), "--out", dir.resolve("v.json").toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: captions file " + pipe + what, r.err().strip());

        r = TinyDataset.run(List.of("caption", "--model", model.toString(), "--beam", "1", pipe.toString(), ok.toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.out().startsWith(ok + "\t"), "the image after the pipe is captioned: " + r.out());
        assertTrue(r.err().startsWith("glimpse: " + pipe + what + System.lineSeparator()), r.err());

        r = TinyDataset.run(List.of("caption", "--model", pipe.toString(), ok.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: model file " + pipe + what, r.err().strip());

        r = TinyDataset.run(List.of("explain", "--model", model.toString(), pipe.toString(), "--out", dir.resolve("x").toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: " + pipe + what, r.err().strip());

        // A model on VGG16 features whose weights file is a pipe, given or recorded at training.
        Vocabulary vocab = Vocabulary.build(List.of(List.of("a", "red", "square")), 1);
        ModelConfig config = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 16, 14, vocab.size(), 8, 8, 6, 0.0, 1.0, 5);
        Path frozen = dir.resolve("frozen.zip");
        new ModelBundle(CaptionModel.initialise(config, 1), vocab, ImageOptions.of(224),
                new FrozenEncoderRef("vgg16", "caffe-bgr", "bytes=1,sha256=00", pipe.toString())).save(frozen);
        for (List<String> weights : List.of(List.of("--encoder-weights", pipe.toString()), List.<String>of())) {
            List<String> args = new java.util.ArrayList<>(List.of("caption", "--model", frozen.toString()));
            args.addAll(weights);
            args.add(ok.toString());
            r = TinyDataset.run(args);
            assertEquals(2, r.code(), r.err());
            assertEquals("glimpse: weights file " + pipe + what, r.err().strip());
        }
    }

    @Test
    void aModelWithNonFiniteWeightsIsRefusedNotRunSilently() throws IOException {
        // Once it captioned every image "" with log-probability 0 and exit code 0.
        ModelBundle bundle = ModelBundle.load(model);
        bundle.model().params().get("att.Wa").putScalar(3, Float.NaN);
        Path nan = dir.resolve("nan.zip");
        bundle.save(nan);
        TinyDataset.Run r = TinyDataset.run(List.of("caption", "--model", nan.toString(), png("ok.png", 40, 30).toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().strip().startsWith("glimpse: " + nan + ": weights/att.Wa.npy: parameter att.Wa holds NaN at index 3"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badSizesAreInputErrorsNamingTheFlag() throws Exception {
        Path data = java.nio.file.Files.createDirectories(dir.resolve("tiny"));
        Path captions = TinyDataset.write(data);
        List<String> train = TinyDataset.trainArgs(data, captions);
        train.addAll(List.of("--out", data.resolve("m.zip").toString(), "--image-size", "100000"));
        TinyDataset.Run r = TinyDataset.run(train);
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: --image-size must be at most 4096 pixels, got 100000", r.err().strip());

        r = TinyDataset.run(List.of("explain", "--model", model.toString(), "--smooth", "1e9",
                png("ok.png", 40, 30).toString(), "--out", dir.resolve("x").toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: --smooth must be between 0 and 10000 pixels, got 1.0E9", r.err().strip());
    }

    @Test
    void messagesSayWhatIsActuallyWrong() throws Exception {
        // A COCO captions file without "annotations" (an image info file) was blamed on --min-freq.
        Path info = dir.resolve("image_info.json");
        java.nio.file.Files.writeString(info, "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"},"
                + " {\"id\": 2, \"file_name\": \"b.jpg\"}]}");
        TinyDataset.Run r = TinyDataset.run(List.of("vocab", "--captions", info.toString(), "--out", dir.resolve("v.json").toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: captions file " + info + ": no captions in the file (2 images, none with a caption; COCO files"
                + " keep them under \"annotations\")", r.err().strip());
        Path empty = dir.resolve("empty_captions.json");
        java.nio.file.Files.writeString(empty, "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": []}");
        r = TinyDataset.run(List.of("vocab", "--captions", empty.toString(), "--out", dir.resolve("v.json").toString()));
        assertEquals("glimpse: captions file " + empty + ": no captions in the file (1 image, none with a caption; COCO files"
                + " keep them under \"annotations\")", r.err().strip());

        // A fractional image_id was "a number, not a number or string".
        Path fractional = dir.resolve("fractional.json");
        java.nio.file.Files.writeString(fractional, "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}],"
                + " \"annotations\": [{\"id\": 7, \"image_id\": 1.5, \"caption\": \"a cat\"}]}");
        r = TinyDataset.run(List.of("vocab", "--captions", fractional.toString(), "--out", dir.resolve("v.json").toString()));
        assertEquals("glimpse: captions file " + fractional + ": annotation 0 of \"annotations\": \"image_id\" is 1.5,"
                + " expected a whole number or a non-blank string", r.err().strip());

        // --image-size 7 was "grid size must be >= 1".
        Path data = java.nio.file.Files.createDirectories(dir.resolve("tiny7"));
        List<String> train = TinyDataset.trainArgs(data, TinyDataset.write(data));
        train.addAll(List.of("--out", data.resolve("m.zip").toString(), "--image-size", "7"));
        r = TinyDataset.run(train);
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: --image-size 7 is not a multiple of 4: each of the 2 conv blocks halves it, and the grid must"
                + " come out whole (e.g. 4 or 8)", r.err().strip());

        // A model without a vocabulary was "expected a JSON object, found nothing".
        Path noVocab = dir.resolve("no-vocab.zip");
        try (var in = new java.util.zip.ZipFile(model.toFile());
                var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(noVocab))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("glimpse.json")) {
                    var json = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
                    json.remove("vocabulary");
                    bytes = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        r = TinyDataset.run(List.of("caption", "--model", noVocab.toString(), png("ok.png", 40, 30).toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("glimpse: " + noVocab + ": incomplete model: glimpse.json has no \"vocabulary\" (the words it was trained on)",
                r.err().strip());
    }

    @Test
    void aNameJavaCannotDecodeIsNamedAsTheProblem() throws Exception {
        // "caf\xE9.png" in Latin-1 is not UTF-8: Java reads the argument as "caf\uFFFD.png" and finds no such
        // file, although it exists. Made with the shell, which passes the byte as it is.
        Path folder = java.nio.file.Files.createDirectories(dir.resolve("latin1"));
        Path ok = png("ok.png", 40, 30);
        int code;
        try {
            code = new ProcessBuilder("sh", "-c", "cp \"$1\" \"$2/$(printf 'caf\\351.png')\"", "sh", ok.toString(), folder.toString())
                    .inheritIO().start().waitFor();
        } catch (IOException e) {
            code = -1;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(code == 0, "no sh to make a file with a Latin-1 name: skipped");
        org.junit.jupiter.api.Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")),
                "file names are not UTF-8 in this runtime: skipped");
        Path asJavaSeesIt = folder.resolve("caf\uFFFD.png");
        TinyDataset.Run r = TinyDataset.run(List.of("caption", "--model", model.toString(), asJavaSeesIt.toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("glimpse: " + asJavaSeesIt + ": cannot be opened by this name: it is not valid UTF-8"
                + " text"), r.err());
        r = TinyDataset.run(List.of("caption", "--model", model.toString(), folder.toString()));
        assertEquals(0, r.code(), "the folder route opens it: " + r.err());
        assertEquals(1, r.out().lines().count(), r.out());
    }
}

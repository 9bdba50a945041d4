package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Vocabulary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A saved model loads back identical; files that are not models are refused by name. */
class ModelBundleTest {
    @TempDir
    Path dir;

    private ModelBundle bundle() {
        return bundle(0, false);
    }

    private ModelBundle bundle(int gridConvs, boolean layerNorm) {
        Vocabulary vocab = Vocabulary.build(List.of(List.of("a", "red", "square"), List.of("a", "blue", "circle")), 1);
        ModelConfig c = ModelConfig.small(16, List.of(4, 6), gridConvs, layerNorm, layerNorm, vocab.size(), 8, 8, 6, 0.2, 1.0, 5)
                .withWordLoss(layerNorm ? 0.5 : 0).withCoordinates(layerNorm).withCoverage(layerNorm).withContextLoss(layerNorm ? 0.3 : 0);
        return new ModelBundle(CaptionModel.initialise(c, 3), vocab,
                new ImageOptions(16, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS));
    }

    @Test
    void roundTripKeepsConfigVocabularyAndEveryWeight() throws Exception {
        ModelBundle original = bundle();
        Path file = dir.resolve("m.zip");
        original.save(file);
        ModelBundle loaded = ModelBundle.load(file);
        assertEquals(original.config(), loaded.config());
        assertEquals(original.vocabulary(), loaded.vocabulary());
        assertEquals(original.preprocessing(), loaded.preprocessing());
        assertEquals(original.model().params().names(), loaded.model().params().names());
        for (String name : original.model().params().names()) {
            assertArrayEquals(original.model().params().get(name).data().asFloat(),
                    loaded.model().params().get(name).data().asFloat(), name);
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void npyHasNumpysLayout() throws Exception {
        INDArray a = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(a, out);
        byte[] bytes = out.toByteArray();
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "data starts on a 64-byte boundary");
        String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertEquals(10 + headerLen + 24, bytes.length);
        INDArray back = Npy.read(new ByteArrayInputStream(bytes), "test");
        assertArrayEquals(new long[] {2, 3}, back.shape());
        assertArrayEquals(a.data().asFloat(), back.data().asFloat());
    }

    @Test
    void refusesFilesThatAreNotModels() throws Exception {
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "hello");
        InputException e = assertThrows(InputException.class, () -> ModelBundle.load(text));
        assertEquals("model file " + text + ": not a Glimpse model (not a zip file)", e.getMessage());

        Path zip = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("x".getBytes(StandardCharsets.UTF_8));
        }
        e = assertThrows(InputException.class, () -> ModelBundle.load(zip));
        assertEquals(zip + ": not a Glimpse model (no glimpse.json inside)", e.getMessage());

        Path missing = dir.resolve("missing.zip");
        e = assertThrows(InputException.class, () -> ModelBundle.load(missing));
        assertEquals("model file " + missing + ": no such file", e.getMessage());
    }

    @Test
    void gridConvolutionsAndLayerNormRoundTrip() throws Exception {
        ModelBundle original = bundle(2, true);
        Path file = dir.resolve("m.zip");
        original.save(file);
        ModelBundle loaded = ModelBundle.load(file);
        assertEquals(original.config(), loaded.config());
        assertTrue(loaded.model().params().names().containsAll(List.of("enc.grid1.W", "enc.conv0.gain", "enc.grid1.shift", WordDetector.W, SmallCnnEncoder.COORD_W,
                BahdanauAttention.U_COV, ContextWordLoss.W)),
                loaded.model().params().names().toString());
    }

    @Test
    void bundlesWrittenBeforeGridConvolutionsLayerNormAndSpatialSoftmaxStillLoad() throws Exception {
        ModelBundle original = bundle();
        Path file = dir.resolve("m.zip");
        original.save(file);
        Path old = dir.resolve("old.zip");
        try (var in = new java.util.zip.ZipFile(file.toFile());
                var out = new ZipOutputStream(Files.newOutputStream(old))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("glimpse.json")) {
                    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("model")).remove(List.of("gridConvs", "cnnLayerNorm", "spatialSoftmax", "wordLoss", "coordinates", "coverage", "contextLoss"));
                    assertTrue(!json.get("model").has("gridConvs"));
                    bytes = json.toString().getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        ModelBundle loaded = ModelBundle.load(old);
        assertEquals(0, loaded.config().gridConvs());
        assertEquals(false, loaded.config().cnnLayerNorm());
        assertEquals(false, loaded.config().spatialSoftmax());
        assertEquals(0.0, loaded.config().wordLoss());
        assertEquals(false, loaded.config().coordinates());
        assertEquals(false, loaded.config().coverage());
        assertEquals(0.0, loaded.config().contextLoss());
        assertEquals(original.config(), loaded.config());
    }

    @Test
    void refusesWeightsOfTheWrongShape() throws Exception {
        ModelBundle b = bundle();
        b.model().params().put("dec.out.bo", Nd4j.zeros(3));
        Path file = dir.resolve("bad.zip");
        b.save(file);
        InputException e = assertThrows(InputException.class, () -> ModelBundle.load(file));
        assertTrue(e.getMessage().contains("weights/dec.out.bo.npy has shape [3]"), e.getMessage());
    }

    /** A copy of a saved bundle with one entry's bytes replaced by what {@code write} puts there. */
    private Path withEntry(Path file, String name, Entry write) throws Exception {
        Path copy = dir.resolve("edited-" + name.replace('/', '_') + ".zip");
        try (var in = new java.util.zip.ZipFile(file.toFile()); var out = new ZipOutputStream(Files.newOutputStream(copy))) {
            out.setLevel(1);
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(name)) {
                    write.to(out);
                } else {
                    in.getInputStream(e).transferTo(out);
                }
                out.closeEntry();
            }
        }
        return copy;
    }

    /** Writes an entry's bytes. */
    private interface Entry {
        void to(java.io.OutputStream out) throws Exception;
    }

    /** A .npy header (version 1.0, padded as NumPy pads it) for float32 values of the given shape text. */
    private static byte[] npyHeader(String shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        dict += " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) dict.length(), (byte) (dict.length() >> 8)});
        out.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anArrayThatGoesOnPastItsHeaderIsRefusedWithoutReadingIt() throws Exception {
        // A stream that never ends after the 3 declared values: reading it whole would never finish.
        InputStream endless = new java.io.SequenceInputStream(new ByteArrayInputStream(npyHeader("3,")), new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        });
        InputException e = assertThrows(InputException.class, () -> Npy.read(endless, "endless.npy"));
        assertEquals("endless.npy: holds more data than its .npy header declares (12 bytes for shape [3])", e.getMessage());

        // In a model: 64 MB of zeros behind a 3-value bias (the zip holds them in about 64 KB).
        Path file = dir.resolve("m.zip");
        bundle().save(file);
        byte[] zeros = new byte[1 << 20];
        Path padded = withEntry(file, "weights/dec.out.bo.npy", out -> {
            out.write(npyHeader(bundle().model().params().get("dec.out.bo").length() + ","));
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        });
        e = assertThrows(InputException.class, () -> ModelBundle.load(padded));
        assertTrue(e.getMessage().startsWith(padded + ":weights/dec.out.bo.npy: holds more data than its .npy header declares"),
                e.getMessage());
    }

    @Test
    void aDeclaredShapeIsCheckedBeforeAnyValueIsRead() throws Exception {
        Path file = dir.resolve("m.zip");
        bundle().save(file);
        // Two billion values declared and none there: refused for its shape, not after trying to read 8 GB.
        Path huge = withEntry(file, "weights/dec.out.bo.npy", out -> out.write(npyHeader("2000000000,")));
        InputException e = assertThrows(InputException.class, () -> ModelBundle.load(huge));
        assertEquals(huge + ": weights/dec.out.bo.npy has shape [2000000000] but the configuration implies ["
                + bundle().model().params().get("dec.out.bo").length() + "]", e.getMessage());
        Path empty = withEntry(file, "weights/dec.out.bo.npy", out -> out.write(npyHeader("3,")));
        e = assertThrows(InputException.class, () -> ModelBundle.load(empty));
        assertTrue(e.getMessage().contains("has shape [3] but"), e.getMessage());
        Path cut = withEntry(file, "weights/dec.out.bo.npy", out -> {
            out.write(npyHeader(bundle().model().params().get("dec.out.bo").length() + ","));
            out.write(new byte[5]);
        });
        e = assertThrows(InputException.class, () -> ModelBundle.load(cut));
        assertTrue(e.getMessage().endsWith("weights/dec.out.bo.npy: truncated .npy array (5 of "
                + 4 * bundle().model().params().get("dec.out.bo").length() + " bytes)"), e.getMessage());
    }

    @Test
    void refusesNonFiniteWeightsNamingTheParameter() throws Exception {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (float value : bad) {
            ModelBundle b = bundle();
            INDArray w = b.model().params().get("dec.lstm.U");
            w.putScalar(7, value);
            Path file = dir.resolve("nonfinite.zip");
            b.save(file);
            InputException e = assertThrows(InputException.class, () -> ModelBundle.load(file));
            assertEquals(file + ": weights/dec.lstm.U.npy: parameter dec.lstm.U holds " + value + " at index 7 (of "
                    + w.length() + "); a model with non-finite weights cannot caption", e.getMessage());
        }
    }

    @Test
    void malformedNpyHeadersAreInputErrorsNamingTheEntry() throws Exception {
        String[][] shapes = {
            {"a, 3", "m.npy: malformed .npy header (shape (a, 3) is not a tuple of whole numbers)"},
            {"-3,", "m.npy: malformed .npy header (shape (-3,) has a negative dimension)"},
            {"3, -1", "m.npy: malformed .npy header (shape (3, -1) has a negative dimension)"},
            {"99999999999999999999,", "m.npy: malformed .npy header (shape (99999999999999999999,) is not a tuple of whole numbers)"},
            {"100000, 100000", "m.npy: malformed .npy header (shape (100000, 100000) holds more than 2147483639 values)"},
            {",", "m.npy: malformed .npy header (shape (,) is not a tuple of whole numbers)"},
        };
        for (String[] c : shapes) {
            InputException e = assertThrows(InputException.class, () -> Npy.read(new ByteArrayInputStream(npyHeader(c[0])), "m.npy"));
            assertEquals(c[1], e.getMessage());
        }
        // Version 2 stores the header length in four bytes: 4 GB claimed, never allocated.
        byte[] v2 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, '{'};
        InputException e = assertThrows(InputException.class, () -> Npy.read(new ByteArrayInputStream(v2), "m.npy"));
        assertEquals("m.npy: malformed .npy header (it claims 4294967280 bytes; an array header takes a few hundred,"
                + " and Glimpse reads at most 65536)", e.getMessage());
        byte[] v9 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0, 0};
        e = assertThrows(InputException.class, () -> Npy.read(new ByteArrayInputStream(v9), "m.npy"));
        assertEquals("m.npy: .npy format version 9.0 is not supported (1.0 to 3.0 are)", e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(npyHeader("3,"), 30);
        e = assertThrows(InputException.class, () -> Npy.read(new ByteArrayInputStream(cut), "m.npy"));
        assertEquals("m.npy: truncated .npy header (20 of 118 bytes)", e.getMessage());

        Path file = dir.resolve("m.zip");
        bundle().save(file);
        Path bad = withEntry(file, "weights/att.w.npy", out -> out.write(npyHeader("x")));
        e = assertThrows(InputException.class, () -> ModelBundle.load(bad));
        assertEquals(bad + ":weights/att.w.npy: malformed .npy header (shape (x) is not a tuple of whole numbers)", e.getMessage());
    }
}

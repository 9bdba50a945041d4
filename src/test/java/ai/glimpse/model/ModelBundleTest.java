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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
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
}

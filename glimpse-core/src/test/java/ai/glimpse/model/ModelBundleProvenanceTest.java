package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.Provenance;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Vocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle records where its model came from; bundles from before that still load. */
class ModelBundleProvenanceTest {
    private static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    private static ModelBundle bundle() {
        Vocabulary vocab = Vocabulary.build(List.of(List.of("a", "red", "square")), 1);
        ModelConfig c = ModelConfig.small(16, List.of(4, 6), vocab.size(), 8, 8, 6, 0.2, 1.0, 5);
        return new ModelBundle(CaptionModel.initialise(c, 3), vocab,
                new ImageOptions(16, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS));
    }

    private static Provenance provenance() {
        return Provenance.start("1.2.3", "2026-12-02T10:15:00Z", List.of("train", "--captions", "d.json"),
                "ND4J CPU backend", List.of(new Provenance.DataFile("captions", "d.json", 1234L, SHA),
                        new Provenance.DataFile("images", "images", null, null)));
    }

    private static JsonNode manifest(Path file) throws Exception {
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry("glimpse.json"))) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void provenanceRoundTripsInSnakeCase() throws Exception {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("CIDEr", 3.41);
        scores.put("METEOR", Double.NaN);                                // not computed: left out, JSON has no NaN
        ModelBundle trained = bundle().withProvenance(provenance()).withTraining(3375, 9, scores);
        Path file = dir.resolve("m.zip");
        trained.save(file);
        Provenance back = ModelBundle.load(file).provenance();
        assertEquals(trained.provenance(), back);
        assertEquals(Map.of("CIDEr", 3.41), back.validation());
        assertEquals(3375L, back.steps());
        JsonNode json = manifest(file).get("provenance");
        assertEquals("1.2.3", json.get("glimpse_version").asText());
        assertEquals(SHA, json.get("data").get(0).get("sha256").asText());
        assertTrue(json.get("data").get(1).get("sha256") == null, "a folder has no checksum");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String text = new String(zip.getInputStream(zip.getEntry("glimpse.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.endsWith("}\n"));
        }
    }

    @Test
    void aBundleWithoutProvenanceStaysWithout() {
        ModelBundle plain = bundle();
        assertNull(plain.provenance());
        assertSame(plain, plain.withTraining(10, 1, Map.of("CIDEr", 1.0)));
    }

    @Test
    void theShippedBundlesLoadWithAndWithoutProvenance() {
        ModelBundle snow = ModelBundle.load(ai.glimpse.Repo.file("pretrained/glimpse-snow.zip"));
        assertNull(snow.provenance(), "trained before bundles recorded where they came from");
        assertTrue(snow.vocabulary().size() > 10);
        ModelBundle shapes = ModelBundle.load(ai.glimpse.Repo.file("pretrained/glimpse-shapes.zip"));
        assertTrue(shapes.provenance().command().contains("--attention-boxes"), "the recipe is recorded");
        assertEquals(375L * shapes.provenance().epochs().intValue(), shapes.provenance().steps().longValue(),
                "2400 images x 5 captions in batches of 32: 375 steps an epoch, the best model at an epoch's end");
    }

    @Test
    void theBestModelCountsTheEpochItsValidationEnded(@TempDir Path out) {
        Path best = out.resolve("best.zip");
        ai.glimpse.train.CheckpointListener listener = new ai.glimpse.train.CheckpointListener(
                bundle().withProvenance(provenance()), null, out.resolve("checkpoint.zip"), best);
        listener.onValidation(new ai.glimpse.train.TrainerState(2, 0, 30, 1e-3, 1.0, 0, false, 0), Map.of("CIDEr", 1.0), true);
        assertEquals(3, ModelBundle.load(best).provenance().epochs().intValue(), "validated after the third epoch (index 2)");
        assertEquals(30L, ModelBundle.load(best).provenance().steps().longValue());
    }

    @Test
    void fieldsALaterVersionAddsAreIgnored() throws Exception {
        Path file = dir.resolve("m.zip");
        bundle().withProvenance(provenance()).save(file);
        Path later = dir.resolve("later.zip");
        ObjectMapper mapper = new ObjectMapper();
        try (ZipFile zip = new ZipFile(file.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(later))) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                if (e.getName().equals("glimpse.json")) {
                    ObjectNode manifest = (ObjectNode) mapper.readTree(bytes);
                    ((ObjectNode) manifest.get("provenance")).put("gpu", "A100");
                    bytes = mapper.writeValueAsBytes(manifest);
                }
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertEquals(provenance(), ModelBundle.load(later).provenance());
    }
}

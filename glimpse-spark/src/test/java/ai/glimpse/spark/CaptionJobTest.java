package ai.glimpse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caption job in {@code local[2]} on 50 synthetic images and a broken file, against {@code glimpse
 * caption} on the same folder with the same beam: the same caption and log-probability for every
 * image, an error row for the broken file, a results file that is valid coco-caption input and equal to
 * {@code glimpse caption --json}'s, and a second run into the same output that captions nothing.
 */
class CaptionJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void captionsAsGlimpseCaptionDoesAndResumes() throws Exception {
        Path images = Fixtures.synth(dir.resolve("synth"), 50, 11);
        Fixtures.broken(images);
        Path reference = dir.resolve("reference.json");
        Fixtures.Run single = Fixtures.glimpse(List.of("caption", "--model", Fixtures.SHAPES_MODEL.toString(), "--beam", "3",
                "--json", reference.toString(), images.toString()));
        assertEquals(2, single.code(), "the broken image makes glimpse caption exit 2: " + single.err());
        Map<String, String[]> expected = new HashMap<>();                // file name -> caption, log-probability
        for (String line : single.out().lines().toList()) {
            String[] f = line.split("\t");
            expected.put(Path.of(f[0]).getFileName().toString(), new String[] {f[1], f[2]});
        }
        assertEquals(50, expected.size());

        Path out = dir.resolve("out");
        List<String> job = List.of("caption", "--master", "local[2]", "--model", Fixtures.SHAPES_MODEL.toString(),
                "--images", images.toString(), "--out", out.toString(), "--beam", "3", "--chunk", "32");
        Fixtures.Run first = Fixtures.glimpseSpark(job);
        assertEquals(2, first.code(), "one image failed: " + first.err());
        assertTrue(first.err().contains("49 images captioned") || first.err().contains("51/51 images captioned"), first.err());

        SparkSession spark = Fixtures.reader();
        try {
            List<Row> rows = spark.read().parquet(out.resolve("captions").toString()).collectAsList();
            assertEquals(51, rows.size(), "one row per file");
            Set<String> seen = new HashSet<>();
            for (Row r : rows) {
                String name = ImageListing.fileName(r.getAs("path"));
                assertTrue(seen.add(name), "no image twice: " + name);
                if (name.equals("broken.png")) {
                    assertNull(r.getAs("caption"));
                    String error = r.getAs("error");
                    assertTrue(error.contains("broken.png") && error.contains("not a supported image")
                            || error.contains("broken.png"), error);
                    continue;
                }
                assertNull(r.getAs("error"), name);
                String[] want = expected.get(name);
                assertEquals(want[0], r.getAs("caption"), name);
                assertEquals(Double.parseDouble(want[1]), (double) r.getAs("log_prob"), 5e-5, name);
                assertEquals(want[0], String.join(" ", r.<String>getList(r.fieldIndex("words"))), name);
                assertEquals(CaptionTable.imageId(r.getAs("path")), r.getAs("image_id"));
            }
        } finally {
            spark.stop();
        }

        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertTrue(results.isArray());
        assertEquals(50, results.size());
        Set<Long> ids = new HashSet<>();
        for (JsonNode e : results) {
            assertEquals(Set.of("image_id", "caption"), fieldNames(e), "coco-caption results entries: " + e);
            assertTrue(e.get("image_id").isIntegralNumber(), "synth ids are numbers: " + e);
            assertTrue(e.get("caption").isTextual());
            assertTrue(ids.add(e.get("image_id").asLong()), "one caption per image id");
        }
        assertEquals(JSON.readTree(reference.toFile()), results, "the same entries in the same order as glimpse caption --json");

        Fixtures.Run again = Fixtures.glimpseSpark(job);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 captioned and 0 failed in this run, 51 skipped"), again.err());
        SparkSession check = Fixtures.reader();
        try {
            assertEquals(51, check.read().parquet(out.resolve("captions").toString()).count(), "nothing added");
        } finally {
            check.stop();
        }
        assertEquals(results, JSON.readTree(out.resolve("results.json").toFile()));

        Fixtures.Run otherBeam = Fixtures.glimpseSpark(List.of("caption", "--master", "local[1]", "--model",
                Fixtures.SHAPES_MODEL.toString(), "--images", images.toString(), "--out", out.toString(), "--beam", "1"));
        assertEquals(2, otherBeam.code());
        assertTrue(otherBeam.err().contains("was written with beam 3, this run has 1"), otherBeam.err());
        assertTrue(Files.exists(out.resolve(JobManifest.FILE)));
    }

    @Test
    void attentionRowsHoldEachStepsWeightsAndGate() {
        Path samples = Fixtures.SHAPES_MODEL.getParent().resolveSibling("datasets").resolve("samples");
        Path out = dir.resolve("attention");
        Fixtures.Run r = Fixtures.glimpseSpark(List.of("caption", "--master", "local[1]", "--model",
                Fixtures.SHAPES_MODEL.toString(), "--images", samples.toString(), "--out", out.toString(), "--beam", "2",
                "--attention", "--no-json"));
        assertEquals(0, r.code(), r.err());
        assertTrue(!Files.exists(out.resolve("results.json")), "--no-json");
        SparkSession spark = Fixtures.reader();
        try {
            List<Row> rows = spark.read().parquet(out.resolve("captions").toString()).collectAsList();
            assertEquals(6, rows.size());
            for (Row row : rows) {
                List<String> words = row.getList(row.fieldIndex("words"));
                List<scala.collection.Seq<Float>> alphas = row.getList(row.fieldIndex("alphas"));
                List<Float> betas = row.getList(row.fieldIndex("betas"));
                boolean finished = row.getAs("finished");
                assertEquals(words.size() + (finished ? 1 : 0), alphas.size(), "one attention map per step");
                assertEquals(alphas.size(), betas.size());
                for (scala.collection.Seq<Float> step : alphas) {
                    double sum = 0;
                    for (Float a : scala.jdk.javaapi.CollectionConverters.asJava(step)) {
                        sum += a;
                    }
                    assertEquals(1.0, sum, 1e-3, "alphas sum to 1 over the regions");
                }
                for (float b : betas) {
                    assertTrue(b > 0 && b < 1, "a gate value: " + b);
                }
            }
        } finally {
            spark.stop();
        }
    }

    private static Set<String> fieldNames(JsonNode e) {
        Set<String> names = new HashSet<>();
        e.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

package ai.glimpse.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.synth.SynthFiles.Img;
import ai.glimpse.synth.SynthFiles.Obj;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny shapes dataset (20 images of 64 px) read back through its files, as a COCO reader would. */
class SynthGeneratorTest {
    private static final int N = 20;
    private static final int SIZE = 64;

    @TempDir
    static Path tmp;
    static Path dir;
    static SynthSummary summary;
    static Map<Integer, Img> images;

    @BeforeAll
    static void generate() throws IOException {
        dir = tmp.resolve("shapes");
        summary = SynthFiles.generate(dir, N, SIZE, 42, Variant.SHAPES);
        images = SynthFiles.load(dir);
    }

    @Test
    void writesEveryFileAndTheCocoKeys() throws IOException {
        for (int id = 1; id <= N; id++) {
            BufferedImage png = ImageIO.read(dir.resolve("images").resolve(String.format("synth_%06d.png", id)).toFile());
            assertEquals(SIZE, png.getWidth());
            assertEquals(SIZE, png.getHeight());
        }
        for (String split : SynthFiles.SPLITS) {
            JsonNode captions = SynthFiles.read(dir.resolve("annotations/captions_" + split + ".json"));
            assertEquals(List.of("info", "licenses", "images", "annotations"), fieldNames(captions));
            for (JsonNode image : captions.get("images")) {
                assertTrue(fieldNames(image).containsAll(List.of("id", "file_name", "width", "height")));
                assertEquals(SIZE, image.get("width").asInt());
            }
            captions.get("annotations").forEach(a -> assertEquals(List.of("id", "image_id", "caption"), fieldNames(a)));
            JsonNode instances = SynthFiles.read(dir.resolve("annotations/instances_" + split + ".json"));
            assertTrue(fieldNames(instances).containsAll(List.of("info", "licenses", "images", "annotations", "categories")));
            for (JsonNode a : instances.get("annotations")) {
                assertTrue(fieldNames(a).containsAll(List.of("id", "image_id", "category_id", "segmentation", "area", "bbox", "iscrowd")));
                assertEquals(0, a.get("iscrowd").asInt());
                assertEquals(4, a.get("bbox").size());
                assertTrue(a.get("bbox").get(2).isDouble(), "COCO boxes are floats");
                assertTrue(a.get("segmentation").get(0).size() >= 6 && a.get("segmentation").get(0).size() % 2 == 0);
            }
            List<String> names = new ArrayList<>();
            for (JsonNode c : instances.get("categories")) {
                assertEquals("shape", c.get("supercategory").asText());
                assertEquals(names.size() + 1, c.get("id").asInt());
                names.add(c.get("name").asText());
            }
            assertEquals(List.of("square", "circle", "triangle", "star", "diamond", "hexagon"), names);
        }
        JsonNode karpathy = SynthFiles.read(dir.resolve("dataset.json"));
        assertEquals("synth", karpathy.get("dataset").asText());
        assertEquals(N, karpathy.get("images").size());
    }

    @Test
    void idsAgreeAcrossCaptionsInstancesAndKarpathy() throws IOException {
        assertEquals(new TreeSet<>(range(1, N)), images.keySet(), "every id once, over all splits");
        assertEquals(List.of(16, 2, 2), SynthFiles.SPLITS.stream()
                .map(s -> (int) images.values().stream().filter(i -> i.split().equals(s)).count()).toList());
        Set<Integer> objectIds = new HashSet<>();
        images.values().forEach(i -> i.objects().forEach(o -> assertTrue(objectIds.add(o.id()), "object ids are unique")));
        assertEquals(summary.objects(), objectIds.size());
        for (String split : SynthFiles.SPLITS) {
            JsonNode captions = SynthFiles.read(dir.resolve("annotations/captions_" + split + ".json"));
            JsonNode instances = SynthFiles.read(dir.resolve("annotations/instances_" + split + ".json"));
            assertEquals(ids(captions.get("images")), ids(instances.get("images")));
        }
        JsonNode karpathy = SynthFiles.read(dir.resolve("dataset.json"));
        Set<Integer> sentids = new HashSet<>();
        for (JsonNode entry : karpathy.get("images")) {
            Img image = images.get(entry.get("cocoid").asInt());
            assertEquals(image.id() - 1, entry.get("imgid").asInt());
            assertEquals(image.file(), entry.get("filename").asText());
            assertEquals(image.split(), entry.get("split").asText());
            assertEquals(image.background(), entry.get("background").asText());
            JsonNode sentences = entry.get("sentences");
            assertEquals(5, sentences.size());
            for (int k = 0; k < 5; k++) {
                JsonNode s = sentences.get(k);
                assertEquals(image.captions().get(k), s.get("raw").asText());
                assertEquals(entry.get("sentids").get(k).asInt(), s.get("sentid").asInt());
                assertEquals(entry.get("imgid").asInt(), s.get("imgid").asInt());
                assertTrue(sentids.add(s.get("sentid").asInt()));
                List<String> tokens = new ArrayList<>();
                s.get("tokens").forEach(t -> tokens.add(t.asText()));
                assertEquals(List.of(s.get("raw").asText().toLowerCase().replace(",", "").replace(".", "").split(" ")), tokens);
            }
        }
        Set<Integer> captionIds = new HashSet<>();
        for (String split : SynthFiles.SPLITS) {
            SynthFiles.read(dir.resolve("annotations/captions_" + split + ".json")).get("annotations")
                    .forEach(a -> captionIds.add(a.get("id").asInt()));
        }
        assertEquals(sentids, captionIds, "Karpathy sentence ids are the COCO caption ids");
    }

    @Test
    void fiveDistinctCaptionsThatNameEveryObjectAndRightRelations() {
        int relations = 0;
        Set<String> vocabulary = new TreeSet<>();
        for (Img image : images.values()) {
            assertEquals(5, image.captions().size());
            assertEquals(5, new HashSet<>(image.captions()).size(), "distinct captions: " + image.captions());
            for (String caption : image.captions()) {
                relations += CaptionCheck.check(caption, image).size();
                String lower = caption.toLowerCase();
                for (String bg : List.of("grass", "sand", "water", "snow", "background")) {
                    if (lower.contains(bg)) {
                        assertEquals(image.background().equals("plain") ? "background" : image.background(), bg, caption);
                    }
                }
                vocabulary.addAll(List.of(lower.replaceAll("[^a-z ]", "").split(" ")));
            }
            if (image.objects().size() > 1) {
                long withRelation = image.captions().stream().filter(c -> !CaptionCheck.check(c, image).isEmpty()).count();
                assertTrue(withRelation >= 3 || image.objects().size() == 3 && image.objects().stream()
                        .map(o -> o.category() + o.colour() + o.size()).distinct().count() == 1, image.captions().toString());
            }
        }
        assertTrue(relations > 10, "relations are stated: " + relations);
        assertTrue(vocabulary.size() < 100, "small vocabulary: " + vocabulary);
    }

    @Test
    void boxesLieInsideTheImageDoNotOverlapAndMatchTheirOutlines() {
        for (Img image : images.values()) {
            List<Obj> objects = image.objects();
            assertTrue(objects.size() >= 1 && objects.size() <= 3);
            for (int i = 0; i < objects.size(); i++) {
                Obj a = objects.get(i);
                assertTrue(a.x() >= 0 && a.y() >= 0 && a.x() + a.w() <= SIZE && a.y() + a.h() <= SIZE, a.toString());
                double[] bounds = bounds(a.polygons());
                assertArrayEquals(new double[] {a.x(), a.y(), a.w(), a.h()}, bounds, 0.02, "bbox = outline's bounds");
                assertTrue(a.area() > 0.35 * a.w() * a.h() && a.area() <= (a.w() + 0.01) * (a.h() + 0.01), "area fits the box: " + a);
                double expected = (a.size().equals("large") ? 0.4 : 0.2) * SIZE;
                assertEquals(expected, a.w(), expected * Size.JITTER + 0.02, "shapes span their slot's width");
                for (int j = 0; j < i; j++) {
                    Obj b = objects.get(j);
                    boolean apart = a.x() + a.w() <= b.x() || b.x() + b.w() <= a.x()
                            || a.y() + a.h() <= b.y() || b.y() + b.h() <= a.y();
                    assertTrue(apart, a + " overlaps " + b);
                }
            }
        }
    }

    @Test
    void pixelsShowTheObjectsInTheirColoursOnTheirBackground() throws IOException {
        for (Img image : images.values()) {
            BufferedImage png = ImageIO.read(dir.resolve("images").resolve(image.file()).toFile());
            PixelCheck.assertObjectsDrawn(png, image);
            PixelCheck.assertBackgroundFamily(png, image);
        }
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        Path again = tmp.resolve("again");
        SynthFiles.generate(again, N, SIZE, 42, Variant.SHAPES);
        List<Path> files = SynthFiles.files(dir);
        assertEquals(files, SynthFiles.files(again));
        assertEquals(3 * 2 + 1 + N, files.size());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(again.resolve(f)), f.toString());
        }
        Path other = tmp.resolve("other");
        SynthFiles.generate(other, N, SIZE, 43, Variant.SHAPES);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("dataset.json")),
                Files.readAllBytes(other.resolve("dataset.json"))));
        long samePngs = files.stream().filter(f -> f.toString().endsWith(".png")).filter(f -> {
            try {
                return java.util.Arrays.equals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(other.resolve(f)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).count();
        assertEquals(0, samePngs, "another seed draws other pictures");
        assertNotEquals(SynthFiles.load(other).get(1).captions(), images.get(1).captions());
    }

    private static double[] bounds(List<double[]> polygons) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (double[] xy : polygons) {
            for (int i = 0; i < xy.length; i += 2) {
                minX = Math.min(minX, xy[i]);
                maxX = Math.max(maxX, xy[i]);
                minY = Math.min(minY, xy[i + 1]);
                maxY = Math.max(maxY, xy[i + 1]);
            }
        }
        return new double[] {minX, minY, maxX - minX, maxY - minY};
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<Integer> ids(JsonNode images) {
        Set<Integer> ids = new TreeSet<>();
        images.forEach(i -> ids.add(i.get("id").asInt()));
        return ids;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }
}

package ai.glimpse.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a generated dataset back the way a COCO reader would, for the tests: from the JSON files only. */
final class SynthFiles {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SPLITS = List.of("train", "val", "test");

    /** An object annotation as written: category name, colour and size words, COCO bbox and polygons. */
    record Obj(int id, String category, String colour, String size, double x, double y, double w, double h,
            double area, List<double[]> polygons) {
        double cx() {
            return x + w / 2;
        }

        double cy() {
            return y + h / 2;
        }
    }

    /** An image with its split, background, objects and captions, joined from the split's files. */
    record Img(int id, String file, String split, String background, List<Obj> objects, List<String> captions) {
    }

    private SynthFiles() {
    }

    static JsonNode read(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + file);
        return JSON.readTree(file.toFile());
    }

    static SynthSummary generate(Path dir, int images, int size, long seed, Variant variant) throws IOException {
        SynthConfig config = new SynthConfig(images, size, seed, variant, SplitRatio.DEFAULT);
        return new SynthGenerator(config).write(dir, false, ai.glimpse.Progress.NONE);
    }

    /** Every image of the dataset by id, joined from the captions and instances files of all splits. */
    static Map<Integer, Img> load(Path dir) throws IOException {
        Map<Integer, Img> images = new TreeMap<>();
        for (String split : SPLITS) {
            JsonNode instances = read(dir.resolve("annotations/instances_" + split + ".json"));
            JsonNode captions = read(dir.resolve("annotations/captions_" + split + ".json"));
            Map<Integer, String> categories = new TreeMap<>();
            instances.get("categories").forEach(c -> categories.put(c.get("id").asInt(), c.get("name").asText()));
            Map<Integer, List<Obj>> objects = new TreeMap<>();
            Map<Integer, List<String>> texts = new TreeMap<>();
            for (JsonNode a : instances.get("annotations")) {
                List<double[]> polygons = new ArrayList<>();
                for (JsonNode polygon : a.get("segmentation")) {
                    double[] xy = new double[polygon.size()];
                    for (int i = 0; i < xy.length; i++) {
                        xy[i] = polygon.get(i).asDouble();
                    }
                    polygons.add(xy);
                }
                JsonNode b = a.get("bbox");
                objects.computeIfAbsent(a.get("image_id").asInt(), k -> new ArrayList<>()).add(new Obj(
                        a.get("id").asInt(), categories.get(a.get("category_id").asInt()), a.get("colour").asText(),
                        a.get("size").asText(), b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(),
                        b.get(3).asDouble(), a.get("area").asDouble(), polygons));
            }
            captions.get("annotations").forEach(a -> texts.computeIfAbsent(a.get("image_id").asInt(),
                    k -> new ArrayList<>()).add(a.get("caption").asText()));
            for (JsonNode i : instances.get("images")) {
                int id = i.get("id").asInt();
                images.put(id, new Img(id, i.get("file_name").asText(), split, i.get("background").asText(),
                        objects.getOrDefault(id, List.of()), texts.getOrDefault(id, List.of())));
            }
        }
        return images;
    }

    /** Every regular file under {@code dir}, relative, sorted. */
    static List<Path> files(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}

package ai.glimpse.eval;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The object annotations of a COCO instances file: per image its size and objects (category, box and,
 * when present, polygon segmentation). RLE-encoded (crowd) masks fall back to their box.
 */
public record CocoInstances(Map<String, ImageObjects> images, Map<Integer, String> categories) {

    /**
     * One annotated object: its category name, the region it covers (polygons, else its box), and its
     * colour when the file says (Glimpse's synthetic data does; COCO does not), else null.
     */
    public record Instance(String category, Shape region, String colour) {
    }

    /** An image's size and its objects. */
    public record ImageObjects(int width, int height, List<Instance> objects) {
    }

    /** Reads an instances file, refusing malformed ones with the file named. */
    public static CocoInstances read(Path file) {
        String where = "instances file " + file;
        InputFiles.requireFile(file, where);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InputException(where + ": malformed JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject() || !root.path("annotations").isArray() || !root.path("categories").isArray()
                || !root.path("images").isArray()) {
            throw new InputException(where + ": not a COCO instances file (needs \"images\", \"annotations\" and \"categories\")");
        }
        Map<Integer, String> categories = new LinkedHashMap<>();
        for (JsonNode c : root.get("categories")) {
            categories.put(c.path("id").asInt(), c.path("name").asText().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, int[]> sizes = new HashMap<>();
        for (JsonNode im : root.get("images")) {
            int w = im.path("width").asInt();
            int h = im.path("height").asInt();
            if (w < 1 || h < 1) {
                throw new InputException(where + ": image " + im.path("id").asText() + " has no width and height");
            }
            sizes.put(im.path("id").asText(), new int[] {w, h});
        }
        Map<String, List<Instance>> objects = new LinkedHashMap<>();
        for (JsonNode a : root.get("annotations")) {
            String image = a.path("image_id").asText();
            String category = categories.get(a.path("category_id").asInt());
            JsonNode box = a.path("bbox");
            if (!sizes.containsKey(image) || category == null || box.size() != 4) {
                throw new InputException(where + ": annotation " + a.path("id").asText() + " has an unknown image, an unknown "
                        + "category or no [x, y, w, h] bbox");
            }
            objects.computeIfAbsent(image, k -> new ArrayList<>()).add(new Instance(category, region(a),
                    a.hasNonNull("colour") ? a.get("colour").asText().toLowerCase(java.util.Locale.ROOT) : null));
        }
        Map<String, ImageObjects> images = new LinkedHashMap<>();
        sizes.forEach((id, wh) -> images.put(id, new ImageObjects(wh[0], wh[1], objects.getOrDefault(id, List.of()))));
        return new CocoInstances(images, categories);
    }

    private static Shape region(JsonNode a) {
        JsonNode seg = a.path("segmentation");
        if (seg.isArray() && !seg.isEmpty()) {
            Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO);
            for (JsonNode poly : seg) {
                for (int i = 0; i + 1 < poly.size(); i += 2) {
                    if (i == 0) {
                        path.moveTo(poly.get(i).asDouble(), poly.get(i + 1).asDouble());
                    } else {
                        path.lineTo(poly.get(i).asDouble(), poly.get(i + 1).asDouble());
                    }
                }
                path.closePath();
            }
            return path;
        }
        JsonNode b = a.get("bbox");
        return new Rectangle2D.Double(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble());
    }
}

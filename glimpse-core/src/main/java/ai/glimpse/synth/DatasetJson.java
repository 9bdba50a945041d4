package ai.glimpse.synth;

import ai.glimpse.AtomicFile;

import ai.glimpse.data.Split;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Builds the JSON files of a synthetic dataset: COCO captions and COCO instances files per split (the
 * layouts of the COCO 2014 annotations, as pycocotools reads them) and one Karpathy-style
 * {@code dataset.json} with every image and its split. Ids agree across the files: image ids are the
 * COCO ids, caption annotation ids are the Karpathy sentence ids, and object annotation ids run over
 * the whole dataset in image order. Beyond the standard keys, which COCO readers ignore, object
 * annotations carry the object's {@code colour} and {@code size} words, and the images of the instances
 * file and of {@code dataset.json} their {@code background} ({@code grass}, {@code sand}, {@code water},
 * {@code snow} or {@code plain}).
 */
final class DatasetJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SynthConfig config;
    private final List<SynthImage> images;
    private final int[] firstObjectId;

    DatasetJson(SynthConfig config, List<SynthImage> images) {
        this.config = config;
        this.images = List.copyOf(images);
        this.firstObjectId = new int[images.size()];
        int next = 1;
        for (int i = 0; i < images.size(); i++) {
            firstObjectId[i] = next;
            next += images.get(i).scene().objects().size();
        }
    }

    /** The caption annotation id (and Karpathy sentence id) of caption {@code k} of image {@code imageId}. */
    static int captionId(int imageId, int k) {
        return (imageId - 1) * CaptionGrammar.CAPTIONS_PER_IMAGE + k + 1;
    }

    /** Karpathy's tokens of a caption: lower case, words only. */
    static List<String> tokens(String caption) {
        return List.of(caption.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").strip().split("\\s+"));
    }

    /** The COCO captions file of one split: info, licenses, images and caption annotations. */
    ObjectNode captions(Split split) {
        ObjectNode root = header();
        addImages(root, split, false);
        ArrayNode annotations = root.putArray("annotations");
        for (SynthImage image : images) {
            if (image.split() == split) {
                for (int k = 0; k < image.captions().size(); k++) {
                    annotations.addObject()
                            .put("id", captionId(image.id(), k))
                            .put("image_id", image.id())
                            .put("caption", image.captions().get(k));
                }
            }
        }
        return root;
    }

    /** The COCO instances file of one split: images, one annotation per object, and the categories. */
    ObjectNode instances(Split split) {
        ObjectNode root = header();
        addImages(root, split, true);
        ArrayNode annotations = root.putArray("annotations");
        for (int i = 0; i < images.size(); i++) {
            SynthImage image = images.get(i);
            if (image.split() != split) {
                continue;
            }
            List<SceneObject> objects = image.scene().objects();
            for (int j = 0; j < objects.size(); j++) {
                SceneObject o = objects.get(j);
                ObjectNode a = annotations.addObject();
                a.put("id", firstObjectId[i] + j);
                a.put("image_id", image.id());
                a.put("category_id", o.figure().categoryId());
                ArrayNode segmentation = a.putArray("segmentation");
                for (List<Outline.Point> polygon : o.outline().polygons()) {
                    ArrayNode xy = segmentation.addArray();
                    polygon.forEach(p -> xy.add(round(p.x())).add(round(p.y())));
                }
                a.put("area", round(o.outline().area()));
                ArrayNode bbox = a.putArray("bbox");
                for (double v : o.box().toArray()) {
                    bbox.add(round(v));
                }
                a.put("iscrowd", 0);
                a.put("colour", o.colour().word());
                a.put("size", o.size().word());
            }
        }
        ArrayNode categories = root.putArray("categories");
        for (Figure f : config.variant().figures()) {
            categories.addObject().put("id", f.categoryId()).put("name", f.noun()).put("supercategory", f.supercategory());
        }
        return root;
    }

    /** Karpathy's {@code dataset.json}: every image with its split, sentences (tokens and raw) and COCO id. */
    ObjectNode karpathy() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("images");
        for (SynthImage image : images) {
            ObjectNode entry = list.addObject();
            int imgid = image.id() - 1;
            entry.put("filename", image.fileName());
            entry.put("imgid", imgid);
            entry.put("split", image.split().label());
            entry.put("background", background(image));
            ArrayNode sentences = entry.putArray("sentences");
            ArrayNode sentids = JSON.createArrayNode();
            for (int k = 0; k < image.captions().size(); k++) {
                String raw = image.captions().get(k);
                ObjectNode s = sentences.addObject();
                ArrayNode tokens = s.putArray("tokens");
                tokens(raw).forEach(tokens::add);
                s.put("raw", raw).put("imgid", imgid).put("sentid", captionId(image.id(), k));
                sentids.add(captionId(image.id(), k));
            }
            entry.set("sentids", sentids);
            entry.put("cocoid", image.id());
        }
        root.put("dataset", "synth");
        return root;
    }

    /** Writes {@code node} compactly to {@code file} through a temporary file and a rename. */
    static void write(Path file, ObjectNode node) throws IOException {
        AtomicFile.write(file, JSON.writeValueAsBytes(node));
    }

    private ObjectNode header() {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("info")
                .put("description", "Glimpse synthetic " + config.variant().label() + " dataset")
                .put("version", "1.0")
                .put("contributor", "glimpse synth")
                .put("url", "")
                .put("seed", config.seed())
                .put("image_size", config.size())
                .put("split", config.split().toString());
        root.putArray("licenses").addObject()
                .put("id", 1)
                .put("name", "CC0 1.0 (generated)")
                .put("url", "https://creativecommons.org/publicdomain/zero/1.0/");
        return root;
    }

    private void addImages(ObjectNode root, Split split, boolean withBackground) {
        ArrayNode list = root.putArray("images");
        for (SynthImage image : images) {
            if (image.split() == split) {
                ObjectNode entry = list.addObject()
                        .put("id", image.id())
                        .put("file_name", image.fileName())
                        .put("width", config.size())
                        .put("height", config.size())
                        .put("license", 1);
                if (withBackground) {
                    entry.put("background", background(image));
                }
            }
        }
    }

    private static String background(SynthImage image) {
        return image.scene().background().name().toLowerCase(Locale.ROOT);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

package ai.glimpse.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a COCO captions file ({@code annotations/captions_train2014.json} and kin) as described by the
 * COCO data format (cocodataset.org, "Data format: image captioning"): an object with {@code images}
 * ({@code id}, {@code file_name}, {@code width}, {@code height}, ...) and {@code annotations}
 * ({@code image_id}, {@code id}, {@code caption}). Both the 2014 v1.0 layout ({@code info},
 * {@code licenses}, {@code type: "captions"}) and the 2017 layout ({@code coco_url}, no {@code type})
 * are read. The file is streamed: only the fields kept per image and the caption texts are held.
 *
 * <p>COCO files do not say which split they hold, so the split is inferred from the image's file name
 * ({@code COCO_val2014_...jpg}), else the folder of its {@code coco_url}
 * ({@code .../val2017/000000397133.jpg}), else the captions file's name ({@code captions_train2017.json});
 * the words {@code train}, {@code val} and {@code test} are recognised, anything else gives
 * {@link Split#NONE}. An image's {@link CorpusImage#file()} is its {@code file_name} as written, so the
 * images folder is the one holding the files themselves (e.g. {@code coco/train2014}). Images without
 * captions (test sets, {@code image_info_test2014.json}) are kept with no captions.
 */
final class CocoCaptionsReader {
    private static final Pattern WORD = Pattern.compile("[a-z]+");
    private static final List<String> INSTANCE_KEYS = List.of("bbox", "segmentation", "category_id", "keypoints");

    private record Entry(String id, String file, int width, int height, Split split) {
    }

    private CocoCaptionsReader() {
    }

    static CaptionCorpus read(Path file) {
        String label = CorpusReader.label(file);
        CorpusReader.requireReadableFile(file, label);
        Path name = file.getFileName();
        Split fromFileName = name == null ? Split.NONE : splitIn(name.toString());
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> indexById = new HashMap<>();
        Map<String, List<String>> captionsById = new LinkedHashMap<>();
        boolean[] sawImages = new boolean[1];
        try (JsonStream json = JsonStream.open(file, label)) {
            json.fields((key, token) -> {
                switch (key) {
                    case "images" -> {
                        sawImages[0] = true;
                        json.elements(key, node -> {
                            Entry entry = entry(node, entries.size(), fromFileName, json);
                            if (indexById.putIfAbsent(entry.id(), entries.size()) != null) {
                                throw json.error("image id " + entry.id() + " appears twice in \"images\"");
                            }
                            entries.add(entry);
                        });
                    }
                    case "annotations" -> {
                        int[] index = {0};
                        json.elements(key, node -> {
                            addCaption(node, index[0]++, captionsById, json);
                        });
                    }
                    case "type" -> {
                        JsonNode type = json.tree();
                        if (type.isTextual() && !type.asText().equals("captions")) {
                            throw json.error("\"type\" is \"" + type.asText() + "\", not \"captions\" (this is a COCO "
                                    + type.asText() + " file, not a captions file)");
                        }
                    }
                    default -> json.skip();
                }
                return true;
            });
            if (!sawImages[0]) {
                throw json.error("no \"images\" key (a COCO captions file lists its images)");
            }
            for (Map.Entry<String, List<String>> e : captionsById.entrySet()) {
                if (!indexById.containsKey(e.getKey())) {
                    throw json.error("annotations refer to image id " + e.getKey() + ", which is not in \"images\"");
                }
            }
        }
        List<CorpusImage> images = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            images.add(new CorpusImage(e.id(), e.file(), e.width(), e.height(), e.split(),
                    captionsById.getOrDefault(e.id(), List.of())));
        }
        return new CaptionCorpus(CorpusReader.Format.COCO.label(), images);
    }

    private static Entry entry(JsonNode node, int index, Split fromFileName, JsonStream json) {
        String where = "image " + index + " of \"images\"";
        if (!node.isObject()) {
            throw json.error(where + " is " + JsonStream.describe(node) + ", not an object");
        }
        String id = idText(node.get("id"), where, "id", json);
        JsonNode fileName = node.get("file_name");
        if (fileName == null || !fileName.isTextual() || fileName.asText().isBlank()) {
            throw json.error(where + " (id " + id + ") has no \"file_name\"");
        }
        String file = fileName.asText();
        Split split = splitIn(file);
        if (split == Split.NONE && node.path("coco_url").isTextual()) {
            split = splitIn(folderOfUrl(node.get("coco_url").asText()));
        }
        if (split == Split.NONE) {
            split = fromFileName;
        }
        return new Entry(id, file, size(node, "width", where, json), size(node, "height", where, json), split);
    }

    private static void addCaption(JsonNode node, int index, Map<String, List<String>> captionsById, JsonStream json) {
        String where = "annotation " + index + " of \"annotations\"";
        if (!node.isObject()) {
            throw json.error(where + " is " + JsonStream.describe(node) + ", not an object");
        }
        JsonNode caption = node.get("caption");
        if (caption == null) {
            for (String key : INSTANCE_KEYS) {
                if (node.has(key)) {
                    throw json.error(where + " has no \"caption\" but a \"" + key
                            + "\": this looks like a COCO instances or keypoints file, not captions");
                }
            }
            throw json.error(where + " has no \"caption\"");
        }
        if (!caption.isTextual()) {
            throw json.error(where + ": \"caption\" is " + JsonStream.describe(caption) + ", not a string");
        }
        String imageId = idText(node.get("image_id"), where, "image_id", json);
        captionsById.computeIfAbsent(imageId, k -> new ArrayList<>()).add(caption.asText());
    }

    /** An id as text: integral numbers without a decimal point, strings as written. */
    private static String idText(JsonNode id, String where, String key, JsonStream json) {
        if (id == null) {
            throw json.error(where + " has no \"" + key + "\"");
        }
        if (id.isIntegralNumber()) {
            return id.bigIntegerValue().toString();
        }
        if (id.isTextual() && !id.asText().isBlank()) {
            return id.asText();
        }
        String found = id.isValueNode() ? id.toString() : JsonStream.describe(id);
        throw json.error(where + ": \"" + key + "\" is " + found + ", expected a whole number or a non-blank string");
    }

    private static int size(JsonNode node, String key, String where, JsonStream json) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw json.error(where + ": \"" + key + "\" is " + value + ", not a size in pixels");
        }
        return value.intValue();
    }

    /** The split a name speaks of: exactly one of the words train, val, test; else NONE. */
    static Split splitIn(String name) {
        Split found = Split.NONE;
        Matcher words = WORD.matcher(name.toLowerCase(Locale.ROOT));
        while (words.find()) {
            Split split = switch (words.group()) {
                case "train" -> Split.TRAIN;
                case "val" -> Split.VAL;
                case "test" -> Split.TEST;
                default -> Split.NONE;
            };
            if (split != Split.NONE) {
                if (found != Split.NONE && found != split) {
                    return Split.NONE;
                }
                found = split;
            }
        }
        return found;
    }

    /** The last folder of a URL's path: {@code val2017} in {@code http://host/val2017/x.jpg}. */
    private static String folderOfUrl(String url) {
        String[] parts = url.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }
}

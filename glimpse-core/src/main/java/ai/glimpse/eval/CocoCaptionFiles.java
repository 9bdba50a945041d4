package ai.glimpse.eval;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the two inputs of an evaluation and checks them: a results file in the COCO results layout,
 * {@code [{"image_id": 42, "caption": "a dog runs"}, ...]}, and reference captions in the COCO captions
 * layout, {@code {"images": [...], "annotations": [{"image_id": 42, "caption": "..."}, ...]}}.
 *
 * <p>Only the images that have results are evaluated, as the toolkit does after
 * {@code params['image_id'] = cocoRes.getImgIds()}. Where the toolkit would keep the last of two
 * captions for one image, or fail on an assertion, this refuses with an {@link InputException} whose one
 * line names the file and the problem. Image ids are kept as text: {@code 42} and {@code "42"} are the
 * same image.
 */
public final class CocoCaptionFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESULTS = "results file ";
    private static final String ANNOTATIONS = "annotations file ";

    private CocoCaptionFiles() {
    }

    /**
     * The evaluation set: each result's raw caption and the raw references of its image, in results order.
     *
     * @throws InputException when either file is unusable or a result's image has no reference
     */
    public static EvalSet load(Path results, Path annotations) {
        Map<String, String> candidates = readResults(results);
        Map<String, List<String>> references = readAnnotations(annotations);
        Map<String, List<String>> selected = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : candidates.keySet()) {
            List<String> refs = references.get(id);
            if (refs == null) {
                missing.add(id);
            } else {
                selected.put(id, refs);
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException(RESULTS + results + ": image id " + missing.get(0) + " is not in " + ANNOTATIONS
                    + annotations + (missing.size() > 1 ? " (nor are " + (missing.size() - 1) + " more)" : ""));
        }
        return new EvalSet(selected, candidates);
    }

    /**
     * Raw captions by image id, in file order, from a COCO results file.
     *
     * @throws InputException on a missing, empty or malformed file, a missing key, or an image id given twice
     */
    public static Map<String, String> readResults(Path file) {
        String where = RESULTS + file;
        Map<String, String> captions = new LinkedHashMap<>();
        Map<String, Integer> firstEntry = new HashMap<>();
        try (JsonParser p = open(file, where)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InputException(where + ": file is empty");
            }
            if (first != JsonToken.START_ARRAY) {
                throw new InputException(where + ": expected a JSON list of {\"image_id\", \"caption\"} objects, found "
                        + describe(first));
            }
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                String at = where + ": results[" + i + "]";
                JsonNode entry = p.readValueAsTree();
                String id = imageId(entry, at);
                String caption = caption(entry, at);
                Integer earlier = firstEntry.putIfAbsent(id, i);
                if (earlier != null) {
                    throw new InputException(where + ": image id " + id + " has two captions (results[" + earlier
                            + "] and results[" + i + "]); give one caption per image");
                }
                captions.put(id, caption);
            }
            expectEnd(p, where);
        } catch (JsonProcessingException e) {
            throw malformed(where, e);
        } catch (IOException e) {
            throw new InputException(where + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (captions.isEmpty()) {
            throw new InputException(where + ": the list is empty, nothing to evaluate");
        }
        return captions;
    }

    /**
     * Raw reference captions by image id, in file order, from a COCO captions file; other keys
     * ({@code images}, {@code info}, ...) are skipped while streaming.
     *
     * @throws InputException on a missing, empty or malformed file or an annotation without its keys
     */
    public static Map<String, List<String>> readAnnotations(Path file) {
        String where = ANNOTATIONS + file;
        Map<String, List<String>> captions = new LinkedHashMap<>();
        boolean found = false;
        try (JsonParser p = open(file, where)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InputException(where + ": file is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InputException(where + ": expected a COCO captions object with \"annotations\", found "
                        + describe(first));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (!"annotations".equals(key)) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new InputException(where + ": \"annotations\" is " + describe(value) + ", expected a list");
                }
                found = true;
                for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                    String at = where + ": annotations[" + i + "]";
                    JsonNode entry = p.readValueAsTree();
                    String id = imageId(entry, at);
                    captions.computeIfAbsent(id, k -> new ArrayList<>()).add(caption(entry, at));
                }
            }
            expectEnd(p, where);
        } catch (JsonProcessingException e) {
            throw malformed(where, e);
        } catch (IOException e) {
            throw new InputException(where + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!found) {
            throw new InputException(where + ": not a COCO captions file (no \"annotations\" key)");
        }
        if (captions.isEmpty()) {
            throw new InputException(where + ": \"annotations\" is empty, no reference captions");
        }
        return captions;
    }

    private static JsonParser open(Path file, String where) throws IOException {
        InputFiles.requireFile(file, where);
        return JSON.createParser(file.toFile());
    }

    private static void expectEnd(JsonParser p, String where) throws IOException {
        JsonToken extra = p.nextToken();
        if (extra != null) {
            throw new InputException(where + ": unexpected content (" + describe(extra) + ") after the end of the JSON value"
                    + " (line " + p.currentLocation().getLineNr() + ")");
        }
    }

    /** The entry's {@code image_id} as text: an integer or a string. */
    private static String imageId(JsonNode entry, String at) {
        if (!entry.isObject()) {
            throw new InputException(at + " is " + describe(entry) + ", expected an object with \"image_id\" and \"caption\"");
        }
        JsonNode id = entry.get("image_id");
        if (id == null) {
            throw new InputException(at + " has no \"image_id\"");
        }
        if (id.isIntegralNumber() || id.isTextual() && !id.asText().isBlank()) {
            return id.asText();
        }
        throw new InputException(at + ".image_id is " + MeteorRunner.abbreviate(id.toString())
                + ", expected an integer or a non-blank string");
    }

    private static String caption(JsonNode entry, String at) {
        JsonNode caption = entry.get("caption");
        if (caption == null) {
            throw new InputException(at + " has no \"caption\"");
        }
        if (!caption.isTextual()) {
            throw new InputException(at + ".caption is " + describe(caption) + ", expected a string");
        }
        return caption.asText();
    }

    private static InputException malformed(String where, JsonProcessingException e) {
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String reason = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
        return new InputException(where + ": not valid JSON" + location + " (" + reason + ")", e);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String describe(JsonNode n) {
        return n.isObject() ? "an object" : n.isArray() ? "a list" : n.isTextual() ? "a string"
                : n.isNumber() ? "a number" : n.isBoolean() ? "a boolean" : n.isNull() ? "null" : n.getNodeType().toString();
    }
}

package ai.glimpse.data;

import ai.glimpse.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a Karpathy split file ({@code dataset_coco.json}, {@code dataset_flickr8k.json},
 * {@code dataset_flickr30k.json}) as released with Karpathy and Fei-Fei, "Deep Visual-Semantic
 * Alignments for Generating Image Descriptions" (2015): {@code {"images": [{"filepath", "filename",
 * "split", "sentences": [{"raw", "tokens"}], "cocoid"}], "dataset"}}. The Flickr variants have no
 * {@code filepath} or {@code cocoid}.
 *
 * <p>An image's id is its {@code cocoid} when present, else its file name; its file is
 * {@code filepath/filename}; its split one of {@code train}, {@code restval}, {@code val}, {@code test}.
 * A caption is the sentence's {@code raw} text, or its {@code tokens} joined by spaces when raw is
 * missing. The file is streamed one image at a time.
 */
final class KarpathySplitReader {
    private KarpathySplitReader() {
    }

    static CaptionCorpus read(Path file) {
        String label = CorpusReader.label(file);
        CorpusReader.requireReadableFile(file, label);
        List<CorpusImage> images = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        boolean[] sawImages = new boolean[1];
        try (JsonStream json = JsonStream.open(file, label)) {
            json.fields((key, token) -> {
                if (key.equals("images")) {
                    sawImages[0] = true;
                    json.elements(key, node -> {
                        CorpusImage image = image(node, images.size(), json);
                        if (!ids.add(image.id())) {
                            throw json.error("image " + image.id() + " appears twice in \"images\"");
                        }
                        images.add(image);
                    });
                } else {
                    json.skip();
                }
                return true;
            });
            if (!sawImages[0]) {
                throw json.error("no \"images\" key (a Karpathy split file lists its images)");
            }
        }
        return new CaptionCorpus(CorpusReader.Format.KARPATHY.label(), images);
    }

    private static CorpusImage image(JsonNode node, int index, JsonStream json) {
        String where = "image " + index + " of \"images\"";
        if (!node.isObject()) {
            throw json.error(where + " is " + JsonStream.describe(node) + ", not an object");
        }
        String filename = text(node, "filename", where, json);
        where = where + " (" + filename + ")";
        String filepath = node.path("filepath").isTextual() ? node.get("filepath").asText().strip() : "";
        String file = filepath.isEmpty() ? filename : filepath + "/" + filename;
        JsonNode cocoid = node.get("cocoid");
        String id = cocoid != null && cocoid.isIntegralNumber() ? cocoid.bigIntegerValue().toString() : filename;
        String splitName = text(node, "split", where, json);
        Split split;
        try {
            split = Split.parse(splitName);
        } catch (InputException e) {
            throw json.error(where + ": " + e.getMessage());
        }
        if (split == Split.NONE) {
            throw json.error(where + ": split 'none' is not a Karpathy split (expected train, restval, val or test)");
        }
        JsonNode sentences = node.get("sentences");
        if (sentences == null || !sentences.isArray()) {
            throw json.error(where + " has no \"sentences\" list");
        }
        List<String> captions = new ArrayList<>(sentences.size());
        for (int s = 0; s < sentences.size(); s++) {
            captions.add(caption(sentences.get(s), where + ", sentence " + s, json));
        }
        return new CorpusImage(id, file, 0, 0, split, captions);
    }

    private static String caption(JsonNode sentence, String where, JsonStream json) {
        JsonNode raw = sentence.get("raw");
        if (raw != null && raw.isTextual()) {
            return raw.asText();
        }
        JsonNode tokens = sentence.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw json.error(where + " has neither \"raw\" text nor a \"tokens\" list");
        }
        List<String> words = new ArrayList<>(tokens.size());
        for (JsonNode token : tokens) {
            if (!token.isTextual()) {
                throw json.error(where + ": a token is " + JsonStream.describe(token) + ", not a string");
            }
            words.add(token.asText());
        }
        return String.join(" ", words);
    }

    private static String text(JsonNode node, String key, String where, JsonStream json) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw json.error(where + " has no \"" + key + "\"");
        }
        return value.asText();
    }
}

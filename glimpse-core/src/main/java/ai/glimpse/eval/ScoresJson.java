package ai.glimpse.eval;

import ai.glimpse.AtomicFile;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes and reads {@link CaptionScores} as JSON, in the toolkit's vocabulary: {@code metrics} holds
 * its {@code eval} dictionary and {@code images} its {@code evalImgs} list. Every metric name is
 * written; one that was not computed (METEOR without a jar) is {@code null}.
 *
 * <pre>{"metrics": {"Bleu_1": 0.71, ..., "METEOR": null, "ROUGE_L": 0.52, "CIDEr": 0.94},
 *  "images": [{"image_id": 391895, "Bleu_1": 0.66, ...}, ...]}</pre>
 *
 * Numeric image ids are written as numbers, others as strings. Writing goes to a temporary file in
 * the same folder that is then renamed over the target, so a crash never leaves half a file.
 */
public final class ScoresJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScoresJson() {
    }

    /** The JSON tree of {@code scores}. */
    public static ObjectNode toJson(CaptionScores scores) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode metrics = root.putObject("metrics");
        for (String m : CaptionScores.METRICS) {
            metrics.put(m, scores.corpus().get(m));
        }
        ArrayNode images = root.putArray("images");
        scores.perImage().forEach((id, byMetric) -> {
            ObjectNode image = images.addObject();
            if (isCanonicalLong(id)) {
                image.put("image_id", Long.parseLong(id));
            } else {
                image.put("image_id", id);
            }
            for (String m : CaptionScores.METRICS) {
                image.put(m, byMetric.get(m));
            }
        });
        return root;
    }

    /** Writes {@code scores} to {@code file} through a temporary file and an atomic rename. */
    public static void write(CaptionScores scores, Path file) {
        AtomicFile.write(file, out -> {
            JSON.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .writeValue(out, toJson(scores));
            out.write('\n');                                           // a JSON file ends with a line break
        });
    }

    /**
     * Reads scores written by {@link #write}.
     *
     * @throws InputException when the file is missing or is not such a scores file
     */
    public static CaptionScores read(Path file) {
        InputFiles.requireFile(file, "scores file " + file);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InputException("scores file " + file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InputException("scores file " + file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || !root.path("metrics").isObject() || !root.path("images").isArray()) {
            throw new InputException("scores file " + file + ": expected an object with \"metrics\" and \"images\"");
        }
        Map<String, Double> corpus = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("metrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                corpus.put(e.getKey(), e.getValue().asDouble());
            }
        }
        Map<String, Map<String, Double>> perImage = new LinkedHashMap<>();
        for (JsonNode image : root.get("images")) {
            Map<String, Double> byMetric = new LinkedHashMap<>();
            for (String m : corpus.keySet()) {
                byMetric.put(m, image.path(m).asDouble(Double.NaN));
            }
            perImage.put(image.path("image_id").asText(), byMetric);
        }
        try {
            return new CaptionScores(corpus, perImage);
        } catch (IllegalArgumentException e) {
            throw new InputException("scores file " + file + ": " + e.getMessage());
        }
    }

    /** Whether {@code id} is a decimal long written the way {@link Long#toString(long)} writes it. */
    static boolean isCanonicalLong(String id) {
        try {
            return Long.toString(Long.parseLong(id)).equals(id);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

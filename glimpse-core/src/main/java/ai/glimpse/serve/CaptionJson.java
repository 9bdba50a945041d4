package ai.glimpse.serve;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.decode.Caption;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.explain.AttentionJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON answer of {@code POST /v1/caption}, with the field names of {@code caption --json --attention}
 * and {@code attention.json}: {@code caption}, {@code words}, {@code steps} (the words and, when the
 * caption ended, {@code <end>}: one per row of {@code alphas}), {@code log_prob} (null when not finite),
 * {@code finished}, {@code grid_size}, {@code alphas} [steps][grid_size * grid_size] row-major over the
 * grid, {@code betas} [steps], {@code input} {size, policy}: the grid covers the centre square of the
 * image for {@code SHORTER_SIDE_CENTER_CROP}, the whole image for {@code SQUARE}; and the search used,
 * {@code beam} and {@code max_length}.
 */
final class CaptionJson {
    private CaptionJson() {
    }

    static ObjectNode of(ObjectMapper mapper, Caption caption, ImageOptions input, int beam, int maxLength) {
        ObjectNode json = mapper.createObjectNode();
        json.put("caption", caption.text());
        AttentionJson.putCaption(json, caption);                      // the names caption --json --attention writes
        ArrayNode steps = json.putArray("steps");
        caption.words().forEach(steps::add);
        if (caption.alphas().length > caption.words().size()) {
            steps.add(Vocabulary.END);
        }
        ObjectNode in = json.putObject("input");
        in.put("size", input.size());
        in.put("policy", input.policy().name());
        json.put("beam", beam);
        json.put("max_length", maxLength);
        return json;
    }

    /** An error answer: {"error": message, "status": code}. */
    static byte[] error(ObjectMapper mapper, int status, String message) {
        ObjectNode json = mapper.createObjectNode();
        json.put("error", message);
        json.put("status", status);
        try {
            return mapper.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

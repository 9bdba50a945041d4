package ai.glimpse.explain;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.decode.Caption;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attention of one caption as JSON for other tools ({@code attention.json}, format {@value #FORMAT}
 * version {@value #VERSION}): {@code words}, {@code steps} (the words and, when the caption ended, {@code
 * <end>}, one per row of {@code alphas}), {@code log_prob} (null when not finite), {@code finished},
 * {@code grid_size}, {@code alphas} [T][L] row-major over the grid, {@code betas} [T], {@code image}
 * {width, height}, {@code input} {size, policy} and {@code crop_box} {x, y, width, height} in original
 * pixels: cell {@code l} covers columns {@code x + (l % grid) * width / grid} onwards and rows {@code y +
 * (l / grid) * height / grid} onwards. Names are snake_case, as in the coco-caption files; {@code caption
 * --json --attention} writes the caption's fields under the same names ({@link #putCaption}). Version 1
 * wrote {@code logProb}, {@code gridSize} and {@code cropBox}. The file ends with a line break.
 *
 * <p>With the deletion test, {@code faithfulness}: {@code share}, {@code regions} and {@code scope} of the
 * test and per step {@code word}, {@code log_prob}, {@code drop_top} and {@code drop_control} (what masking
 * the most attended cells, or as many of the least attended, took from the word's log-probability),
 * {@code top_mass}, {@code top_word} and {@code control_word} (the model's favourite word then), {@code
 * top_regions} and {@code control_regions}. With a counterfactual, {@code counterfactual}: {@code
 * description}, {@code masked_regions}, and the masked image's {@code words}, {@code log_prob}, {@code
 * finished}, {@code alphas} and {@code betas}.
 */
public final class AttentionJson {
    static final String FORMAT = "glimpse-attention";
    static final int VERSION = 2;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);           // AtomicFile owns the stream
    /** Indented objects, each array on one line (a row of alphas per line would be 196 lines). */
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
            .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);

    private AttentionJson() {
    }

    /**
     * Adds what a caption says of itself: {@code log_prob} (null when not finite: JSON has no infinity),
     * {@code finished}, {@code grid_size}, {@code words}, {@code alphas} [T][L] and {@code betas} [T].
     */
    public static void putCaption(ObjectNode node, Caption caption) {
        if (Double.isFinite(caption.logProb())) {
            node.put("log_prob", caption.logProb());
        } else {
            node.putNull("log_prob");
        }
        node.put("finished", caption.finished());
        node.put("grid_size", caption.gridSize());
        node.set("words", MAPPER.valueToTree(caption.words()));
        node.set("alphas", MAPPER.valueToTree(caption.alphas()));
        node.set("betas", MAPPER.valueToTree(caption.betas()));
    }

    /** Whether {@code file} is an attention JSON this class wrote (an earlier explain run's). */
    static boolean isOurs(Path file) {
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            return root != null && FORMAT.equals(root.path("format").asText());
        } catch (IOException e) {
            return false;
        }
    }

    static void write(OutputStream out, Explanation explanation, List<AttentionStep> steps, int width, int height,
            ImageOptions input, CropBox box) throws IOException {
        Caption caption = explanation.caption();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.put("words", caption.words());
        List<String> labels = new ArrayList<>();
        for (AttentionStep step : steps) {
            labels.add(step.word());
        }
        json.put("steps", labels);
        json.put("log_prob", Double.isFinite(caption.logProb()) ? caption.logProb() : null);
        json.put("finished", caption.finished());
        json.put("grid_size", caption.gridSize());
        json.put("alphas", caption.alphas());
        json.put("betas", caption.betas());
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("width", width);
        image.put("height", height);
        json.put("image", image);
        Map<String, Object> inputJson = new LinkedHashMap<>();
        inputJson.put("size", input.size());
        inputJson.put("policy", input.policy().name());
        json.put("input", inputJson);
        Map<String, Object> crop = new LinkedHashMap<>();
        crop.put("x", box.x());
        crop.put("y", box.y());
        crop.put("width", box.width());
        crop.put("height", box.height());
        json.put("crop_box", crop);
        if (explanation.faithfulness() != null) {
            json.put("faithfulness", faithfulness(explanation.faithfulness(), steps));
        }
        if (explanation.counterfactual() != null) {
            Explanation.Counterfactual cf = explanation.counterfactual();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("description", cf.description());
            List<Integer> masked = new ArrayList<>();
            for (int l = 0; l < cf.masked().length; l++) {
                if (cf.masked()[l]) {
                    masked.add(l);
                }
            }
            c.put("masked_regions", masked);
            c.put("words", cf.caption().words());
            c.put("log_prob", Double.isFinite(cf.caption().logProb()) ? cf.caption().logProb() : null);
            c.put("finished", cf.caption().finished());
            c.put("alphas", cf.caption().alphas());
            c.put("betas", cf.caption().betas());
            json.put("counterfactual", c);
        }
        MAPPER.writer(PRINTER).writeValue(out, json);
        out.write('\n');
    }

    private static Map<String, Object> faithfulness(Explanation.Faithfulness f, List<AttentionStep> steps) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("share", f.share());
        node.put("regions", f.regions());
        node.put("scope", f.scope());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int t = 0; t < f.steps().size(); t++) {
            Explanation.StepTest s = f.steps().get(t);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("word", steps.get(t).word());
            row.put("log_prob", finite(s.logProb()));
            row.put("drop_top", finite(s.dropTop()));
            row.put("drop_control", finite(s.dropControl()));
            row.put("top_mass", s.topMass());
            row.put("top_word", s.topWord());
            row.put("control_word", s.controlWord());
            row.put("top_regions", s.top());
            row.put("control_regions", s.control());
            rows.add(row);
        }
        node.put("steps", rows);
        return node;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

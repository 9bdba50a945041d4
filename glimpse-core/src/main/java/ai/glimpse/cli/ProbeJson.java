package ai.glimpse.cli;

import ai.glimpse.eval.CounterfactualSummary;
import ai.glimpse.eval.FaithfulnessSummary;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The probes' summaries in {@code scores.json}, field names in snake_case. */
final class ProbeJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProbeJson() {
    }

    /** {@code {share, scope, kinds: {name: row}, nouns: {name: row}}}, a row {steps, mean_drop_top, mean_drop_control, top_hurts_more}. */
    static ObjectNode faithfulness(FaithfulnessSummary s, double share, String scope) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("share", share);
        node.put("scope", scope);
        rows(node.putObject("kinds"), s.kinds());
        rows(node.putObject("nouns"), s.nouns());
        return node;
    }

    private static void rows(ObjectNode parent, List<FaithfulnessSummary.Row> rows) {
        for (FaithfulnessSummary.Row r : rows) {
            ObjectNode o = parent.putObject(r.name());
            o.put("steps", r.steps());
            o.put("mean_drop_top", r.meanDropTop());
            o.put("mean_drop_control", r.meanDropControl());
            o.put("top_hurts_more", r.hurtShare());
        }
    }

    /** {@code {fill, categories: {category: {images, as_captioned: {named: n}, objects_masked: {...}, outside_masked: {...}}}}}. */
    static ObjectNode counterfactuals(CounterfactualSummary s, String fill, String shape) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("fill", fill);
        node.put("shape", shape);
        ObjectNode cats = node.putObject("categories");
        s.counts().forEach((category, byName) -> {
            ObjectNode c = cats.putObject(category);
            c.put("images", s.images(category));
            for (int k = 0; k < CounterfactualSummary.CONDITIONS.size(); k++) {
                ObjectNode cond = c.putObject(CounterfactualSummary.CONDITIONS.get(k).replace(' ', '_'));
                final int condition = k;
                byName.forEach((named, n) -> {
                    if (n[condition] > 0) {
                        cond.put(named, n[condition]);
                    }
                });
            }
        });
        return node;
    }
}

package ai.glimpse.spark;

import ai.glimpse.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * What an output folder was made with ({@code glimpse-spark.json} in it): the job, the model's or
 * encoder's SHA-256 and the settings that change the rows. A rerun into the folder adds to it only with
 * the same ones, so that one table never mixes two models' captions.
 */
final class JobManifest {
    static final String FILE = "glimpse-spark.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobManifest() {
    }

    /**
     * Writes the manifest into {@code out}, or checks the one there.
     *
     * @param settings the job's settings, by name (written in this order)
     * @throws InputException when the folder holds another job's output or one made with other settings
     */
    static void claim(HadoopFiles files, String out, Map<String, Object> settings) {
        String path = out + "/" + FILE;
        ObjectNode want = JSON.valueToTree(settings);
        if (!files.exists(path)) {
            files.writeAtomically(path, s -> JSON.writerWithDefaultPrettyPrinter().writeValue(s, want));
            return;
        }
        JsonNode have;
        try {
            have = JSON.readTree(files.readText(path));
        } catch (IOException e) {
            throw new InputException(path + ": not valid JSON; is " + out + " a glimpse-spark output folder?");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = have.get(e.getKey());
            if (!e.getValue().equals(old)) {
                throw new InputException("--out " + out + " was written with " + e.getKey() + " " + old + ", this run has "
                        + e.getValue() + "; a rerun continues only the same job (use another --out)");
            }
        }
    }
}

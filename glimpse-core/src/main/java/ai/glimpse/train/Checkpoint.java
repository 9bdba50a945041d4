package ai.glimpse.train;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.config.TrainConfig;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.model.ParameterSet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A model bundle plus what a resumed run needs to continue exactly: the training configuration, the
 * trainer's position ({@link TrainerState}) and Adam's moments. It is itself a valid model bundle.
 */
public record Checkpoint(ModelBundle bundle, TrainConfig config, TrainerState state, Adam adam) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRAINER = "trainer.json";
    private static final String ADAM_M = "adam/m/";
    private static final String ADAM_V = "adam/v/";

    /** Saves atomically: a kill at any moment leaves the previous checkpoint or this one, whole. */
    public void save(Path file) {
        AtomicFile.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                bundle.writeEntries(zip);
                ObjectNode trainer = JSON.createObjectNode();
                trainer.set("config", JSON.valueToTree(config));
                trainer.set("state", JSON.valueToTree(state));
                trainer.put("adamStep", adam.step());
                zip.putNextEntry(new ZipEntry(TRAINER));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(trainer));
                zip.closeEntry();
                ModelBundle.writeArrays(zip, ADAM_M, asSet(adam.firstMoments()));
                ModelBundle.writeArrays(zip, ADAM_V, asSet(adam.secondMoments()));
            }
        });
    }

    /** Loads a checkpoint; a plain model bundle (no trainer state) is refused with a clear message. */
    public static Checkpoint load(Path file) {
        String source = file.toString();
        try (ZipFile zip = ModelBundle.open(file)) {
            ModelBundle bundle = ModelBundle.read(zip, source);
            if (zip.getEntry(TRAINER) == null) {
                throw new InputException(source + ": a finished model, not a checkpoint (no trainer state to resume from)");
            }
            JsonNode trainer = ModelBundle.readJson(zip, TRAINER, source);
            TrainConfig config = JSON.treeToValue(trainer.get("config"), TrainConfig.class);
            TrainerState state = JSON.treeToValue(trainer.get("state"), TrainerState.class);
            ParameterSet like = bundle.model().params();
            ParameterSet m = ModelBundle.readArrays(zip, ADAM_M, like, source);
            ParameterSet v = ModelBundle.readArrays(zip, ADAM_V, like, source);
            Adam adam = new Adam(m.asMap(), v.asMap(), trainer.path("adamStep").asLong());
            return new Checkpoint(bundle, config, state, adam);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(source + ": bad trainer state in checkpoint");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ParameterSet asSet(java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> arrays) {
        ParameterSet set = new ParameterSet();
        arrays.forEach(set::put);
        return set;
    }
}

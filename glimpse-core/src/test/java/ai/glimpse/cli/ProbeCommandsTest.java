package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train with attention boxes, then evaluate with the probes, on a small synthetic set with instances. */
class ProbeCommandsTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static TinyDataset.Run trained;

    @BeforeAll
    static void synthAndTrain() {
        data = dir.resolve("synth");
        TinyDataset.Run s = TinyDataset.run(List.of("synth", "--out", data.toString(), "--images", "30", "--size", "32",
                "--seed", "4", "--split", "60/20/20"));
        assertEquals(0, s.code(), s.err());
        model = dir.resolve("model.zip");
        trained = TinyDataset.run(List.of("train", "--captions", data.resolve("dataset.json").toString(), "--images",
                data.resolve("images").toString(), "--image-size", "32", "--channels", "4,8", "--embed-dim", "8",
                "--hidden-dim", "8", "--attention-dim", "6", "--min-freq", "1", "--max-length", "12", "--batch-size", "8",
                "--epochs", "1", "--val-images", "2", "--out", model.toString(),
                "--attention-boxes", data.resolve("annotations/instances_train.json").toString(), "--attention-box-weight", "2"));
    }

    @Test
    void trainingWithAttentionBoxesSupervisesTheObjectWords() {
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.err().matches("(?s).*attention boxes: [1-9][0-9,]* object words of the training captions supervised "
                + "at weight 2\\.0.*"), trained.err());
    }

    @Test
    void evaluateReportsHallucinationTheDeletionTestAndCounterfactuals() throws Exception {
        Path out = dir.resolve("eval");
        TinyDataset.Run r = TinyDataset.run(List.of("evaluate", "--model", model.toString(), "--captions",
                data.resolve("dataset.json").toString(), "--images", data.resolve("images").toString(), "--split", "test",
                "--beam", "1", "--instances", data.resolve("annotations/instances_test.json").toString(), "--faithfulness",
                "--counterfactuals", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("hallucination: CHAIR-i"), r.out());
        assertTrue(r.out().contains("deletion test:") && r.out().contains("counterfactuals:"), r.out());
        JsonNode scores = new ObjectMapper().readTree(out.resolve("scores.json").toFile());
        assertTrue(scores.get("hallucination").has("chair_s"));
        assertTrue(scores.get("faithfulness").get("kinds").get("all").get("steps").asInt() > 0);
        assertEquals("blank", scores.get("counterfactuals").get("fill").asText());
    }

    @Test
    void counterfactualsNeedInstances() {
        TinyDataset.Run r = TinyDataset.run(List.of("evaluate", "--model", model.toString(), "--captions",
                data.resolve("dataset.json").toString(), "--images", data.resolve("images").toString(), "--counterfactuals"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--counterfactuals") && r.err().contains("--instances"), r.err());
    }
}

package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.train.Bench;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code glimpse bench} at nano sizes: what it prints and writes, and the sizes it refuses. */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return cmd.execute(all);
    }

    @Test
    void timesEveryKindOfWorkAndWritesTheSamples(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        int code = run("--feature-dim", "8", "--grid", "2", "--attention-dim", "4", "--embed-dim", "4", "--hidden-dim", "6",
                "--vocab", "12", "--batch-size", "3", "--words", "4", "--beam", "2", "--repeats", "2", "--json", json.toString());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        for (String line : new String[] {"train step", "decode step", "greedy, one image, 4 words", "beam 2, one image",
                "peak resident memory"}) {
            assertTrue(text.contains(line), "prints " + line + ":\n" + text);
        }
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        for (String kind : new String[] {"train", "decode", "greedy", "beam"}) {
            assertEquals(2, r.get("samples").get(kind).size(), kind + " has one sample per repeat");
            for (JsonNode s : r.get("samples").get(kind)) {
                assertTrue(s.asDouble() > 0, kind + " sample " + s);
            }
        }
        ModelConfig c = ModelConfig.frozen(ModelConfig.Encoder.RESNET50, 64, 8, 2, 12, 4, 6, 4, 0.5, 1.0, 3);
        // per row and step: W_h h 24, w.tanh 16, beta 6, LSTM 18 * 24, deep output 14 * 4, vocabulary 48; context 32
        double perRow = 24 + 16 + 6 + 18 * 24 + 14 * 4 + 48;
        double expected = 2 * (2 * (3 * 4 * 8 * 4 + 2 * 3 * 8 * 6) + 4 * 3 * (3 * perRow + 2 * 32));
        assertEquals(expected, Bench.trainingFlops(c, 3), 1e-9);
        assertEquals(expected / 1e9, r.get("trainStepGflop").asDouble(), 1e-15);
        assertTrue(r.get("peakRssMegabytes").asDouble() >= r.get("peakRssMegabytesTraining").asDouble());
    }

    @Test
    void jsonToStandardOutputReplacesTheTable(@TempDir Path dir) throws Exception {
        int code = run("--feature-dim", "8", "--grid", "2", "--attention-dim", "4", "--embed-dim", "4", "--hidden-dim", "6",
                "--vocab", "12", "--batch-size", "3", "--words", "4", "--beam", "2", "--repeats", "1", "--json", "-");
        assertEquals(0, code, err.toString());
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertEquals(1, r.get("samples").get("train").size(), out.toString());
        assertFalse(java.nio.file.Files.exists(Path.of("-")), "no file named -");
    }

    @Test
    void sizesOutsideTheirRangeAreOneLineErrors() {
        assertEquals(2, run("--grid", "1000"));
        assertEquals("glimpse: --grid must be in [1, 64], got 1000", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--beam", "0"));
        assertTrue(err.toString().strip().startsWith("glimpse: --beam must be in [1, 100]"), err.toString());
    }
}

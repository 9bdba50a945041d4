package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.NativeBackend;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one-line backend description, and --verbose printing it before a verb runs. */
class BackendLineTest {
    @Test
    void theBackendIsDescribedInOneLine() {
        String line = NativeBackend.describe();
        assertFalse(line.contains("\n"), line);
        if (NativeBackend.cudaFirst()) {
            assertTrue(line.startsWith("ND4J CUDA backend (nd4j-cuda-11.6)"), line);
        } else {
            assertTrue(line.matches("ND4J CPU backend \\(nd4j-native(, onednn-avx2)?\\), [0-9]+ threads"), line);
        }
    }

    @Test
    void verbosePrintsTheBackendBeforeTheVerbRunsAndPlainRunsDoNot() {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int expected = NativeBackend.cudaFirst() ? cudaExit() : 0;
        assertEquals(expected, tokenize(out, err, "--verbose"), err.toString());
        assertTrue(err.toString().startsWith(expected == 0 ? "glimpse: ND4J " : "glimpse: cannot start the CUDA backend: "),
                err.toString());
        StringWriter quiet = new StringWriter();
        tokenize(new StringWriter(), quiet);
        assertFalse(quiet.toString().contains("glimpse: ND4J "), quiet.toString());
    }

    /** 0 where the CUDA backend starts, else 2 with its one-line refusal. */
    private static int cudaExit() {
        try {
            NativeBackend.start();
            return 0;
        } catch (ai.glimpse.InputException e) {
            return 2;
        }
    }

    private static int tokenize(StringWriter out, StringWriter err, String... options) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        TokenizeCommand tokenize = cmd.getSubcommands().get("tokenize").getCommand();
        tokenize.in = new ByteArrayInputStream("A dog.".getBytes(StandardCharsets.UTF_8));
        String[] args = new String[options.length + 1];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "tokenize";
        return cmd.execute(args);
    }
}

package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TokenizeCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        TokenizeCommand tokenize = cmd.getSubcommands().get("tokenize").getCommand();
        tokenize.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        List<String> all = new ArrayList<>(List.of("tokenize"));
        all.addAll(List.of(args));
        return cmd.execute(all.toArray(String[]::new));
    }

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    @Test
    void printsOneNormalizedCaptionPerLine() {
        int code = run("A woman's purse (red) on a table.\n\n...\nTwo dogs ' playing in the café!\r\nI can't");
        assertEquals(0, code, err.toString());
        assertEquals(lines("a woman 's purse -lrb- red -rrb- on a table", "", "",
                "two dogs playing in the café", "i ca n't"), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void rawPrintsTheTokensBeforePunctuationIsRemoved() {
        int code = run("I can't see the U.S. flag...\n\"Hi,\" she said (twice).\n", "--raw");
        assertEquals(0, code, err.toString());
        assertEquals(lines("i ca n't see the u.s. flag ...", "`` hi , '' she said -lrb- twice -rrb- ."),
                out.toString());
    }

    @Test
    void emptyInputPrintsNothing() {
        assertEquals(0, run(""));
        assertEquals("", out.toString());
    }

    @Test
    void helpExplainsTheNormalisationWithAnExample() {
        assertEquals(0, run("", "--help"));
        String help = out.toString();
        assertTrue(help.contains("coco-caption"), help);
        assertTrue(help.contains("--raw"), help);
        assertTrue(help.contains("glimpse tokenize"), help);
        assertTrue(help.contains("a woman 's purse -lrb- red -rrb- on a table"), help);
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(Main.BAD_INPUT, run("x\n", "--bogus"));
        assertTrue(err.toString().contains("--bogus"), err.toString());
    }
}

package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The help of glimpse and of every verb: no warnings, 80 columns, whole words, whole examples, one vocabulary. */
class HelpTest {
    private record Run(int code, String out, String err, String systemErr) {
    }

    /** Runs a command line, capturing its writers and System.err, where picocli prints its own warnings. */
    private static Run run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cmd.execute(args);
        } finally {
            System.setErr(saved);
        }
        return new Run(code, out.toString(), err.toString(), captured.toString(StandardCharsets.UTF_8));
    }

    private static List<String> verbs() {
        return new ArrayList<>(Main.commandLine().getSubcommands().keySet());
    }

    /** {@code glimpse --help}, then {@code glimpse VERB --help} and {@code glimpse help VERB} for every verb. */
    private static Map<String, String> everyHelp() {
        Map<String, String> helps = new java.util.LinkedHashMap<>();
        Run root = run("--help");
        assertEquals(0, root.code(), root.err());
        helps.put("glimpse", root.out());
        for (String verb : verbs()) {
            Run help = run(verb, "--help");
            assertEquals(0, help.code(), verb + ": " + help.err());
            helps.put(verb, help.out());
            Run viaHelp = run("help", verb);
            assertEquals(0, viaHelp.code(), "help " + verb + ": " + viaHelp.err());
            assertEquals(help.out(), viaHelp.out(), "help " + verb);
        }
        return helps;
    }

    @Test
    void everyHelpPrintsNoWarningAndFitsEightyColumns() {
        for (String args : List.of("--help", "-h", "help")) {
            Run r = run(args);
            assertEquals("", r.err() + r.systemErr(), args);
        }
        for (String verb : verbs()) {
            Run r = run(verb, "--help");
            assertEquals("", r.err(), verb);
            assertEquals("", r.systemErr(), verb + ": picocli warned (an unescaped % in a description?)");
            for (String line : r.out().lines().toList()) {
                assertTrue(line.length() <= HelpText.WIDTH, verb + ": a line of " + line.length() + " columns: " + line);
            }
        }
    }

    @Test
    void examplesAreKeptWholeAndContinuedWithBackslashes() {
        CommandLine root = Main.commandLine();
        List<CommandLine> all = new ArrayList<>(List.of(root));
        all.addAll(root.getSubcommands().values());
        int examples = 0;
        for (CommandLine cmd : all) {
            String name = cmd.getCommandSpec().qualifiedName();
            String help = cmd.getUsageMessage();
            List<String> lines = help.lines().toList();
            String[] footer = cmd.getCommandSpec().usageMessage().footer();
            for (int i = 0; i < footer.length; i++) {
                String line = HelpText.format(footer[i]);
                if (line.strip().startsWith("glimpse ") || line.strip().startsWith("$ ") || line.startsWith("      ")) {
                    examples++;
                    assertTrue(lines.contains(line), name + ": the example line is not printed whole: " + line);
                    assertTrue(line.length() <= HelpText.WIDTH, name + ": " + line);
                    boolean continued = i + 1 < footer.length && footer[i + 1].startsWith("      ");
                    assertEquals(continued, line.endsWith(" \\"), name + ": a continued example ends with \\: " + line);
                }
            }
        }
        assertTrue(examples >= 12, "every verb has an example; found " + examples + " lines");
    }

    @Test
    void noWordIsBrokenAcrossLines() {
        CommandLine root = Main.commandLine();
        List<CommandLine> all = new ArrayList<>(List.of(root));
        all.addAll(root.getSubcommands().values());
        for (CommandLine cmd : all) {
            CommandSpec spec = cmd.getCommandSpec();
            Set<String> printed = new HashSet<>(Arrays.asList(cmd.getUsageMessage().split("\\s+")));
            List<String> text = new ArrayList<>();
            for (String paragraph : spec.usageMessage().description()) {
                text.add(HelpText.format(paragraph));
            }
            for (OptionSpec option : spec.options()) {
                if (!option.hidden()) {
                    text.addAll(Arrays.asList(option.description()));
                }
            }
            for (String paragraph : text) {
                for (String word : paragraph.split("\\s+")) {
                    assertTrue(word.isEmpty() || printed.contains(word),
                            spec.qualifiedName() + ": '" + word + "' is not printed whole (e.g. dataset. / json)");
                }
            }
        }
    }

    @Test
    void rootListsEveryVerbWithAWholeSentence() {
        String help = run("--help").out();
        List<String> lines = help.lines().toList();
        int start = lines.indexOf("Commands:");
        assertTrue(start >= 0, help);
        for (String verb : verbs()) {
            int at = -1;
            for (int i = start + 1; i < lines.size(); i++) {
                if (lines.get(i).startsWith("  " + verb + " ")) {
                    at = i;
                }
            }
            assertTrue(at > 0, verb + " is listed: " + help);
            StringBuilder summary = new StringBuilder(lines.get(at).substring(2 + verb.length()).strip());
            for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("              "); i++) {
                summary.append(' ').append(lines.get(i).strip());
            }
            assertTrue(summary.toString().endsWith("."), verb + ": the summary is a whole sentence: " + summary);
            assertFalse(summary.toString().contains("%n"), verb + ": " + summary);
        }
    }

    @Test
    void labelsSayWhatAValueIsAndVersionBelongsToTheRoot() {
        for (Map.Entry<String, String> help : everyHelp().entrySet()) {
            assertFalse(help.getValue().matches("(?s).*=<[A-Za-z]+>.*"), help.getKey() + ": a field name as label");
            if (!help.getKey().equals("glimpse")) {
                assertFalse(help.getValue().contains("--version"), help.getKey() + " lists --version");
            }
        }
        assertTrue(run("--version").out().startsWith("glimpse "));
        Run r = run("tokenize", "-V");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("Unknown option: '-V'"), r.err());
    }

    @Test
    void unknownOptionsAndVerbsGetSuggestions() {
        Run option = run("caption", "--model", "m.zip", "--beams", "3", "x.png");
        assertEquals(Main.BAD_INPUT, option.code());
        assertTrue(option.err().startsWith("glimpse: Unknown option: '--beams' (did you mean --beam?)"), option.err());
        Run verb = run("captoin", "--model", "m.zip");
        assertEquals(Main.BAD_INPUT, verb.code());
        assertTrue(verb.err().startsWith("glimpse: 'captoin' is not a glimpse command (did you mean caption?)"), verb.err());
        Run nothingLike = run("zzzzzzzz");
        assertTrue(nothingLike.err().startsWith("glimpse: 'zzzzzzzz' is not a glimpse command (the commands: synth,"),
                nothingLike.err());
    }

    @Test
    void oneNameMeansOneThingAndOldNamesStillWorkUnlisted() {
        Map<String, String> helps = everyHelp();
        for (String verb : List.of("vocab", "train", "evaluate")) {
            assertTrue(helps.get(verb).contains("--images=DIR"), verb + ": --images is a folder");
        }
        assertTrue(helps.get("synth").contains("--count=N") && !helps.get("synth").contains("--images"), helps.get("synth"));
        for (String verb : List.of("caption", "explain", "evaluate", "train")) {
            assertTrue(helps.get(verb).contains("--model=FILE"), verb + ": --model is the model file");
        }
        for (String verb : List.of("synth", "explain", "evaluate")) {
            assertTrue(helps.get(verb).contains("--out=DIR"), verb + ": --out is a folder");
        }
        assertFalse(helps.get("train").contains("--out=") || helps.get("vocab").contains("--out="), "old names unlisted");
        for (String verb : List.of("caption", "evaluate", "vocab")) {
            assertTrue(helps.get(verb).contains("--json=FILE|-"), verb + ": --json is a JSON document, - for stdout");
        }
        assertTrue(helps.get("train").contains("--truncate=N") && !helps.get("train").contains("--max-length="));
        assertTrue(helps.get("caption").contains("--max-length=N"), "--max-length limits decoding");
        CommandLine root = Main.commandLine();
        LegacyOptions.RENAMED.forEach((verb, names) -> names.forEach((old, current) -> {
            CommandSpec spec = root.getSubcommands().get(verb).getCommandSpec();
            OptionSpec alias = spec.findOption(old);
            assertNotNull(alias, verb + " " + old);
            assertTrue(alias.hidden(), verb + " " + old);
            assertFalse(spec.findOption(current).hidden(), verb + " " + current);
        }));
    }

    @Test
    void trainHelpSaysWhichFlagsMakeTheDemoModel() throws Exception {
        String help = run("train", "--help").out();
        String script = java.nio.file.Files.readString(ai.glimpse.Repo.file("scripts/train-demo.sh"));
        for (String flag : List.of("--epochs 20", "--lr 1e-3", "--truncate 24", "--val-images 200", "--alpha-c 0.01",
                "--word-loss 1", "--warmup-steps 600", "--attention-box-weight 1", "--attention-boxes work/shapes/annotations/instances_train.json")) {
            assertTrue(help.contains(flag), "train --help shows " + flag);
        }
        assertTrue(script.contains("--lr 1e-3") && script.contains("--alpha-c 0.01") && script.contains("--val-images 200")
                && script.contains("train_demo shapes shapes 3000 1 20 24 --word-loss 1 --warmup-steps 600 \\\n"
                        + "  --attention-boxes @DATA@/annotations/instances_train.json --attention-box-weight 1"), "the recipe the help quotes");
    }
}

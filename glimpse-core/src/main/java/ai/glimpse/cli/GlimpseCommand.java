package ai.glimpse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code glimpse} command: holds the verbs and the options every verb shares. */
@Command(
        name = "glimpse",
        mixinStandardHelpOptions = true,
        versionProvider = GlimpseCommand.Version.class,
        description = {"Image captioning with spatial visual attention (Show, Attend and Tell): captions images and"
                + " shows where the model looked for each word."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nA first session (the shipped models know synthetic shapes, not photographs):%n",
        footer = {
            "  glimpse caption --model pretrained/glimpse-shapes.zip datasets/samples",
            "  glimpse explain --model pretrained/glimpse-shapes.zip --out overlays \\",
            "      datasets/samples/shapes_1.png",
            "  glimpse synth --out work/shapes --count 3000",
            "  glimpse train --captions work/shapes/dataset.json \\",
            "      --images work/shapes/images --model work/model.zip",
            "",
            "'glimpse COMMAND --help' explains each command."},
        subcommands = {
            SynthCommand.class,
            TokenizeCommand.class,
            VocabCommand.class,
            TrainCommand.class,
            CaptionCommand.class,
            ExplainCommand.class,
            EvaluateCommand.class,
            InfoCommand.class,
            BenchCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class GlimpseCommand implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors and more detail while working.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see 'glimpse --help')");
    }

    /** Whether --verbose was given anywhere on this command line. */
    static boolean verbose(CommandLine cmd) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Object command = root.getCommand();
        return command instanceof GlimpseCommand g && g.verbose;
    }

    /**
     * Lists the verbs with one sentence each in {@code glimpse --help}: a verb's header when it has one,
     * else the first paragraph of its description up to the first full stop, or, when that runs past a
     * line, up to its first colon (so no summary is cut mid-sentence, whatever a verb's description holds).
     */
    static void listCommandsBySummary(CommandLine root) {
        root.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> {
            Map<String, CommandLine.Help> verbs = help.subcommands();
            int width = verbs.keySet().stream().mapToInt(String::length).max().orElse(0);
            StringBuilder list = new StringBuilder();
            verbs.forEach((name, verb) -> {
                String[] header = verb.commandSpec().usageMessage().header();
                String[] description = verb.commandSpec().usageMessage().description();
                String summary = header.length > 0 ? HelpText.format(header[0]).strip()
                        : description.length == 0 ? "" : summary(HelpText.format(description[0]));
                list.append(HelpText.wrap(String.format("  %-" + width + "s  ", name), summary, " ".repeat(width + 6)))
                        .append('\n');
            });
            return list.toString();
        });
    }

    /** The first sentence of {@code paragraph}; when longer than about a line, the part before its first colon. */
    static String summary(String paragraph) {
        String text = paragraph.strip();
        int stop = text.indexOf(". ");
        String sentence = stop < 0 ? text : text.substring(0, stop + 1);
        int colon = sentence.indexOf(": ");
        if (sentence.length() > 66 && colon > 0) {
            sentence = sentence.substring(0, colon) + ".";
        }
        return sentence;
    }

    /** The version Maven wrote into the jar ("unknown" when run from classes without it). */
    static String glimpseVersion() {
        Properties p = new Properties();
        try (InputStream in = GlimpseCommand.class.getResourceAsStream("/ai/glimpse/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"glimpse " + glimpseVersion(),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch")};
        }
    }
}

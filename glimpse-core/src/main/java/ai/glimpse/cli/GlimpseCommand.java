package ai.glimpse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code glimpse} command: holds the verbs and the options every verb shares. */
@Command(
        name = "glimpse",
        mixinStandardHelpOptions = true,
        versionProvider = GlimpseCommand.Version.class,
        description = "Image captioning with spatial visual attention (Show, Attend and Tell).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            SynthCommand.class,
            TokenizeCommand.class,
            VocabCommand.class,
            TrainCommand.class,
            CaptionCommand.class,
            ExplainCommand.class,
            EvaluateCommand.class,
            BenchCommand.class,
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

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = GlimpseCommand.class.getResourceAsStream("/ai/glimpse/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"glimpse " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch")};
        }
    }
}

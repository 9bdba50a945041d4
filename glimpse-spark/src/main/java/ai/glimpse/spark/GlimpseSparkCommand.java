package ai.glimpse.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code glimpse-spark} command: holds the jobs and the options they share. */
@Command(name = "glimpse-spark", mixinStandardHelpOptions = true, version = "glimpse-spark 0.1.0",
        description = {"Glimpse's batch jobs on Apache Spark 3.5: captions and frozen-encoder features for large",
            "image sets, on this machine (local[*], nothing to install) or on a cluster."},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {CaptionJobCommand.class, FeaturesJobCommand.class, CommandLine.HelpCommand.class})
public final class GlimpseSparkCommand implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see 'glimpse-spark --help')");
    }

    /** Whether --verbose was given anywhere on this command line. */
    static boolean verbose(CommandLine cmd) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getCommand() instanceof GlimpseSparkCommand g && g.verbose;
    }
}

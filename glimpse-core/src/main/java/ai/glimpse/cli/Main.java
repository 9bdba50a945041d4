package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.NativeBackend;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Entry point of the {@code glimpse} command. The only place that calls {@link System#exit}.
 *
 * <p>Exit codes: 0 success; 2 bad usage or bad input (one line on stderr); 1 internal failure (the
 * stack trace only with {@code --verbose}).
 */
public final class Main {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;

    /**
     * The command line's logging (slf4j-simple, the binding this jar carries; the library itself logs
     * through slf4j-api only): quiet by default, since Glimpse reports progress itself and libraries
     * speak only on warnings. Set as system properties before any logger exists, each unless the user
     * set it ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} still works).
     */
    private static final String[][] LOGGING = {
        {"org.slf4j.simpleLogger.defaultLogLevel", "warn"},
        {"org.slf4j.simpleLogger.logFile", "System.err"},
        {"org.slf4j.simpleLogger.showThreadName", "false"},
        {"org.slf4j.simpleLogger.showDateTime", "false"},
        {"org.slf4j.simpleLogger.log.ai.glimpse", "info"},
        {"org.slf4j.simpleLogger.log.org.nd4j.imports", "error"},
    };

    static {
        for (String[] setting : LOGGING) {
            if (System.getProperty(setting[0]) == null) {
                System.setProperty(setting[0], setting[1]);
            }
        }
        NativeBackend.configure();
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");            // drawing into images needs no display
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code; tests call this, never {@link #main}. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line, with Glimpse's error handling; tests may set its writers. Verbs take
     * {@code -h/--help}; {@code -V/--version} belongs to {@code glimpse} alone; renamed options keep their old
     * names, unlisted ({@link LegacyOptions}).
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new GlimpseCommand());
        for (CommandLine verb : cmd.getSubcommands().values()) {
            CommandSpec spec = verb.getCommandSpec();
            OptionSpec version = spec.findOption("--version");
            if (version != null) {
                spec.remove(version);
            }
        }
        LegacyOptions.install(cmd);
        HelpText.install(cmd);
        GlimpseCommand.listCommandsBySummary(cmd);
        cmd.setExecutionStrategy(Main::startBackendThenRun);
        cmd.setExecutionExceptionHandler(Main::handleExecutionException);
        cmd.setParameterExceptionHandler(Main::handleParameterException);
        cmd.setExitCodeExceptionMapper(t -> isInputError(t) ? BAD_INPUT : INTERNAL_ERROR);
        return cmd;
    }

    /**
     * Starts ND4J's backend before any verb but help, version and {@code info} runs (on the CUDA build this
     * checks the machine: a failure is one line and exit 2 before any work), prints which backend runs
     * under {@code --verbose}, then runs the verb.
     */
    private static int startBackendThenRun(CommandLine.ParseResult parsed) {
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine leaf = chain.get(chain.size() - 1);
        boolean helpOnly = chain.size() == 1
                || chain.stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested())
                || leaf.getCommand() instanceof CommandLine.HelpCommand
                || "info".equals(leaf.getCommandName());                   // info reports the backend itself
        if (!helpOnly) {
            PrintWriter err = leaf.getErr();
            boolean verbose = GlimpseCommand.verbose(leaf);
            try {
                NativeBackend.start();
            } catch (InputException e) {
                err.println("glimpse: " + oneLine(e));
                if (verbose) {
                    e.printStackTrace(err);
                }
                err.flush();
                return BAD_INPUT;
            }
            if (verbose) {
                err.println("glimpse: " + NativeBackend.describe());
                err.flush();
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("glimpse: " + describe(ex));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return BAD_INPUT;
    }

    /**
     * picocli's message, with its suggestions on the same line: "Unknown option: '--beams' (did you mean
     * --beam?)"; an unknown verb is said to be one ("'captoin' is not a glimpse command (did you mean
     * caption?)") instead of an unmatched argument. Options left out of the help are not suggested.
     */
    static String describe(CommandLine.ParameterException ex) {
        String message = ex.getMessage();
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return message;
        }
        CommandLine cmd = ex.getCommandLine();
        List<String> args = unmatched.getUnmatched();
        boolean verb = !cmd.getSubcommands().isEmpty() && !args.isEmpty() && !args.get(0).startsWith("-");
        if (verb) {
            message = "'" + args.get(0) + "' is not a " + cmd.getCommandSpec().qualifiedName() + " command";
        }
        List<String> suggestions = new ArrayList<>();
        for (String s : unmatched.getSuggestions()) {
            OptionSpec option = s.startsWith("-") ? cmd.getCommandSpec().findOption(s) : null;
            if (!s.isBlank() && (option == null || !option.hidden()) && !suggestions.contains(s)) {
                suggestions.add(s);
            }
        }
        if (!suggestions.isEmpty()) {
            List<String> best = suggestions.subList(0, Math.min(suggestions.size(), verb ? 1 : 3));  // most alike first
            message += " (did you mean " + String.join(" or ", best) + "?)";
        } else if (verb) {
            message += " (the commands: " + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        }
        return message;
    }

    private static int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = GlimpseCommand.verbose(cmd);
        if (isInputError(ex)) {
            err.println("glimpse: " + oneLine(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        }
        err.println("glimpse: internal error: " + oneLine(ex));
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("Run again with --verbose for the stack trace.");
        }
        err.flush();
        return INTERNAL_ERROR;
    }

    static boolean isInputError(Throwable t) {
        return t instanceof InputException
                || t instanceof NoSuchFileException
                || t instanceof AccessDeniedException
                || (t instanceof UncheckedIOException u && isInputError(u.getCause()));
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage();
        if (t instanceof NoSuchFileException) {
            message = message == null || message.indexOf('\uFFFD') < 0 ? "no such file: " + message
                    : message + ": " + InputFiles.noSuchFile(java.nio.file.Path.of(message));
        } else if (t instanceof AccessDeniedException) {
            message = "permission denied: " + message;
        } else if (t instanceof UncheckedIOException u && u.getCause() != null) {
            return oneLine(u.getCause());
        }
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return message.replace('\n', ' ').strip();
    }
}

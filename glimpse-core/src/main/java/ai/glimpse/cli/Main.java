package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.NativeBackend;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;

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

    static {
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

    /** The configured command line, with Glimpse's error handling; tests may set its writers. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new GlimpseCommand());
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
        err.println("glimpse: " + ex.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return BAD_INPUT;
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

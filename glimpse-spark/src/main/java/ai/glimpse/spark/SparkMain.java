package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.NativeBackend;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Entry point of {@code glimpse-spark} (scripts/glimpse-spark, or {@code spark-submit --class
 * ai.glimpse.spark.SparkMain glimpse-spark.jar}). The only place that calls {@link System#exit}.
 *
 * <p>Exit codes, as {@code glimpse}'s: 0 success; 2 bad usage or bad input (one line on stderr), also
 * when some images could not be captioned; 1 internal failure (the stack trace with {@code --verbose}).
 */
public final class SparkMain {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;

    static {
        NativeBackend.configure();                                      // before ND4J loads, on the driver
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private SparkMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code; tests call this, never {@link #main}. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line; tests may set its writers. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new GlimpseSparkCommand());
        cmd.setExecutionExceptionHandler(SparkMain::handleExecutionException);
        cmd.setParameterExceptionHandler(SparkMain::handleParameterException);
        return cmd;
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("glimpse-spark: " + ex.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return BAD_INPUT;
    }

    private static int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = GlimpseSparkCommand.verbose(cmd);
        if (isInputError(ex)) {
            err.println("glimpse-spark: " + oneLine(ex));
        } else {
            err.println("glimpse-spark: internal error: " + oneLine(ex));
            if (!verbose) {
                err.println("Run again with --verbose for the stack trace.");
            }
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return isInputError(ex) ? BAD_INPUT : INTERNAL_ERROR;
    }

    static boolean isInputError(Throwable t) {
        return t instanceof InputException
                || t instanceof NoSuchFileException
                || t instanceof AccessDeniedException
                || (t instanceof UncheckedIOException u && isInputError(u.getCause()));
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse("").strip();
    }
}

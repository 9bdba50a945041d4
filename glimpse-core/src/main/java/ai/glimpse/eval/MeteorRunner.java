package ai.glimpse.eval;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * METEOR 1.5 (Denkowski and Lavie 2014) through the user's own {@code meteor-1.5.jar}, driven the
 * way the COCO caption toolkit's {@code meteor.py} drives it: {@code java -jar -Xmx2G meteor-1.5.jar - -
 * -stdio -l en -norm} started in the jar's folder (where METEOR finds its {@code data/}).
 *
 * <p>Protocol, one line each: per image {@code SCORE ||| ref 1 ||| ... ||| ref k ||| candidate},
 * answered by a line of statistics; then {@code EVAL ||| stats 1 ||| ... ||| stats N}, answered by N
 * per-image scores and one corpus score. As in the toolkit, {@code |||} is removed from the candidate
 * and double spaces become single; unlike it (which would break the protocol), the same is done to
 * references, and line breaks become spaces. METEOR is not bundled (its licence and data are not on
 * Maven Central): without a jar the evaluator reports METEOR as absent, never as 0.
 *
 * <p>Each {@link #score} call runs one process and ends it. A process that exits, or does not
 * answer within the timeout, fails with an {@link InputException} naming the jar and the last lines
 * it wrote to its error stream.
 */
public final class MeteorRunner implements CaptionScorer {
    /** How long to wait for any one answer; the first includes METEOR loading its paraphrase table. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** The arguments the toolkit passes to the jar after {@code -jar -Xmx2G <jar>}. */
    public static final List<String> TOOLKIT_ARGS = List.of("-", "-", "-stdio", "-l", "en", "-norm");

    private final List<String> command;
    private final Path workDir;
    private final Duration timeout;
    private final String label;

    private MeteorRunner(List<String> command, Path workDir, Duration timeout, String label) {
        this.command = List.copyOf(command);
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.label = label;
        if (this.command.isEmpty()) {
            throw new IllegalArgumentException("METEOR command is empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("METEOR timeout must be positive, got " + timeout);
        }
    }

    /**
     * METEOR from {@code jar} (the {@code --meteor-jar} option), run with this JVM's {@code java} as
     * the toolkit runs it.
     *
     * @throws InputException when the jar is not a readable file
     */
    public static MeteorRunner forJar(Path jar) {
        Path abs = jar.toAbsolutePath().normalize();
        InputFiles.requireFile(abs, "--meteor-jar " + jar);
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", "-Xmx2G", abs.toString()));
        command.addAll(TOOLKIT_ARGS);
        return new MeteorRunner(command, abs.getParent(), DEFAULT_TIMEOUT, "--meteor-jar " + jar);
    }

    /** METEOR behind any command that speaks its {@code -stdio} protocol, run in {@code workDir}. */
    public static MeteorRunner of(List<String> command, Path workDir, Duration timeout) {
        return new MeteorRunner(command, workDir, timeout, "METEOR command " + String.join(" ", command));
    }

    /** The command line this runner starts. */
    public List<String> command() {
        return command;
    }

    /** Returns the one metric {@code METEOR}: METEOR's own per-image and corpus scores. */
    @Override
    public List<MetricScore> score(EvalSet set) {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        } catch (IOException e) {
            throw new InputException(label + ": cannot start (" + e.getMessage() + ")", e);
        }
        StreamTail stderr = StreamTail.drain(process.getErrorStream());
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readLines(process.getInputStream(), answers), "meteor-stdout");
        reader.setDaemon(true);
        reader.start();
        try (Writer in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
            StringBuilder eval = new StringBuilder("EVAL");
            for (Map.Entry<String, String> e : set.candidates().entrySet()) {
                String what = "SCORE of image " + e.getKey();
                send(in, scoreLine(set.references().get(e.getKey()), e.getValue()), what, process, stderr);
                eval.append(" ||| ").append(answer(answers, what, process, stderr));
            }
            send(in, eval.toString(), "EVAL", process, stderr);
            Map<String, Double> perImage = new LinkedHashMap<>();
            for (String id : set.candidates().keySet()) {
                perImage.put(id, number(answer(answers, "EVAL score of image " + id, process, stderr)));
            }
            double corpus = number(answer(answers, "EVAL corpus score", process, stderr));
            return List.of(new MetricScore("METEOR", corpus, perImage));
        } catch (IOException e) {
            throw failure("stopped reading its input (" + e.getMessage() + ")", process, stderr, true);
        } finally {
            stop(process);
        }
    }

    /** {@code SCORE ||| ref 1 ||| ... ||| ref k ||| candidate}, cleaned as the toolkit cleans the candidate. */
    static String scoreLine(List<String> references, String candidate) {
        StringBuilder line = new StringBuilder("SCORE");
        for (String ref : references) {
            line.append(" ||| ").append(clean(ref));
        }
        return line.append(" ||| ").append(clean(candidate)).toString();
    }

    private static String clean(String text) {
        return text.replace('\n', ' ').replace('\r', ' ').replace("|||", "").replace("  ", " ");
    }

    /** Writes one protocol line; a process that is gone counts as not answering {@code what}. */
    private void send(Writer in, String line, String what, Process process, StreamTail stderr) {
        try {
            in.write(line);
            in.write('\n');
            in.flush();
        } catch (IOException e) {
            throw failure("exited before answering " + what, process, stderr, true);
        }
    }

    private String answer(BlockingQueue<String> answers, String what, Process process, StreamTail stderr) {
        String line;
        try {
            line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for METEOR", e);
        }
        if (line == null) {
            throw failure("gave no answer to " + what + " within " + timeout.toMillis() + " ms", process, stderr, false);
        }
        if (line == END) {
            throw failure("exited before answering " + what, process, stderr, true);
        }
        return line.strip();
    }

    private double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InputException(label + ": answered '" + abbreviate(text) + "' where a score was expected"
                    + " (is this meteor-1.5.jar?)");
        }
    }

    private InputException failure(String what, Process process, StreamTail stderr, boolean ended) {
        String status = "";
        if (ended) {
            try {
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    status = " (exit status " + process.exitValue() + ")";
                }
                stderr.awaitEnd(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String tail = stderr.text();
        return new InputException(label + ": METEOR " + what + status
                + (tail.isEmpty() ? "" : "; its error output ends: " + tail));
    }

    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the process is going away anyway
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Marks the end of the process's output in the answer queue (compared by identity). */
    private static final String END = new String("<end of METEOR output>");

    private static void readLines(InputStream out, BlockingQueue<String> answers) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                answers.add(line);
            }
        } catch (IOException ignored) {
            // treated as the end of the output
        } finally {
            answers.add(END);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }
}

package ai.glimpse.cli;

import ai.glimpse.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr: task, bar, count, rate, elapsed time and ETA. When stderr is a terminal
 * ({@link Terminal}: whatever stdout is) it redraws one line, cut to the terminal's width (read again at
 * each task) so that it never wraps; otherwise (a log file, CI) it prints a plain line at most every few
 * seconds, so logs stay short.
 */
public final class ConsoleProgress implements Progress {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LOG_NANOS = 10_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final IntSupplier width;
    private int columns = Terminal.DEFAULT_COLUMNS;
    private String task = "";
    private long total;
    private long done;
    private String status = "";
    private long startNanos;
    private long lastDrawNanos;
    private boolean drawn;

    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, terminal, () -> Terminal.DEFAULT_COLUMNS, System::nanoTime);
    }

    ConsoleProgress(PrintWriter out, boolean terminal, IntSupplier width, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
        this.clock = clock;
    }

    /** A bar on the given writer (stderr), redrawn in place when stderr is a terminal. */
    public static Progress on(PrintWriter err) {
        Terminal now = Terminal.stderr();
        return new ConsoleProgress(err, now.present(), () -> Terminal.stderr().columns(), System::nanoTime);
    }

    @Override
    public void start(String task, long total) {
        this.task = task;
        this.total = total;
        this.done = 0;
        this.status = "";
        this.startNanos = clock.getAsLong();
        this.lastDrawNanos = startNanos;
        this.drawn = false;
        if (terminal) {
            columns = width.getAsInt();
            draw();
        }
    }

    @Override
    public void advance(long done, String status) {
        this.done = done;
        this.status = status == null ? "" : status;
        long now = clock.getAsLong();
        long interval = terminal ? REDRAW_NANOS : LOG_NANOS;
        if (now - lastDrawNanos >= interval) {
            lastDrawNanos = now;
            draw();
        }
    }

    @Override
    public void finish() {
        draw();
        if (terminal) {
            out.println();
        }
        out.flush();
    }

    private void draw() {
        String line = render(clock.getAsLong() - startNanos);
        if (terminal) {
            out.print("\r" + fit(line, columns - 1) + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
        drawn = true;
    }

    /** The bar's text after {@code elapsedNanos}, e.g. {@code synth [=====>   ] 250/1000 41.2/s 0:06 ETA 0:18}. */
    String render(long elapsedNanos) {
        StringBuilder sb = new StringBuilder(task).append(' ');
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        if (total > 0) {
            int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total);
            sb.append('[').append("=".repeat(filled));
            if (filled < BAR_WIDTH) {
                sb.append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
            }
            sb.append("] ").append(done).append('/').append(total);
        } else {
            sb.append(done);
        }
        sb.append(String.format(" %.1f/s %s", rate, clockTime(seconds)));
        if (total > 0 && done < total && rate > 0) {
            sb.append(" ETA ").append(clockTime((total - done) / rate));
        }
        if (!status.isEmpty()) {
            sb.append("  ").append(status);
        }
        return sb.toString();
    }

    /** The line cut to {@code max} characters (the status goes first, being last), so the terminal never wraps it. */
    static String fit(String line, int max) {
        if (line.length() <= max) {
            return line;
        }
        int end = Math.max(0, max);
        if (end > 0 && Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end);
    }

    static String clockTime(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        long h = d.toHours();
        return h > 0 ? String.format("%d:%02d:%02d", h, d.toMinutesPart(), d.toSecondsPart())
                : String.format("%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }

    boolean hasDrawn() {
        return drawn;
    }
}

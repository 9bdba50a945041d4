package ai.glimpse.cli;

import ai.glimpse.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr: task, bar, count, rate, elapsed time and ETA. On a terminal it redraws one
 * line; otherwise (a log file, CI) it prints a plain line at most every few seconds, so logs stay short.
 */
public final class ConsoleProgress implements Progress {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LOG_NANOS = 10_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier clock;
    private String task = "";
    private long total;
    private long done;
    private String status = "";
    private long startNanos;
    private long lastDrawNanos;
    private boolean drawn;

    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    ConsoleProgress(PrintWriter out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** A bar on the given writer, redrawn in place when the JVM runs attached to a terminal. */
    public static Progress on(PrintWriter err) {
        return new ConsoleProgress(err, System.console() != null);
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
            out.print("\r" + line + "\u001b[K");
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

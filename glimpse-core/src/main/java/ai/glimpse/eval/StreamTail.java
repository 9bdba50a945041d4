package ai.glimpse.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines a child process wrote to a stream, drained on a daemon thread so that the process
 * never blocks on a full pipe; error messages quote them on one line.
 */
final class StreamTail {
    private static final int MAX_LINES = 5;
    private static final int MAX_CHARS = 400;

    private final Deque<String> lines = new ArrayDeque<>();
    private Thread reader;

    private StreamTail() {
    }

    /** Starts draining {@code stream} and returns the tail that fills as it is read. */
    static StreamTail drain(InputStream stream) {
        StreamTail tail = new StreamTail();
        tail.reader = new Thread(() -> tail.read(stream), "stream-tail");
        tail.reader.setDaemon(true);
        tail.reader.start();
        return tail;
    }

    private void read(InputStream stream) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    add(line.strip());
                }
            }
        } catch (IOException ignored) {
            // the stream closed with the process
        }
    }

    private synchronized void add(String line) {
        lines.addLast(line);
        while (lines.size() > MAX_LINES) {
            lines.removeFirst();
        }
    }

    /** Waits up to {@code millis} for the stream to end (after its process exited), so the tail is complete. */
    void awaitEnd(long millis) throws InterruptedException {
        reader.join(millis);
    }

    /** The kept lines joined with {@code " | "} on one line, at most a few hundred characters. */
    synchronized String text() {
        String text = String.join(" | ", lines);
        return text.length() <= MAX_CHARS ? text : "..." + text.substring(text.length() - MAX_CHARS + 3);
    }
}

package ai.glimpse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether the standard error stream, where progress bars go, is a terminal, and how wide it is. Java 17
 * cannot ask about one stream ({@code System.console()} needs stdin and stdout to be terminals, so
 * redirecting the captions hid the bar): on Linux, {@code /proc/self/fd/2} names the terminal device,
 * whose width {@code stty} reads; {@code COLUMNS}, when set, wins.
 *
 * @param present whether stderr is a terminal
 * @param columns its width in characters (80 when it cannot be read)
 */
record Terminal(boolean present, int columns) {
    static final int DEFAULT_COLUMNS = 80;
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    /** No terminal: plain lines. */
    static final Terminal NONE = new Terminal(false, DEFAULT_COLUMNS);

    /** What stderr is now. */
    static Terminal stderr() {
        Path device = device(STDERR);
        if (device == null) {
            return NONE;
        }
        return new Terminal(true, columns(System.getenv("COLUMNS"), device));
    }

    /** The terminal device a file descriptor link names ({@code /dev/pts/3}, {@code /dev/tty1}), or null. */
    static Path device(Path descriptor) {
        try {
            Path target = Files.readSymbolicLink(descriptor);
            String name = target.toString();
            boolean terminal = name.startsWith("/dev/pts/") || name.matches("/dev/tty[0-9A-Za-z]*");
            return terminal ? target : null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** {@code COLUMNS} when it is a sensible number, else the device's width from {@code stty size}, else 80. */
    static int columns(String variable, Path device) {
        Integer fromVariable = parseColumns(variable);
        if (fromVariable != null) {
            return fromVariable;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(device.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!stty.waitFor(2, TimeUnit.SECONDS)) {
                stty.destroy();
                return DEFAULT_COLUMNS;
            }
            String[] rowsColumns = answer.split("\\s+");
            Integer columns = rowsColumns.length == 2 ? parseColumns(rowsColumns[1]) : null;
            return columns == null ? DEFAULT_COLUMNS : columns;
        } catch (IOException e) {
            return DEFAULT_COLUMNS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_COLUMNS;
        }
    }

    private static Integer parseColumns(String text) {
        if (text == null || !text.strip().matches("[0-9]{1,4}")) {
            return null;
        }
        int columns = Integer.parseInt(text.strip());
        return columns >= 20 ? columns : null;
    }
}

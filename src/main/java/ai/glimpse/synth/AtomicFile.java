package ai.glimpse.synth;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Writes a file whole or not at all: the bytes go to a hidden temporary file in the same folder, which
 * is then renamed over the target, so a crash never leaves a half-written image or JSON file.
 */
final class AtomicFile {
    /** Names of the temporary files this class makes, e.g. {@code .dataset.json.1234.tmp}. */
    static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9]+-[0-9]+\\.tmp");
    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFile() {
    }

    /** Replaces {@code target} by {@code bytes} in one rename. */
    static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        // Not Files.createTempFile: its files are private to the owner, and the rename would keep that.
        Path temporary = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid()
                + "-" + COUNTER.incrementAndGet() + ".tmp");
        try {
            Files.write(temporary, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}

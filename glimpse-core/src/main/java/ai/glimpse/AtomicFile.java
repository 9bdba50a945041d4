package ai.glimpse;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file so that it is either complete or absent: the content goes to a hidden temporary file
 * in the same folder ({@code .NAME.PID-N.tmp}), which is then renamed over the target. A crash or kill
 * mid-write leaves at most such a temporary file, never a truncated target; the content is forced to
 * disk before the rename, so a power cut does not leave an empty file either.
 */
public final class AtomicFile {
    /** Names of the temporary files this class makes, e.g. {@code .dataset.json.1234-1.tmp}. */
    public static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9]+-[0-9]+\\.tmp");
    private static final AtomicLong COUNTER = new AtomicLong();
    /** The end of a temporary file's name after {@code .NAME.}: the writer's pid and a counter. */
    private static final Pattern OWNER = Pattern.compile("([0-9]{1,18})-[0-9]+\\.tmp");

    /** Writes content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Replaces {@code file} by {@code bytes}. */
    public static void write(Path file, byte[] bytes) {
        write(file, out -> out.write(bytes));
    }

    /** Writes {@code file} with what {@code writer} produces; the folder is created when missing. */
    public static void write(Path file, Writer writer) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        // Not Files.createTempFile: its files are private to the owner, and the rename would keep that.
        Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.write(new FilterOutputStream(out) {
                    @Override
                    public void close() throws IOException {
                        flush();                                        // the channel is closed below, after fsync
                    }
                });
                out.flush();
                channel.force(true);                                    // on disk before the rename makes it visible
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new InputException("cannot write " + file + ": " + describe(e), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original failure is what the user needs to see
            }
        }
    }

    /**
     * Deletes the temporary files that writes of {@code file} left behind in processes that no longer run
     * (killed mid-write): {@code .NAME.PID-N.tmp} beside it whose PID is not a running process. Nothing
     * else is touched; a folder that cannot be listed or a file that cannot be deleted is left as it is
     * (leftovers only waste space).
     *
     * @return how many were deleted
     */
    public static int removeStale(Path file) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        int removed = 0;
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(".tmp")) {
                    continue;
                }
                Matcher m = OWNER.matcher(name.substring(prefix.length()));
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty() && Files.isRegularFile(p)) {
                    try {
                        removed += Files.deleteIfExists(p) ? 1 : 0;
                    } catch (IOException e) {
                        // left for a later run
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a folder we cannot list: its leftovers stay
        }
        return removed;
    }

    private static String describe(IOException e) {
        String kind = switch (e.getClass().getSimpleName()) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such folder";
            case "FileAlreadyExistsException" -> "a file is in the way";
            case "FileSystemException" -> "file system error";
            default -> e.getClass().getSimpleName();
        };
        return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
    }
}

package ai.glimpse.train;

import ai.glimpse.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps two training runs from writing the same outputs (the log of one and the checkpoint of the other
 * would interleave): a lock file beside them names its owner, {@code PID START} (the owner's process id
 * and start time, so a recycled process id is not taken for the owner), and is held with an operating
 * system lock for the run's lifetime. It is refused while the system lock is held or while it names a
 * process that is running; it is taken over when its owner is gone, however that process ended, and
 * deleted when the run closes it.
 */
public final class OutputLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Owner owner;

    private OutputLock(Path file, FileChannel channel, FileLock lock, Owner owner) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.owner = owner;
    }

    /** What a lock file says about its owner. */
    record Owner(long pid, Optional<Instant> started) {
        /** This process. */
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(self.pid(), self.info().startInstant());
        }

        /** The owner a lock file names, or empty when it names none (empty, being written, not ours). */
        static Optional<Owner> parse(String text) {
            String[] f = text.strip().split(" ");
            try {
                long pid = Long.parseLong(f[0]);
                Optional<Instant> started = f.length > 1 ? Optional.of(Instant.parse(f[1])) : Optional.empty();
                return Optional.of(new Owner(pid, started));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /** Whether the process runs: its id is in use, by a process started when the owner was (when known). */
        boolean alive() {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return false;
            }
            Optional<Instant> now = handle.get().info().startInstant();
            return started.isEmpty() || now.isEmpty() || started.get().equals(now.get());
        }

        String text() {
            return pid + started.map(s -> " " + s).orElse("") + "\n";
        }

        String describe() {
            return "pid " + pid + started.map(s -> ", started " + s).orElse("");
        }
    }

    /**
     * Takes the lock {@code file} for this process.
     *
     * @param label what is locked, the start of the message (e.g. "--model model.zip")
     * @throws InputException when another running process holds it, or it cannot be made
     */
    public static OutputLock acquire(Path file, String label) {
        Owner self = Owner.current();
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;                                           // this very process holds it
                }
                String text = read(channel);
                Optional<Owner> owner = Owner.parse(text);
                if (lock == null || owner.isPresent() && owner.get().alive()) {
                    throw new InputException(label + ": another train run is writing there ("
                            + owner.map(Owner::describe).orElse("its process id not yet written") + "; its lock file is " + file
                            + "); wait for it to end or choose another --model");
                }
                byte[] bytes = self.text().getBytes(StandardCharsets.ISO_8859_1);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(bytes), 0);
                channel.force(false);
                if (!names(file, self)) {                                  // its last owner deleted it meanwhile: again
                    lock.release();
                    channel.close();
                    continue;
                }
                return new OutputLock(file, channel, lock, self);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new InputException(label + ": cannot make the lock file " + file + " (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }
        throw new InputException(label + ": cannot take the lock file " + file + " (other runs keep replacing it)");
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Deletes the lock file and releases it. */
    @Override
    public void close() {
        try {
            if (names(file, owner)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover lock file names this process, which is gone: the next run takes it over
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);                      // a record is under 60 bytes
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read on
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the file at {@code path} names {@code owner}: the file this process locked and wrote may have
     * been deleted by its previous owner just before the lock was granted, and another made in its place.
     */
    private static boolean names(Path path, Owner owner) throws IOException {
        try {
            return Files.readString(path, StandardCharsets.ISO_8859_1).equals(owner.text());
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written through it that matters
            }
        }
    }
}

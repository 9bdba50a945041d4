package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The output lock between two processes: refused while the other holds it, taken over once it is killed. */
class OutputLockTest {
    @TempDir
    Path dir;

    /** Holds the lock named by its argument until killed (the other process of the test). */
    public static void main(String[] args) throws Exception {
        OutputLock.acquire(Path.of(args[0]), "holder");
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anotherProcessHoldsItUntilItIsKilledThenItIsTakenOver() throws Exception {
        Path file = dir.resolve(".model.lock");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OutputLockTest.class.getName(), file.toString()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null) {                                            // it died: say why
                holder.waitFor();
                throw new AssertionError(new String(holder.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals("locked", line);
            InputException e = assertThrows(InputException.class, () -> OutputLock.acquire(file, "--out m.zip"));
            assertTrue(e.getMessage().startsWith("--out m.zip: another train run is writing there (pid " + holder.pid()),
                    e.getMessage());
        } finally {
            holder.destroyForcibly();                                      // SIGKILL: it removes nothing
            holder.waitFor();
        }
        assertTrue(Files.readString(file).startsWith(holder.pid() + " "), "the killed holder's lock file is left");
        try (OutputLock lock = OutputLock.acquire(file, "--out m.zip")) {
            assertTrue(Files.readString(file).startsWith(ProcessHandle.current().pid() + " "), Files.readString(file));
            assertThrows(InputException.class, () -> OutputLock.acquire(file, "again"), "held within this process too");
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aLockFileThatNamesNoProcessIsTakenOver() throws Exception {
        Path file = Files.writeString(dir.resolve(".m.lock"), "");             // its writer died before writing
        try (OutputLock lock = OutputLock.acquire(file, "x")) {
            assertEquals(lock.file(), file);
        }
        Files.writeString(file, "not a process id\n");
        OutputLock.acquire(file, "x").close();
        assertFalse(Files.exists(file));
    }
}

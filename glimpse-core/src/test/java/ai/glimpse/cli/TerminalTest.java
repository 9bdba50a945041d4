package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress bar asks whether stderr (not stdin and stdout) is a terminal, and never wraps in it. */
class TerminalTest {
    @TempDir
    Path dir;

    @Test
    void aDescriptorLinkedToATerminalDeviceIsOne() throws IOException {
        Path pts = Files.createSymbolicLink(dir.resolve("2"), Path.of("/dev/pts/7"));
        assertEquals(Path.of("/dev/pts/7"), Terminal.device(pts));
        Path console = Files.createSymbolicLink(dir.resolve("3"), Path.of("/dev/tty1"));
        assertEquals(Path.of("/dev/tty1"), Terminal.device(console));
        Path log = Files.createSymbolicLink(dir.resolve("4"), dir.resolve("train.log"));
        assertNull(Terminal.device(log), "a file");
        Path pipe = Files.createSymbolicLink(dir.resolve("5"), Path.of("pipe:[123456]"));
        assertNull(Terminal.device(pipe), "a pipe");
        assertNull(Terminal.device(dir.resolve("missing")));
    }

    @Test
    void widthComesFromColumnsOrTheDeviceOrIsEighty() {
        assertEquals(132, Terminal.columns("132", Path.of("/nonexistent")));
        assertEquals(80, Terminal.columns(null, Path.of("/nonexistent")), "stty cannot read it");
        assertEquals(80, Terminal.columns("wide", Path.of("/nonexistent")));
        assertEquals(80, Terminal.columns("3", Path.of("/nonexistent")), "too narrow to be true");
    }

    @Test
    void aBarOnATerminalIsCutToItsWidth() {
        StringWriter text = new StringWriter();
        long[] now = {0};
        ConsoleProgress bar = new ConsoleProgress(new PrintWriter(text), true, () -> 40, () -> now[0]);
        bar.start("caption", 1000);
        for (int i = 1; i <= 1000; i += 100) {
            now[0] += 1_000_000_000L;
            bar.advance(i, "a long status that would wrap the line");
        }
        bar.finish();
        for (String frame : text.toString().split("\r")) {
            String visible = frame.replace("\u001b[K", "").strip();
            assertTrue(visible.length() <= 39, "at most 39 of 40 columns: '" + visible + "'");
        }
        assertTrue(text.toString().contains("\rcaption [="), text.toString());
        assertEquals("caption [", ConsoleProgress.fit("caption [=====>", 9));
    }

    @Test
    void withoutATerminalTheBarPrintsWholeLines() {
        StringWriter text = new StringWriter();
        ConsoleProgress bar = new ConsoleProgress(new PrintWriter(text), false, () -> 20, () -> 0L);
        bar.start("synth", 10);
        bar.advance(10, "a status longer than twenty columns");
        bar.finish();
        assertTrue(text.toString().contains("a status longer than twenty columns"), text.toString());
        assertTrue(!text.toString().contains("\r"), "no redrawing in a log");
    }
}

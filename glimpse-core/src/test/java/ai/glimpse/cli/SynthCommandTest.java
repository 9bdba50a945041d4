package ai.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static long pngs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("images"))) {
            return files.filter(f -> f.toString().endsWith(".png")).count();
        }
    }

    private static void assertRefused(Result r, String... fragments) {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), r.err());
        }
    }

    @Test
    void writesADatasetAndASummary() throws IOException {
        Path dir = tmp.resolve("ds");
        Result r = run("synth", "--out", dir.toString(), "--count", "20", "--size", "64", "--seed", "3", "--split", "70/20/10");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("wrote 20 images of 64 px (variant shapes, seed 3)"), r.out());
        assertTrue(r.out().contains("splits: train 14 val 4 test 2"), r.out());
        assertTrue(r.out().matches("(?s).*objects: \\d+ in 6 categories \\(square \\d+, circle.*"), r.out());
        assertTrue(r.out().contains("time"), r.out());
        assertTrue(r.err().contains("synth [") && r.err().contains("20/20"), "progress bar on stderr: " + r.err());
        assertEquals(20, pngs(dir));
        assertTrue(Files.isRegularFile(dir.resolve("annotations/instances_val.json")));

        Result again = run("synth", "--out", dir.toString(), "--count", "5", "--size", "64", "--variant", "SNOW");
        assertEquals(Main.OK, again.code(), "an earlier synth output may be overwritten: " + again.err());
        assertEquals(5, pngs(dir), "images of the larger earlier run are removed");
        assertTrue(again.out().contains("2 categories (dog"), again.out());
    }

    @Test
    void refusesBadSizesCountsSplitsAndVariants() {
        String out = tmp.resolve("x").toString();
        assertRefused(run("synth", "--out", out, "--size", "31"), "--size", "32", "1024", "31");
        assertRefused(run("synth", "--out", out, "--size", "1025"), "--size");
        assertRefused(run("synth", "--out", out, "--count", "2"), "--count must be between 3 and 999999 images, got 2");
        assertRefused(run("synth", "--out", out, "--count", "2000000000"), "--count must be between 3 and 999999 images, got 2000000000");
        assertRefused(run("synth", "--out", out, "--images", "2"), "--count must be between", "got 2");
        assertRefused(run("synth", "--out", out, "--split", "80/20"), "--split 80/20");
        assertRefused(run("synth", "--out", out, "--variant", "cats"), "--variant cats", "shapes or snow");
        assertFalse(Files.exists(tmp.resolve("x")), "nothing is written after a refusal");
    }

    @Test
    void refusesAFolderWithOtherContentUnlessForced() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        Result r = run("synth", "--out", dir.toString(), "--count", "3", "--size", "32");
        assertRefused(r, "--out " + dir, "not empty", "--force");
        assertFalse(Files.exists(dir.resolve("images")));

        Result forced = run("synth", "--out", dir.toString(), "--count", "3", "--size", "32", "--force");
        assertEquals(Main.OK, forced.code(), forced.err());
        assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
        assertEquals(3, pngs(dir));

        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertRefused(run("synth", "--out", file.toString(), "--count", "3"), "not a directory");
    }
}

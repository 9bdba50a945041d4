package ai.glimpse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.glimpse.data.CorpusReader;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.eval.CocoCaptionFiles;
import ai.glimpse.eval.CocoInstances;
import ai.glimpse.eval.MeteorRunner;
import ai.glimpse.eval.ScoresJson;
import ai.glimpse.model.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Named pipes, devices and folders are refused by name before anything opens them. */
public class InputFilesTest {
    @TempDir
    Path dir;

    /**
     * A named pipe made with mkfifo. Opening one to read waits for a writer, so a reader that does not
     * check first hangs; the test is skipped (and says so) where mkfifo is missing.
     */
    public static Path fifo(Path dir, String name) throws IOException, InterruptedException {
        Path pipe = dir.resolve(name);
        int code;
        try {
            code = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            code = -1;
        }
        assumeTrue(code == 0 && Files.exists(pipe), "mkfifo is not available here: the named-pipe checks are skipped");
        return pipe;
    }

    private static void assertRefused(String message, Executable read) {
        assertEquals(message, assertThrows(InputException.class, read).getMessage());
    }

    @Test
    void refusesWhatIsNotARegularFileAndSaysWhatItIs() throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "x");
        assertSame(file, InputFiles.requireFile(file, "notes " + file));
        assertRefused("notes " + dir + ": is a folder, not a file", () -> InputFiles.requireFile(dir, "notes " + dir));
        Path none = dir.resolve("none");
        assertRefused("notes " + none + ": no such file", () -> InputFiles.requireFile(none, "notes " + none));
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertRefused("image /dev/zero: is a character device, not a regular file",
                    () -> InputFiles.requireFile(zero, "image /dev/zero"));
        }
        assertSame(dir, InputFiles.requireFolder(dir, "--images " + dir));
        assertRefused("--images " + file + ": is a file, not a folder", () -> InputFiles.requireFolder(file, "--images " + file));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyReaderRefusesANamedPipeInsteadOfWaitingOnIt() throws Exception {
        Path pipe = fifo(dir, "pipe");
        String what = ": is a named pipe (FIFO), not a regular file";
        assertRefused("captions file " + pipe + what, () -> CorpusReader.read(pipe));
        assertRefused("vocabulary file " + pipe + what, () -> Vocabulary.load(pipe));
        assertRefused("model file " + pipe + what, () -> ModelBundle.load(pipe));
        assertRefused("instances file " + pipe + what, () -> CocoInstances.read(pipe));
        assertRefused("results file " + pipe + what, () -> CocoCaptionFiles.readResults(pipe));
        assertRefused("annotations file " + pipe + what, () -> CocoCaptionFiles.readAnnotations(pipe));
        assertRefused("scores file " + pipe + what, () -> ScoresJson.read(pipe));
        assertRefused("--meteor-jar " + pipe + what, () -> MeteorRunner.forJar(pipe));
        assertRefused(pipe + what, () -> new ai.glimpse.data.ImageLoader(ai.glimpse.data.ImageOptions.of(8)).load(pipe));
        assertRefused(pipe + what, () -> ai.glimpse.data.ImageHeader.read(pipe));
    }
}

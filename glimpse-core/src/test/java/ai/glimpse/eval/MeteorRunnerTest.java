package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The METEOR protocol and process handling, against {@link FakeMeteor} packed into a real jar that
 * is started with {@code java -jar} exactly as a real {@code meteor-1.5.jar} would be.
 */
class MeteorRunnerTest {
    private static final String FAKE = "ai.glimpse.eval.FakeMeteor";

    @TempDir
    Path dir;

    /** Packs FakeMeteor alone into {@code dir/meteor-1.5.jar} with it as the Main-Class. */
    private Path fakeJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FAKE);
        Path jar = dir.resolve("meteor-1.5.jar");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream cls = FakeMeteor.class.getResourceAsStream("FakeMeteor.class")) {
            out.putNextEntry(new JarEntry("ai/glimpse/eval/FakeMeteor.class"));
            cls.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    private MeteorRunner misbehaving(String mode, Duration timeout) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return MeteorRunner.of(List.of(java, "-cp", fakeJar().toString(), FAKE, mode), dir, timeout);
    }

    private static EvalSet twoImages() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        refs.put("7", List.of("a dog runs", "the dog"));
        cands.put("7", "a dog");
        refs.put("3", List.of("a red bus"));
        cands.put("3", "a ||| green  bus now");
        return new EvalSet(refs, cands);
    }

    @Test
    void speaksTheToolkitProtocolThroughJavaDashJar() throws IOException {
        Path jar = fakeJar();
        Files.createDirectory(dir.resolve("data"));                  // METEOR looks for data/ next to the jar
        MeteorRunner meteor = MeteorRunner.forJar(jar);
        assertEquals(List.of("-jar", "-Xmx2G", jar.toAbsolutePath().toString(), "-", "-", "-stdio", "-l", "en", "-norm"),
                meteor.command().subList(1, meteor.command().size()));

        MetricScore score = meteor.score(twoImages()).get(0);

        // The candidate of image 3 loses its "|||" and the double space that leaves, as in meteor.py.
        assertEquals(List.of(
                "SCORE ||| a dog runs ||| the dog ||| a dog",
                "SCORE ||| a red bus ||| a green bus now",
                "EVAL ||| 2 2 ||| 2 4"), Files.readAllLines(dir.resolve("meteor-input.log")));
        // Fake statistics "m h": image 7 matches a, dog of 2 words -> 1.0; image 3 matches a, bus of 4
        // words -> 0.5; corpus (2 + 2) / (2 + 4) = 2/3, METEOR's own aggregate, not the mean 0.75.
        assertEquals("METEOR", score.name());
        assertEquals(Map.of("7", 1.0, "3", 0.5), score.perImage());
        assertEquals(List.of("7", "3"), List.copyOf(score.perImage().keySet()));
        assertEquals(2.0 / 3.0, score.corpus(), 1e-15);
    }

    @Test
    void missingJarIsRefusedNamingTheOption() {
        InputException e = assertThrows(InputException.class,
                () -> MeteorRunner.forJar(dir.resolve("nope/meteor-1.5.jar")));
        assertTrue(e.getMessage().startsWith("--meteor-jar "), e.getMessage());
        assertTrue(e.getMessage().endsWith("nope/meteor-1.5.jar: no such file"), e.getMessage());
    }

    @Test
    void jarStartedOutsideItsFolderReportsMeteorsOwnError() throws IOException {
        MeteorRunner meteor = MeteorRunner.forJar(fakeJar());       // no data/ folder next to it
        InputException e = assertThrows(InputException.class, () -> meteor.score(twoImages()));
        assertTrue(e.getMessage().contains("exited before answering SCORE of image 7"), e.getMessage());
        assertTrue(e.getMessage().contains("(exit status 3)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("its error output ends: Error: cannot find METEOR data directory"),
                e.getMessage());
    }

    @Test
    void processThatDiesMidProtocolFailsWithItsStatusAndStderrOnOneLine() throws IOException {
        MeteorRunner meteor = misbehaving("crash", Duration.ofSeconds(30));
        InputException e = assertThrows(InputException.class, () -> meteor.score(twoImages()));
        assertTrue(e.getMessage().startsWith("METEOR command "), e.getMessage());
        assertTrue(e.getMessage().contains("METEOR exited before answering SCORE of image 7 (exit status 1)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.RuntimeException: boom"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void answerThatIsNotANumberIsRefused() throws IOException {
        MeteorRunner meteor = misbehaving("garbage", Duration.ofSeconds(30));
        InputException e = assertThrows(InputException.class, () -> meteor.score(twoImages()));
        assertTrue(e.getMessage().endsWith("answered 'not a number' where a score was expected (is this meteor-1.5.jar?)"),
                e.getMessage());
    }

    @Test
    void silentProcessTimesOutAndIsKilled() throws IOException {
        MeteorRunner meteor = misbehaving("hang", Duration.ofMillis(700));
        InputException e = assertThrows(InputException.class, () -> meteor.score(twoImages()));
        assertTrue(e.getMessage().contains("METEOR gave no answer to SCORE of image 7 within 700 ms"), e.getMessage());
        long pid = Long.parseLong(Files.readString(dir.resolve("meteor.pid")).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "fake METEOR still running");
    }

    @Test
    void commandThatCannotStartIsReported() {
        MeteorRunner meteor = MeteorRunner.of(List.of(dir.resolve("no-such-program").toString()), dir,
                Duration.ofSeconds(5));
        InputException e = assertThrows(InputException.class, () -> meteor.score(twoImages()));
        assertTrue(e.getMessage().contains(": cannot start ("), e.getMessage());
    }
}

package ai.glimpse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import ai.glimpse.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Use from Java" example, taken from README.md as it stands, compiled and run in the repository's root. */
class GlimpseExampleTest {
    private static final Pattern BLOCK = Pattern.compile("(?s)## Use from Java.*?```java\\n(.*?)```");

    @Test
    void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        Matcher m = BLOCK.matcher(Files.readString(Repo.file("README.md")));
        assertTrue(m.find(), "README.md has a java block under '## Use from Java'");
        Path source = dir.resolve("src/CaptionExample.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, m.group(1));
        Path classes = Files.createDirectories(dir.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = Path.of(Glimpse.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator + System.getProperty("java.class.path");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int status = javac.run(null, said, said, "-d", classes.toString(), "-cp", classPath, "--release", "17",
                "-Xlint:all,-path", "-Werror", source.toString());
        assertEquals(0, status, "javac: " + said.toString(StandardCharsets.UTF_8));

        // run as a user would: its own JVM, in the repository's root (the example's paths are relative to it)
        Path out = dir.resolve("overlays");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + classPath, "-Djava.awt.headless=true"));
        String extension = System.getProperty("org.bytedeco.javacpp.platform.extension");
        if (extension != null) {
            command.add("-Dorg.bytedeco.javacpp.platform.extension=" + extension);
        }
        command.addAll(List.of("CaptionExample", out.toString()));
        Process run = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true).start();
        String text = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(5, TimeUnit.MINUTES));
        System.out.print(text);
        assertEquals(0, run.exitValue(), text);
        String expected;
        try (Glimpse glimpse = Glimpse.load(Repo.file("pretrained/glimpse-shapes.zip"))) {
            expected = glimpse.caption(Repo.file("datasets/samples/shapes_1.png")).text();
        }
        assertTrue(text.matches("(?s)(.*\\n)?" + java.util.regex.Pattern.quote(expected + " (log p = ") + ".*"), text);
        assertTrue(text.contains("overlays in " + out), text);
        for (String file : List.of("grid.png", "attention.gif", "index.html", "attention.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
    }
}

package ai.glimpse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Use from Java" example, taken from README.md as it stands, compiled and run. */
class GlimpseExampleTest {
    private static final Pattern BLOCK = Pattern.compile("(?s)## Use from Java.*?```java\\n(.*?)```");

    @Test
    void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        Matcher m = BLOCK.matcher(Files.readString(Path.of("README.md")));
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

        Path out = dir.resolve("overlays");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("CaptionExample").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {out.toString()});
        } finally {
            System.setOut(stdout);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        stdout.print(text);
        String expected;
        try (Glimpse glimpse = Glimpse.load(Path.of("pretrained/glimpse-shapes.zip"))) {
            expected = glimpse.caption(Path.of("datasets/samples/shapes_1.png")).text();
        }
        assertTrue(text.startsWith(expected + " (log p = "), text);
        assertTrue(text.contains("overlays in " + out), text);
        for (String file : List.of("grid.png", "attention.gif", "index.html", "attention.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
    }
}

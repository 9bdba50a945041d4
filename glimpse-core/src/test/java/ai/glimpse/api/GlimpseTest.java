package ai.glimpse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import ai.glimpse.Repo;
import ai.glimpse.decode.Caption;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's entry point on the shipped shapes model: every kind of input, batches, threads, bad input. */
class GlimpseTest {
    static final Path MODEL = Repo.file("pretrained/glimpse-shapes.zip");
    static final Path SAMPLE = Repo.file("datasets/samples/shapes_1.png");
    private static Glimpse glimpse;

    @BeforeAll
    static void load() {
        glimpse = Glimpse.load(MODEL);
    }

    @AfterAll
    static void close() {
        glimpse.close();
    }

    @Test
    void everyKindOfInputGivesTheSameCaption() throws Exception {
        Caption fromPath = glimpse.caption(SAMPLE);
        assertFalse(fromPath.words().isEmpty());
        byte[] bytes = Files.readAllBytes(SAMPLE);
        assertSame(fromPath, glimpse.caption(bytes));
        assertSame(fromPath, glimpse.caption(new ByteArrayInputStream(bytes)));
        assertSame(fromPath, glimpse.caption(ImageIO.read(SAMPLE.toFile())));
        int grid = fromPath.gridSize();
        assertTrue(grid > 1);
        for (float[] alpha : fromPath.alphas()) {
            assertEquals(grid * grid, alpha.length);
            double sum = 0;
            for (float a : alpha) {
                sum += a;
            }
            assertEquals(1.0, sum, 1e-4);
        }
    }

    @Test
    void aBatchCaptionsAsOneByOne() throws Exception {
        List<PreparedImage> images = new ArrayList<>();
        List<Caption> single = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Path file = Repo.file("datasets/samples/shapes_" + i + ".png");
            images.add(glimpse.prepare(file.toString(), Files.readAllBytes(file), false));
            single.add(glimpse.caption(file, Decoding.greedy()));
        }
        List<Caption> batch = glimpse.captionAll(images, Decoding.greedy());
        for (int i = 0; i < 4; i++) {
            assertSame(single.get(i), batch.get(i));
        }
        Caption shorter = glimpse.caption(SAMPLE, Decoding.greedy().withMaxLength(2));
        assertTrue(shorter.words().size() <= 2, shorter.text());
    }

    @Test
    void threadsTakeTurns() throws Exception {
        Caption expected = glimpse.caption(SAMPLE);
        byte[] bytes = Files.readAllBytes(SAMPLE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Caption>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> glimpse.caption(bytes)));
            }
            for (Future<Caption> r : results) {
                assertSame(expected, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void explainDrawsInMemoryAndOnDisk(@TempDir Path dir) {
        Explanation e = glimpse.explain(SAMPLE);
        byte[] png = e.gridPng();
        assertEquals((byte) 0x89, png[0]);
        assertTrue(e.html().contains("<!DOCTYPE html>"));
        assertTrue(Files.isRegularFile(e.writeTo(dir).json()));
        assertEquals(128, e.image().getWidth());
    }

    @Test
    void badImagesAreOneLineNamingThem() {
        InputException e = assertThrows(InputException.class, () -> glimpse.caption("hello".getBytes()));
        assertTrue(e.getMessage().startsWith("image: "), e.getMessage());
        assertThrows(InputException.class, () -> glimpse.caption(new byte[0]));
        e = assertThrows(InputException.class, () -> glimpse.caption(Path.of("no/such.png")));
        assertTrue(e.getMessage().startsWith("no/such.png"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Decoding.defaults().withBeam(0));
        assertThrows(IllegalArgumentException.class, () -> Decoding.defaults().withMaxLength(501));
        assertNull(glimpse.prepare(Path.of("x").toString(), bytesOf(SAMPLE), false).original());
    }

    @Test
    void aClosedModelRefuses() {
        Glimpse other = Glimpse.load(MODEL);
        other.close();
        other.close();
        assertThrows(IllegalStateException.class, () -> other.caption(SAMPLE));
    }

    private static byte[] bytesOf(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertSame(Caption expected, Caption actual) {
        assertEquals(expected.words(), actual.words());
        assertEquals(expected.logProb(), actual.logProb(), 1e-4);
        assertEquals(expected.alphas().length, actual.alphas().length);
        for (int t = 0; t < expected.alphas().length; t++) {
            assertArrayEquals(expected.alphas()[t], actual.alphas()[t], 1e-4f, "step " + t);
        }
        assertArrayEquals(expected.betas(), actual.betas(), 1e-4f, Arrays.toString(actual.betas()));
    }
}

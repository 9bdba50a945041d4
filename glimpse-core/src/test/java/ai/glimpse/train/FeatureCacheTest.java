package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.model.FrozenEncoder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features survive the cache within half precision, are computed once, and never come from a wrong or broken file. */
class FeatureCacheTest {
    private static final int L = 6;
    private static final int D = 5;
    private static final CacheKey KEY = new CacheKey("vgg16@16", "bytes=10,sha256=ab", 96, "resize=square", L, D);

    @TempDir
    Path dir;

    /** Deterministic features per file name; counts the images it is asked for. */
    private static final class CountingSource implements FeatureSource {
        final List<String> asked = new ArrayList<>();
        int calls;
        int failAfterCalls = Integer.MAX_VALUE;

        @Override
        public float[] compute(List<String> files) {
            if (calls == failAfterCalls) {
                throw new InputException("image " + files.get(0) + ": damaged (simulated)");
            }
            calls++;
            asked.addAll(files);
            float[] out = new float[files.size() * L * D];          // [N, L, D]
            for (int n = 0; n < files.size(); n++) {
                System.arraycopy(expected(files.get(n)), 0, out, n * L * D, L * D);
            }
            return out;
        }

        @Override
        public int batchSize() {
            return 2;
        }
    }

    /** Values of many magnitudes and both signs, some not representable in half precision. */
    static float[] expected(String file) {
        float[] f = new float[L * D];
        int h = file.hashCode();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (Math.sin(h * 0.001 + i) * Math.pow(10, i % 5 - 2));   // 0.01 .. 100
        }
        return f;
    }

    private static List<String> files(int n) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add("images/img_" + i + ".jpg");
        }
        return files;
    }

    private static void assertNearHalf(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], Math.abs(want[i]) * 0x1p-11f + 1e-7f, "value " + i);
        }
    }

    private FeatureCache open(List<String> files, CountingSource source) {
        return FeatureCache.open(dir, KEY, files, source, Progress.NONE);
    }

    /** A named pipe where the cache file goes was opened to read, which waits for a writer forever. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS,
            threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aNamedPipeInPlaceOfTheCacheFileIsRefusedNotWaitedOn() throws Exception {
        Path pipe = ai.glimpse.InputFilesTest.fifo(dir, KEY.fileName());
        CountingSource source = new CountingSource();
        InputException e = assertThrows(InputException.class, () -> open(files(2), source));
        assertEquals("feature cache " + pipe + ": is a named pipe (FIFO), not a regular file", e.getMessage());
        assertEquals(0, source.calls, "refused before any image is encoded");
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        e = assertThrows(InputException.class, () -> FeatureCache.open(file, KEY, files(2), source, Progress.NONE));
        assertEquals("feature cache folder " + file + ": is a file, not a folder", e.getMessage());
    }

    @Test
    void featuresRoundTripWithinHalfPrecision() {
        CountingSource source = new CountingSource();
        List<String> files = files(5);
        FeatureCache cache = open(files, source);
        assertEquals(5, cache.size());
        assertEquals(5, cache.computed());
        assertEquals(3, source.calls, "batches of 2");
        assertEquals(files, source.asked);
        assertTrue(cache.rebuiltBecause().isEmpty());
        assertEquals(dir.resolve(KEY.fileName()), cache.file());
        assertEquals(64 + 5L * L * D * 2, cache.file().toFile().length() - indexAndTrailer(cache.file()));
        for (String f : files) {
            assertNearHalf(expected(f), cache.read(cache.row(f)));
        }
        float[] dst = new float[2 + L * D];
        cache.copy(cache.row("images/img_3.jpg"), dst, 2);
        assertEquals(0f, dst[0]);
        assertArrayEquals(cache.read(3), java.util.Arrays.copyOfRange(dst, 2, dst.length));
        assertThrows(IllegalArgumentException.class, () -> cache.row("images/other.jpg"));
        assertThrows(IndexOutOfBoundsException.class, () -> cache.read(5));
        assertEquals(List.of(cache.file()), listDir(), "no temporary file is left");
    }

    @Test
    void secondOpenComputesNothingAndAnExtensionOnlyTheNewImages() {
        open(files(4), new CountingSource());
        CountingSource again = new CountingSource();
        FeatureCache reused = open(files(4).subList(1, 3), again);
        assertEquals(0, again.calls);
        assertEquals(0, reused.computed());
        assertEquals(4, reused.size());

        CountingSource more = new CountingSource();
        List<String> six = files(6);
        FeatureCache extended = open(six, more);
        assertEquals(List.of("images/img_4.jpg", "images/img_5.jpg"), more.asked);
        assertEquals(2, extended.computed());
        for (String f : six) {
            assertNearHalf(expected(f), extended.read(extended.row(f)));
        }
    }

    @Test
    void anotherKeyMakesAnotherCache() {
        open(files(3), new CountingSource());
        for (CacheKey other : List.of(
                new CacheKey("vgg16@16", "bytes=10,sha256=cd", 96, "resize=square", L, D),
                new CacheKey("vgg16@16", "bytes=10,sha256=ab", 128, "resize=square", L, D),
                new CacheKey("vgg16@16", "bytes=10,sha256=ab", 96, "resize=shorter_side_center_crop", L, D),
                new CacheKey("resnet50@res5c_branch", "bytes=10,sha256=ab", 96, "resize=square", L, D))) {
            assertNotEquals(KEY.fileName(), other.fileName());
            CountingSource source = new CountingSource();
            FeatureCache cache = FeatureCache.open(dir, other, files(3), source, Progress.NONE);
            assertEquals(3, cache.computed(), other.toString());
        }
        assertEquals(5, listDir().size());
        assertTrue(KEY.fileName().matches("features-vgg16-96-[0-9a-f]{16}\\.f16"), KEY.fileName());
    }

    @Test
    void aFileMadeUnderAnotherKeyIsNotReadEvenUnderTheRightName() throws IOException {
        CacheKey other = new CacheKey("vgg16@16", "bytes=10,sha256=cd", 96, "resize=square", L, D);
        FeatureCache wrong = FeatureCache.open(dir, other, files(3), new CountingSource(), Progress.NONE);
        Files.move(wrong.file(), dir.resolve(KEY.fileName()));
        CountingSource source = new CountingSource();
        FeatureCache cache = open(files(3), source);
        assertEquals(3, cache.computed());
        assertTrue(cache.rebuiltBecause().orElseThrow().startsWith("made under another key"), cache.rebuiltBecause().get());
    }

    @Test
    void truncatedOrGarbledFilesAreRebuilt() throws IOException {
        Path file = open(files(3), new CountingSource()).file();
        long full = Files.size(file);
        for (long keep : new long[] {full - 1, full - 100, 64 + L * D * 2 + 7, 40, 0}) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(keep);
            }
            CountingSource source = new CountingSource();
            FeatureCache cache = open(files(3), source);
            assertEquals(3, cache.computed(), "cut to " + keep);
            assertTrue(cache.rebuiltBecause().orElseThrow().contains("truncated"), cache.rebuiltBecause().get());
            assertEquals(full, Files.size(file));
        }
        overwrite(file, full - 40, "not json at all".getBytes());       // inside the index
        FeatureCache cache = open(files(3), new CountingSource());
        assertEquals(3, cache.computed());
        assertTrue(cache.rebuiltBecause().orElseThrow().startsWith("damaged index"), cache.rebuiltBecause().get());
        overwrite(file, 0, "JPEGJPEG".getBytes());
        assertEquals("not a Glimpse feature cache (bad magic)",
                open(files(3), new CountingSource()).rebuiltBecause().orElseThrow());
    }

    @Test
    void aDamagedRowIsRefusedWhenReadAndRecomputedWhenTheFileIsRewritten() throws IOException {
        Path file = open(files(3), new CountingSource()).file();
        overwrite(file, 64 + L * D * 2 + 10, new byte[] {0x55, 0x55});    // inside row 1
        FeatureCache cache = open(files(3), new CountingSource());
        assertEquals(0, cache.computed(), "rows are checked when read, not on every open");
        assertNearHalf(expected("images/img_0.jpg"), cache.read(0));
        InputException e = assertThrows(InputException.class, () -> cache.read(1));
        assertEquals("feature cache " + file + ": row 1 (images/img_1.jpg) is damaged (checksum mismatch);"
                + " delete the file to rebuild it", e.getMessage());

        CountingSource source = new CountingSource();
        FeatureCache extended = open(files(4), source);
        assertEquals(List.of("images/img_1.jpg", "images/img_3.jpg"), source.asked);
        assertEquals("row 1 (images/img_1.jpg) was damaged", extended.rebuiltBecause().orElseThrow());
        for (String f : files(4)) {
            assertNearHalf(expected(f), extended.read(extended.row(f)));
        }
    }

    @Test
    void aBuildThatDiesLeavesNoCacheAndTheNextOneStartsClean() throws IOException {
        CountingSource failing = new CountingSource();
        failing.failAfterCalls = 2;
        InputException e = assertThrows(InputException.class, () -> open(files(7), failing));
        assertEquals("image images/img_4.jpg: damaged (simulated)", e.getMessage());
        assertEquals(List.of(), listDir(), "neither a cache nor a temporary file");

        // A killed process leaves its temporary file: never read, removed once its process is gone.
        Path leftover = dir.resolve("." + KEY.fileName() + ".999999999-1.tmp");
        Files.write(leftover, "GLIMPSEF partial".getBytes());
        Path foreign = dir.resolve("." + KEY.fileName() + "." + ProcessHandle.current().pid() + "-77.tmp");
        Files.write(foreign, "still being written".getBytes());
        CountingSource source = new CountingSource();
        FeatureCache cache = open(files(7), source);
        assertEquals(7, cache.computed());
        assertTrue(cache.rebuiltBecause().isEmpty());
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(foreign), "a live process's temporary file is left alone");
    }

    @Test
    void fingerprintFollowsContentNotName() throws IOException {
        Path a = dir.resolve("a.zip");
        Files.write(a, new byte[] {1, 2, 3});
        Path b = dir.resolve("b.zip");
        Files.copy(a, b);
        assertEquals(FrozenEncoder.fingerprint(a), FrozenEncoder.fingerprint(b));
        assertEquals("bytes=3,sha256=039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", FrozenEncoder.fingerprint(a));
        Files.write(b, new byte[] {1, 2, 4});
        assertNotEquals(FrozenEncoder.fingerprint(a), FrozenEncoder.fingerprint(b));
        InputException e = assertThrows(InputException.class, () -> FrozenEncoder.fingerprint(dir.resolve("none.zip")));
        assertTrue(e.getMessage().startsWith("weights file " + dir.resolve("none.zip") + ": cannot read"), e.getMessage());
    }

    private static void overwrite(Path file, long at, byte[] bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            raf.write(bytes);
        }
    }

    private static long indexAndTrailer(Path file) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(raf.length() - 16);
            byte[] b = new byte[8];
            raf.readFully(b);
            return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong() + 16;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Path> listDir() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

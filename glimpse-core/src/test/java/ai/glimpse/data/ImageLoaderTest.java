package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resizing, cropping, normalisation, batching, refusals and native memory of {@link ImageLoader}. */
class ImageLoaderTest {
    private static final float EXACT = 1e-6f;
    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;

    @TempDir
    Path dir;

    private static ImageLoader loader(int size, ResizePolicy policy) {
        return new ImageLoader(new ImageOptions(size, policy, false, ImageOptions.DEFAULT_MAX_PIXELS));
    }

    /** A 60x20 PNG: red, green and blue bands 20 pixels wide. */
    private Path threeBands() {
        return TestImages.writeImageIo(dir, "bands.png", "png", TestImages.bands(60, 20, RED, GREEN, BLUE));
    }

    private static void assertColour(RgbImage image, int x, int y, float r, float g, float b, float tolerance) {
        assertEquals(r, image.get(0, y, x), tolerance, "red at (" + x + ", " + y + ")");
        assertEquals(g, image.get(1, y, x), tolerance, "green at (" + x + ", " + y + ")");
        assertEquals(b, image.get(2, y, x), tolerance, "blue at (" + x + ", " + y + ")");
    }

    @Test
    void scaledSizes() {
        assertArrayEquals(new int[] {299, 224}, ResizePolicy.SHORTER_SIDE_CENTER_CROP.scaledSize(640, 480, 224));
        assertArrayEquals(new int[] {224, 299}, ResizePolicy.SHORTER_SIDE_CENTER_CROP.scaledSize(480, 640, 224));
        assertArrayEquals(new int[] {10, 10_000}, ResizePolicy.SHORTER_SIDE_CENTER_CROP.scaledSize(1, 1000, 10));
        assertArrayEquals(new int[] {224, 224}, ResizePolicy.SQUARE.scaledSize(640, 480, 224));
    }

    @Test
    void centreCropKeepsOnlyTheMiddle() {
        for (int size : new int[] {20, 10}) { // 60x20 -> 60x20 (no resize) or 30x10 (area, factor 2)
            RgbImage image = loader(size, ResizePolicy.SHORTER_SIDE_CENTER_CROP).load(threeBands());
            assertEquals(size, image.width());
            assertEquals(size, image.height());
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    assertColour(image, x, y, 0, 1, 0, EXACT); // all green: the red and blue ends are cut
                }
            }
        }
    }

    @Test
    void squareKeepsEverything() {
        RgbImage image = loader(6, ResizePolicy.SQUARE).load(threeBands()); // 60x20 -> 6x6, bands of 2
        assertEquals(6, image.width());
        assertEquals(6, image.height());
        assertColour(image, 0, 3, 1, 0, 0, EXACT);
        assertColour(image, 3, 3, 0, 1, 0, EXACT);
        assertColour(image, 5, 3, 0, 0, 1, EXACT);
    }

    @Test
    void enlargingKeepsColoursAndRange() {
        Path small = TestImages.writeImageIo(dir, "small.png", "png", TestImages.bands(4, 4, 0x336699));
        RgbImage image = loader(32, ResizePolicy.SHORTER_SIDE_CENTER_CROP).load(small);
        assertEquals(32 * 32 * 3, image.data().length);
        for (int y = 0; y < 32; y += 7) {
            for (int x = 0; x < 32; x += 5) {
                assertColour(image, x, y, 0x33 / 255f, 0x66 / 255f, 0x99 / 255f, 1e-5f);
            }
        }
        // A sharp black/white edge enlarged: values stay in [0, 1].
        Path edge = TestImages.writeImageIo(dir, "edge.png", "png", TestImages.bands(4, 4, 0x000000, 0xFFFFFF));
        for (float v : loader(33, ResizePolicy.SQUARE).load(edge).data()) {
            assertTrue(v >= 0f && v <= 1f, "value " + v);
        }
    }

    @Test
    void imagenetNormalisation() {
        Path file = TestImages.writeImageIo(dir, "c.png", "png", TestImages.bands(4, 4, 0xFF0080)); // (255, 0, 128)
        RgbImage image = new ImageLoader(ImageOptions.of(4)).load(file);
        float[] expected = {(1f - 0.485f) / 0.229f, -0.456f / 0.224f, (128 / 255f - 0.406f) / 0.225f};
        assertArrayEquals(new float[] {2.248908f, -2.035714f, 0.426492f}, expected, 1e-5f); // worked by hand
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], image.get(c, 2, 1), 1e-5f);
        }
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, RgbImage.imagenetMean());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, RgbImage.imagenetStd());
    }

    @Test
    void prepareMatchesLoadAndBatchStacksImages() {
        Path bands = threeBands();
        Path plain = TestImages.writeImageIo(dir, "c.png", "png", TestImages.bands(7, 9, 0x204060));
        ImageLoader loader = new ImageLoader(new ImageOptions(5, ResizePolicy.SHORTER_SIDE_CENTER_CROP, true, 10_000));
        RgbImage original = loader.loadOriginal(bands);
        assertEquals(60, original.width());
        assertArrayEquals(loader.load(bands).data(), loader.prepare(original).data(), EXACT);

        float[] batch = loader.loadBatch(List.of(bands, plain));          // [2, 3, 5, 5]
        assertEquals(2 * 3 * 5 * 5, batch.length);
        float[] second = loader.load(plain).data();
        for (int i = 0; i < second.length; i++) {
            assertEquals(second[i], batch[75 + i], EXACT);
        }
        assertEquals((0x20 / 255f - 0.485f) / 0.229f, batch[75], 1e-5f);
    }

    @Test
    void bytesAndPicturesLoadAsTheirFileDoes() {
        Path bands = threeBands();
        byte[] bytes = TestImages.read(bands);
        ImageLoader loader = new ImageLoader(new ImageOptions(5, ResizePolicy.SHORTER_SIDE_CENTER_CROP, true, 10_000));
        assertArrayEquals(loader.load(bands).data(), loader.load("upload", bytes).data(), EXACT);
        RgbImage original = loader.loadOriginal("upload", bytes);
        assertArrayEquals(loader.loadOriginal(bands).data(), original.data(), EXACT);
        assertArrayEquals(original.data(), RgbImage.of(original.toBufferedImage()).data(), EXACT);

        byte[] huge = TestImages.png(10_000, 10_000, 8, 2, null);
        InputException e = assertThrows(InputException.class, () -> loader.load("upload", huge));
        assertEquals("upload: 10000x10000 pixels (100.0 megapixels) is above the limit of 0.0 megapixels", e.getMessage());
        e = assertThrows(InputException.class, () -> loader.load("upload", TestImages.head(bytes, bytes.length / 2)));
        assertTrue(e.getMessage().startsWith("upload: "), e.getMessage());
        e = assertThrows(InputException.class, () -> loader.load("upload", new byte[0]));
        assertEquals("upload: empty file", e.getMessage());
    }

    @Test
    void refusesImagesAboveThePixelLimitBeforeDecoding() {
        // A 45-byte PNG whose IHDR claims 10000x10000 and which has no pixel data at all: a decode
        // attempt would fail with "cannot decode", so the limit message shows nothing was decoded.
        Path huge = TestImages.write(dir, "huge.png", TestImages.png(10_000, 10_000, 8, 2, null));
        InputException e = assertThrows(InputException.class, () -> new ImageLoader(ImageOptions.of(224)).load(huge));
        assertEquals(huge + ": 10000x10000 pixels (100.0 megapixels) is above the limit of 40.0 megapixels",
                e.getMessage());

        Path file = TestImages.writeImageIo(dir, "100x100.png", "png", TestImages.bands(100, 100, RED));
        ImageLoader strict = new ImageLoader(ImageOptions.of(8).withMaxPixels(9_999));
        e = assertThrows(InputException.class, () -> strict.loadOriginal(file));
        assertTrue(e.getMessage().startsWith(file + ": 100x100 pixels"), e.getMessage());
        assertEquals(100, new ImageLoader(ImageOptions.of(8).withMaxPixels(10_000)).loadOriginal(file).width());
    }

    @Test
    void refusesBadFilesWithOneLineNamingThem() throws Exception {
        byte[] png = TestImages.read(TestImages.writeImageIo(dir, "ok.png", "png", TestImages.bands(64, 64, RED, BLUE)));
        byte[] jpeg = TestImages.read(TestImages.writeImageIo(dir, "ok.jpg", "jpeg", TestImages.bands(64, 64, RED, BLUE)));
        Path missing = dir.resolve("missing.jpg");
        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        Path empty = TestImages.write(dir, "empty.jpg", new byte[0]);
        Path text = TestImages.write(dir, "notes.jpg", "just some text\n".getBytes(StandardCharsets.UTF_8));
        Path cutPng = TestImages.write(dir, "cut.png", TestImages.head(png, png.length / 2));
        Path cutJpeg = TestImages.write(dir, "cut.jpg", TestImages.head(jpeg, jpeg.length / 2));
        byte[] bmp = TestImages.read(TestImages.writeImageIo(dir, "ok.bmp", "bmp", TestImages.bands(64, 64, RED)));
        Path cutBmp = TestImages.write(dir, "cut.bmp", TestImages.head(bmp, bmp.length / 2));
        Object[][] cases = {
            {missing, ": no such file"},
            {folder, ": is a directory, not an image file"},
            {empty, ": empty file"},
            {text, ": not an image Glimpse can read (PNG, JPEG, BMP, TIFF, WebP, GIF)"},
            {cutPng, ": cannot decode PNG image (truncated: the file ends before the IEND chunk)"},
            {cutJpeg, ": cannot decode JPEG image (truncated: the file ends before the end-of-image marker)"},
            {cutBmp, ": cannot decode BMP image (truncated: the file is shorter than its BMP header says)"},
        };
        ImageLoader loader = new ImageLoader(ImageOptions.of(8));
        for (Object[] c : cases) {
            Path file = (Path) c[0];
            for (var load : List.<java.util.function.Function<Path, ?>>of(loader::load, loader::loadOriginal)) {
                InputException e = assertThrows(InputException.class, () -> load.apply(file), file.toString());
                assertEquals(file + (String) c[1], e.getMessage());
                assertEquals(1, e.getMessage().lines().count());
            }
        }
    }

    @Test
    void nativeMemoryIsFreed() {
        Path file = TestImages.writeImageIo(dir, "m.png", "png", TestImages.bands(120, 80, RED, GREEN));
        Path cut = TestImages.write(dir, "cut.png", TestImages.head(TestImages.read(file), 200));
        ImageLoader loader = new ImageLoader(ImageOptions.of(32));
        loader.load(file);
        long pointers = Pointer.totalCount();
        long bytes = Pointer.totalBytes();
        for (int i = 0; i < 300; i++) {
            loader.load(file);
            loader.loadOriginal(file);
            assertThrows(InputException.class, () -> loader.load(cut));
        }
        // Pointer counts are global to the JVM: other tests' ND4J buffers may be freed meanwhile, so the
        // count may fall, but 900 leaking loads would leave thousands of objects and megabytes behind.
        assertTrue(Pointer.totalCount() - pointers < 50, "native objects left behind: "
                + (Pointer.totalCount() - pointers));
        assertTrue(Pointer.totalBytes() - bytes < 1_000_000, "native bytes left behind: " + (Pointer.totalBytes() - bytes));
    }

    @Test
    void optionsAndImagesCheckThemselves() {
        assertThrows(IllegalArgumentException.class, () -> new ImageOptions(0, ResizePolicy.SQUARE, false, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.of(224).withMaxPixels(0));
        assertThrows(NullPointerException.class, () -> new ImageOptions(224, null, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new float[11]));
        RgbImage image = new RgbImage(2, 1, new float[] {0, 1, 0.5f, 0.25f, -3, 7});
        assertEquals(0.25f, image.get(1, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> image.get(3, 0, 0));
        // Planes R = [0, 1], G = [0.5, 0.25], B = [-3, 7]: rounded to 0..255, clamped.
        assertEquals(0x008000, image.toBufferedImage().getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFF40FF, image.toBufferedImage().getRGB(1, 0) & 0xFFFFFF);
    }

    /** A width x height 8-bit RGB PNG, all {@code rgb} but the pixel at (x, y), which is {@code mark}. */
    private Path thinPng(String name, int width, int height, int rgb, int x, int y, int mark) {
        byte[] samples = new byte[3 * width * height];
        for (int p = 0; p < width * height; p++) {
            int c = p == y * width + x ? mark : rgb;
            samples[3 * p] = (byte) (c >> 16);
            samples[3 * p + 1] = (byte) (c >> 8);
            samples[3 * p + 2] = (byte) c;
        }
        return TestImages.write(dir, name, TestImages.png(width, height, 8, 2, samples));
    }

    @Test
    void thinImagesCostNoMoreThanTheirCentreSquare() {
        // Scaling the shorter side of 200000x1 to 128 first would take 39 GB (an OpenCV allocation failure);
        // the centre square is one pixel, which fills the whole input.
        ImageLoader loader = loader(128, ResizePolicy.SHORTER_SIDE_CENTER_CROP);
        for (Path file : List.of(thinPng("wide.png", 200_000, 1, RED, 99_999, 0, GREEN),
                thinPng("tall.png", 1, 60_000, RED, 0, 29_999, GREEN))) {
            RgbImage image = loader.load(file);
            assertEquals(128, image.width());
            assertEquals(128, image.height());
            for (int y = 0; y < 128; y += 9) {
                for (int x = 0; x < 128; x += 9) {
                    assertColour(image, x, y, 0, 1, 0, EXACT);
                }
            }
            assertArrayEquals(image.data(), loader.prepare(loader.loadOriginal(file)).data(), EXACT);
        }
        assertTrue(ResizePolicy.SHORTER_SIDE_CENTER_CROP.cropsFirst(200_000, 1));
        assertTrue(ResizePolicy.SHORTER_SIDE_CENTER_CROP.cropsFirst(5, 21));
        assertFalse(ResizePolicy.SHORTER_SIDE_CENTER_CROP.cropsFirst(80, 20), "4:1 is still scaled whole");
        assertFalse(ResizePolicy.SQUARE.cropsFirst(200_000, 1), "SQUARE scales straight to the input size");
        assertArrayEquals(new int[] {99_999, 0, 1}, ResizePolicy.centreSquare(200_000, 1));
    }

    @Test
    void aWidePanoramaKeepsItsMiddle() {
        // 100x20, five bands of 20: the centre square is the middle band, whichever size it is scaled to.
        Path file = TestImages.writeImageIo(dir, "pano.png", "png", TestImages.bands(100, 20, RED, RED, GREEN, BLUE, BLUE));
        for (int size : new int[] {10, 20, 40}) {
            RgbImage image = loader(size, ResizePolicy.SHORTER_SIDE_CENTER_CROP).load(file);
            assertEquals(size, image.width());
            for (int x = 0; x < size; x++) {
                assertColour(image, x, size / 2, 0, 1, 0, EXACT);
            }
        }
    }

    @Test
    void whatOpenCvThrowsBecomesAnErrorNamingTheImage() {
        String opencv = "OpenCV(4.5.5) /build/opencv/modules/core/src/alloc.cpp:73: error: (-4:Insufficient memory)"
                + " Failed to allocate 39321600000 bytes in function 'OutOfMemoryError'\n";
        InputException e = assertThrows(InputException.class, () -> ImageLoader.perImage("a.png", () -> {
            throw new RuntimeException(opencv);
        }));
        assertEquals("a.png: cannot process this image ((-4:Insufficient memory) Failed to allocate 39321600000 bytes"
                + " in function 'OutOfMemoryError')", e.getMessage());
        e = assertThrows(InputException.class, () -> ImageLoader.perImage("b.png", () -> {
            throw new OutOfMemoryError("Cannot allocate 4000000000 + 0 bytes");
        }));
        assertEquals("b.png: not enough memory to process this image (Cannot allocate 4000000000 + 0 bytes)", e.getMessage());
        assertThrows(NullPointerException.class, () -> ImageLoader.perImage("c.png", () -> {
            throw new NullPointerException("a bug, not a bad image");
        }));
    }
}

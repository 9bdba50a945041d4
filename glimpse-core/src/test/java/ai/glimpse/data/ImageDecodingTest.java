package ai.glimpse.data;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported format and pixel layout decodes to the right size and RGB colours in [0, 1]. */
class ImageDecodingTest {
    private static final float EXACT = 1e-6f;
    private static final float JPEG = 6 / 255f;
    private final ImageLoader loader = new ImageLoader(ImageOptions.of(8));

    @TempDir
    Path dir;

    /** Asserts the pixel at (x, y) has the given 8-bit RGB colour within {@code tolerance}. */
    private static void assertRgb(RgbImage image, int x, int y, int rgb, float tolerance) {
        float[] expected = {(rgb >> 16 & 0xFF) / 255f, (rgb >> 8 & 0xFF) / 255f, (rgb & 0xFF) / 255f};
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], image.get(c, y, x), tolerance, "channel " + c + " at (" + x + ", " + y + ")");
        }
    }

    private static void assertSize(RgbImage image, int width, int height) {
        assertEquals(width, image.width());
        assertEquals(height, image.height());
    }

    @Test
    void losslessFormatsFromImageIo() {
        BufferedImage picture = TestImages.bands(30, 10, 0xC81E3C, 0x10A0F0); // left (200,30,60), right (16,160,240)
        for (String format : new String[] {"png", "bmp", "tiff"}) {
            RgbImage image = loader.loadOriginal(TestImages.writeImageIo(dir, "a." + format, format, picture));
            assertSize(image, 30, 10);
            assertRgb(image, 3, 5, 0xC81E3C, EXACT);   // red stays in channel 0: RGB order, not BGR
            assertRgb(image, 27, 5, 0x10A0F0, EXACT);
        }
    }

    @Test
    void jpegBaselineAndProgressive() {
        BufferedImage picture = TestImages.bands(32, 16, 0xC81E3C);
        RgbImage baseline = loader.loadOriginal(TestImages.writeImageIo(dir, "a.jpg", "jpeg", picture));
        assertSize(baseline, 32, 16);
        assertRgb(baseline, 10, 10, 0xC81E3C, JPEG);
        // OpenCV takes B, G, R: (60, 30, 200) is the same colour.
        byte[] progressive = TestImages.opencv(".jpg", 32, 16, CV_8UC3, new double[] {60, 30, 200},
                IMWRITE_JPEG_PROGRESSIVE, 1, IMWRITE_JPEG_QUALITY, 95);
        RgbImage image = loader.loadOriginal(TestImages.write(dir, "p.jpg", progressive));
        assertSize(image, 32, 16);
        assertRgb(image, 10, 10, 0xC81E3C, JPEG);
    }

    @Test
    void jpegExifOrientationIsApplied() {
        // 32x16, left red and right blue, with an EXIF APP1 saying orientation 6 (rotate 90 degrees clockwise).
        byte[] plain = TestImages.read(TestImages.writeImageIo(dir, "plain.jpg", "jpeg",
                TestImages.bands(32, 16, 0xFF0000, 0x0000FF)));
        ByteBuffer app1 = ByteBuffer.allocate(36);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) 34).put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        app1.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);         // TIFF header, IFD0 at 8
        app1.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1) // Orientation, SHORT
                .putShort((short) 6).putShort((short) 0).putInt(0);
        byte[] rotated = ByteBuffer.allocate(plain.length + 36).put(plain, 0, 2).put(app1.array())
                .put(plain, 2, plain.length - 2).array();
        Path file = TestImages.write(dir, "rotated.jpg", rotated);
        assertEquals(new ImageHeader(ImageFormat.JPEG, 32, 16), ImageHeader.read(file)); // as stored
        RgbImage image = loader.loadOriginal(file);
        assertSize(image, 16, 32);                   // as displayed
        assertRgb(image, 8, 4, 0xFF0000, 0.1f);      // the left (red) half is now on top
        assertRgb(image, 8, 28, 0x0000FF, 0.1f);
    }

    @Test
    void cmykJpeg() throws IOException {
        Path file;
        try (InputStream in = getClass().getResourceAsStream("cmyk.jpg")) { // 16x16, left red, right blue
            file = TestImages.write(dir, "cmyk.jpg", in.readAllBytes());
        }
        RgbImage image = loader.loadOriginal(file);
        assertSize(image, 16, 16);
        assertRgb(image, 3, 8, 0xFF0000, 0.05f);
        assertRgb(image, 12, 8, 0x0000FF, 0.05f);
    }

    @Test
    void greyAndPalettePng() {
        BufferedImage grey = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(2, 1, 0, 77);
        RgbImage g = loader.loadOriginal(TestImages.writeImageIo(dir, "grey.png", "png", grey));
        assertRgb(g, 2, 1, 0x4D4D4D, EXACT); // 77 in every channel
        assertRgb(g, 0, 0, 0x000000, EXACT);

        byte[] r = {(byte) 10, (byte) 250, 0};
        byte[] gr = {(byte) 200, (byte) 20, 0};
        byte[] b = {(byte) 30, (byte) 5, 0};
        IndexColorModel palette = new IndexColorModel(2, 3, r, gr, b, 2); // index 2 is transparent
        BufferedImage indexed = new BufferedImage(6, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSample(0, 0, 0, 0);
        indexed.getRaster().setSample(1, 0, 0, 1);
        indexed.getRaster().setSample(2, 0, 0, 2);
        for (String format : new String[] {"png", "gif"}) {
            RgbImage p = loader.loadOriginal(TestImages.writeImageIo(dir, "palette." + format, format, indexed));
            assertSize(p, 6, 2);
            assertRgb(p, 0, 0, 0x0AC81E, EXACT);
            assertRgb(p, 1, 0, 0xFA1405, EXACT);
            assertRgb(p, 2, 0, 0xFFFFFF, EXACT); // transparent -> white
        }
    }

    @Test
    void alphaIsLaidOverWhite() {
        BufferedImage rgba = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0xFFFF0000); // opaque red
        rgba.setRGB(1, 0, 0x80FF0000); // half-transparent red
        rgba.setRGB(2, 0, 0x00123456); // fully transparent
        RgbImage image = loader.loadOriginal(TestImages.writeImageIo(dir, "rgba.png", "png", rgba));
        assertRgb(image, 0, 0, 0xFF0000, EXACT);
        float a = 128 / 255f;
        assertEquals(1f, image.get(0, 0, 1), EXACT);
        assertEquals(1f - a, image.get(1, 0, 1), EXACT); // 0 * a + 1 * (1 - a)
        assertEquals(1f - a, image.get(2, 0, 1), EXACT);
        assertRgb(image, 2, 0, 0xFFFFFF, EXACT);

        // Grey + alpha (PNG colour type 4), which ImageIO cannot write: grey 100 at alpha 51 (0.2).
        byte[] greyAlpha = TestImages.png(2, 1, 8, 4, new byte[] {100, (byte) 255, 100, 51});
        RgbImage ga = loader.loadOriginal(TestImages.write(dir, "ga.png", greyAlpha));
        assertRgb(ga, 0, 0, 0x646464, EXACT);
        float expected = 100 / 255f * 0.2f + 0.8f;
        for (int c = 0; c < 3; c++) {
            assertEquals(expected, ga.get(c, 0, 1), EXACT);
        }

        byte[] webp = TestImages.opencv(".webp", 8, 8, CV_8UC4, new double[] {0, 0, 255, 0}, IMWRITE_WEBP_QUALITY, 101);
        assertRgb(loader.loadOriginal(TestImages.write(dir, "clear.webp", webp)), 4, 4, 0xFFFFFF, EXACT);
    }

    @Test
    void sixteenBitPngIsScaledNotTruncated() {
        // B, G, R = 300, 32768, 65535: truncating to the high byte would give 1/255, 128/255, 1.
        byte[] png = TestImages.opencv(".png", 4, 3, CV_16UC3, new double[] {300, 32768, 65535});
        RgbImage image = loader.loadOriginal(TestImages.write(dir, "deep.png", png));
        assertSize(image, 4, 3);
        assertEquals(1f, image.get(0, 2, 3), EXACT);
        assertEquals(32768 / 65535f, image.get(1, 2, 3), EXACT);
        assertEquals(300 / 65535f, image.get(2, 2, 3), EXACT);

        // 16-bit grey from the hand-made PNG: 0x0102 -> 258 / 65535.
        byte[] grey16 = TestImages.png(1, 1, 16, 0, new byte[] {1, 2});
        RgbImage g = loader.loadOriginal(TestImages.write(dir, "grey16.png", grey16));
        for (int c = 0; c < 3; c++) {
            assertEquals(258 / 65535f, g.get(c, 0, 0), EXACT);
        }
    }

    @Test
    void webpLossyAndLossless() {
        byte[] lossless = TestImages.opencv(".webp", 9, 7, CV_8UC3, new double[] {60, 30, 200}, IMWRITE_WEBP_QUALITY, 101);
        RgbImage image = loader.loadOriginal(TestImages.write(dir, "a.webp", lossless));
        assertSize(image, 9, 7);
        assertRgb(image, 4, 3, 0xC81E3C, EXACT);
        byte[] lossy = TestImages.opencv(".webp", 9, 7, CV_8UC3, new double[] {60, 30, 200}, IMWRITE_WEBP_QUALITY, 90);
        assertRgb(loader.loadOriginal(TestImages.write(dir, "b.webp", lossy)), 4, 3, 0xC81E3C, JPEG);
    }

    @Test
    void oddCharactersInPathAndBufferedImage() {
        BufferedImage picture = TestImages.bands(6, 3, 0x123456, 0xABCDEF);
        Path file = TestImages.writeImageIo(dir, "ünï cödé ☃ #1 (copy).png", "png", picture);
        BufferedImage back = loader.loadBufferedImage(file);
        assertEquals(BufferedImage.TYPE_INT_RGB, back.getType());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(picture.getRGB(x, y), back.getRGB(x, y), "(" + x + ", " + y + ")");
            }
        }
    }
}

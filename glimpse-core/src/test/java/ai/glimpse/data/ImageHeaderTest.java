package ai.glimpse.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.bmp.BMPImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageHeaderTest {
    private static final int W = 37;
    private static final int H = 23;
    private static final BufferedImage PICTURE = TestImages.bands(W, H, 0xFF0000, 0x0000FF);

    @TempDir
    Path dir;

    private void assertHeader(ImageFormat format, Path file) {
        ImageHeader header = ImageHeader.read(file);
        assertEquals(new ImageHeader(format, W, H), header, file.toString());
        assertEquals(header, ImageHeader.parse("x", TestImages.read(file)));
        assertEquals((long) W * H, header.pixels());
    }

    private static String fourCc(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.US_ASCII);
    }

    @Test
    void imageIoFormats() {
        for (String format : new String[] {"png", "jpeg", "bmp", "gif", "tiff"}) {
            Path file = TestImages.writeImageIo(dir, "a." + format, format, PICTURE);
            ImageFormat expected = format.equals("jpeg") ? ImageFormat.JPEG : ImageFormat.valueOf(format.toUpperCase());
            assertHeader(expected, file);
        }
    }

    @Test
    void tiffInBothByteOrders() {
        byte[] motorola = TestImages.read(TestImages.writeImageIo(dir, "mm.tif", "tiff", PICTURE)); // ImageIO: big-endian
        byte[] intel = TestImages.opencv(".tiff", W, H, CV_8UC3, new double[] {1, 2, 3});       // libtiff: little-endian
        assertEquals("MM", new String(motorola, 0, 2, StandardCharsets.US_ASCII));
        assertEquals("II", new String(intel, 0, 2, StandardCharsets.US_ASCII));
        assertHeader(ImageFormat.TIFF, dir.resolve("mm.tif"));
        assertHeader(ImageFormat.TIFF, TestImages.write(dir, "ii.tif", intel));
    }

    @Test
    void bigTiff() {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 2 * 20).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(16);
        b.putLong(2);                                                             // entry count
        b.putShort((short) 256).putShort((short) 16).putLong(1).putLong(W);       // ImageWidth, LONG8
        b.putShort((short) 257).putShort((short) 3).putLong(1).putShort((short) H).putShort((short) 0)
                .putInt(0);                                                        // ImageLength, SHORT
        assertEquals(new ImageHeader(ImageFormat.TIFF, W, H), ImageHeader.parse("big.tif", b.array()));
    }

    @Test
    void topDownAndCoreBmp() throws IOException {
        Path file = dir.resolve("topdown.bmp");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("bmp").next();
        BMPImageWriteParam param = (BMPImageWriteParam) writer.getDefaultWriteParam();
        param.setTopDown(true);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(PICTURE, null, null), param);
        } finally {
            writer.dispose();
        }
        assertTrue(ByteBuffer.wrap(TestImages.read(file)).order(ByteOrder.LITTLE_ENDIAN).getInt(22) < 0, "top-down");
        assertHeader(ImageFormat.BMP, file);

        ByteBuffer core = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN); // BITMAPCOREHEADER
        core.put((byte) 'B').put((byte) 'M').putInt(26).putInt(0).putInt(26).putInt(12)
                .putShort((short) W).putShort((short) H);
        assertEquals(new ImageHeader(ImageFormat.BMP, W, H), ImageHeader.parse("core.bmp", core.array()));
    }

    @Test
    void progressiveJpegHasSof2() {
        byte[] bytes = TestImages.opencv(".jpg", W, H, CV_8UC3, new double[] {10, 20, 30}, IMWRITE_JPEG_PROGRESSIVE, 1);
        assertTrue(indexOf(bytes, (byte) 0xFF, (byte) 0xC2) > 0, "SOF2 marker");
        assertEquals(-1, indexOf(bytes, (byte) 0xFF, (byte) 0xC0), "no SOF0 marker");
        assertHeader(ImageFormat.JPEG, TestImages.write(dir, "p.jpg", bytes));
    }

    @Test
    void webpLossyLosslessAndExtended() {
        byte[] lossy = TestImages.opencv(".webp", W, H, CV_8UC3, new double[] {10, 20, 30}, IMWRITE_WEBP_QUALITY, 80);
        byte[] lossless = TestImages.opencv(".webp", W, H, CV_8UC3, new double[] {10, 20, 30}, IMWRITE_WEBP_QUALITY, 101);
        byte[] alpha = TestImages.opencv(".webp", W, H, CV_8UC4, new double[] {10, 20, 30, 128}, IMWRITE_WEBP_QUALITY, 80);
        assertEquals("VP8 ", fourCc(lossy, 12));
        assertEquals("VP8L", fourCc(lossless, 12));
        assertEquals("VP8X", fourCc(alpha, 12));
        assertHeader(ImageFormat.WEBP, TestImages.write(dir, "lossy.webp", lossy));
        assertHeader(ImageFormat.WEBP, TestImages.write(dir, "lossless.webp", lossless));
        assertHeader(ImageFormat.WEBP, TestImages.write(dir, "alpha.webp", alpha));
    }

    @Test
    void jpegFrameHeaderAfterLargeSegments() {
        // Two APP1 segments of 65,000 bytes before the frame header push SOF0 past the first 64 KiB read.
        byte[] plain = TestImages.read(TestImages.writeImageIo(dir, "a.jpg", "jpeg", PICTURE));
        int app = 65_000;
        ByteBuffer b = ByteBuffer.allocate(plain.length + 2 * (4 + app)).put(plain, 0, 2);
        for (int i = 0; i < 2; i++) {
            b.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (app + 2)).put(new byte[app]);
        }
        b.put(plain, 2, plain.length - 2);
        b.put(100, (byte) 0xFF).put(101, (byte) 0xD9); // a stray EOI inside the segment must be skipped
        Path file = TestImages.write(dir, "big-app.jpg", b.array());
        assertHeader(ImageFormat.JPEG, file);
        assertEquals(W, new ImageLoader(ImageOptions.of(8)).loadOriginal(file).width());
    }

    @Test
    void hugeImageHeaderInTinyFile() {
        byte[] png = TestImages.png(10_000, 10_000, 8, 2, null); // IHDR and IEND only: 45 bytes
        assertTrue(png.length < 64);
        ImageHeader header = ImageHeader.read(TestImages.write(dir, "huge.png", png));
        assertEquals(100_000_000L, header.pixels());
        InputException e = assertThrows(InputException.class, () -> header.requireAtMost(40_000_000L, "huge.png"));
        assertEquals("huge.png: 10000x10000 pixels (100.0 megapixels) is above the limit of 40.0 megapixels",
                e.getMessage());
        assertEquals(header, header.requireAtMost(100_000_000L, "huge.png"));
    }

    @Test
    void refusesWhatIsNotAnImage() {
        Path text = TestImages.write(dir, "photo.xyz", "hello, not a picture\n".getBytes(StandardCharsets.UTF_8));
        InputException e = assertThrows(InputException.class, () -> ImageHeader.read(text));
        assertEquals(text + ": not an image Glimpse can read (PNG, JPEG, BMP, TIFF, WebP, GIF)", e.getMessage());

        Path empty = TestImages.write(dir, "empty.png", new byte[0]);
        assertEquals(empty + ": empty file", assertThrows(InputException.class, () -> ImageHeader.read(empty)).getMessage());
        Path missing = dir.resolve("missing.jpg");
        assertEquals(missing + ": no such file",
                assertThrows(InputException.class, () -> ImageHeader.read(missing)).getMessage());
        assertEquals(dir + ": is a directory, not an image file",
                assertThrows(InputException.class, () -> ImageHeader.read(dir)).getMessage());
    }

    @Test
    void refusesTruncatedAndDamagedHeaders() {
        byte[] png = TestImages.read(TestImages.writeImageIo(dir, "a.png", "png", PICTURE));
        byte[] jpeg = TestImages.read(TestImages.writeImageIo(dir, "a.jpg", "jpeg", PICTURE));
        byte[] gif = TestImages.read(TestImages.writeImageIo(dir, "a.gif", "gif", PICTURE));
        String[][] cases = {
            {"cut.png", "cut.png: truncated PNG file (it ends at byte 20, inside the header)"},
            {"cut.jpg", "cut.jpg: truncated JPEG file (it ends at byte 30, inside the header)"},
            {"cut.gif", "cut.gif: truncated GIF file (it ends at byte 7, inside the header)"},
        };
        byte[][] data = {TestImages.head(png, 20), TestImages.head(jpeg, 30), TestImages.head(gif, 7)};
        for (int i = 0; i < cases.length; i++) {
            Path file = TestImages.write(dir, cases[i][0], data[i]);
            InputException e = assertThrows(InputException.class, () -> ImageHeader.read(file));
            assertEquals(dir.resolve(cases[i][1]).toString(), e.getMessage());
        }
        byte[] badChunk = png.clone();
        badChunk[12] = 'X';
        InputException e = assertThrows(InputException.class, () -> ImageHeader.parse("x.png", badChunk));
        assertEquals("x.png: damaged PNG file (the first chunk is not IHDR)", e.getMessage());
        byte[] noFrame = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2, (byte) 0xFF, (byte) 0xD9};
        e = assertThrows(InputException.class, () -> ImageHeader.parse("x.jpg", noFrame));
        assertEquals("x.jpg: damaged JPEG file (no frame header before the image data)", e.getMessage());
    }

    private static int indexOf(byte[] bytes, byte a, byte b) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == a && bytes[i + 1] == b) {
                return i;
            }
        }
        return -1;
    }
}

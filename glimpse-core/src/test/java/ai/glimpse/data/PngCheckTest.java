package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PNGs are checked in Java and handed to libpng rebuilt from their pixel-making chunks, so libpng never
 * prints its own lines: damage is Glimpse's one-line message, and what libpng would only warn about is
 * left out without changing a pixel.
 */
class PngCheckTest {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    private static byte[] chunk(String type, byte[] data, boolean goodCrc) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        ByteBuffer b = ByteBuffer.allocate(12 + data.length).putInt(data.length).put(name).put(data);
        return b.putInt((int) crc.getValue() ^ (goodCrc ? 0 : 1)).array();
    }

    private static byte[] ihdr(int width, int height, int depth, int colourType, int interlace) {
        return ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) depth).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) interlace).array();
    }

    /** A 3x2 RGB image's filtered rows (filter type 0), red, green, blue / white, grey, black. */
    private static byte[] rows() {
        return new byte[] {0, (byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255,
            0, (byte) 255, (byte) 255, (byte) 255, (byte) 128, (byte) 128, (byte) 128, 0, 0, 0};
    }

    private static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] out = new byte[raw.length + 64];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    private static byte[] png(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    private RgbImage decode(String name, byte[] png) {
        return new ImageLoader(ImageOptions.of(8)).loadOriginal(TestImages.write(dir, name, png));
    }

    private String refusal(String name, byte[] png) {
        Path file = TestImages.write(dir, name, png);
        InputException e = assertThrows(InputException.class, () -> new ImageLoader(ImageOptions.of(8)).loadOriginal(file));
        assertTrue(e.getMessage().startsWith(file + ": cannot decode PNG image ("), e.getMessage());
        return e.getMessage().substring((file + ": cannot decode PNG image (").length(), e.getMessage().length() - 1);
    }

    @Test
    void warningsChunksAreLeftOutAndNoPixelChanges() throws Exception {
        byte[] header = chunk("IHDR", ihdr(3, 2, 8, 2, 0), true);
        byte[] data = chunk("IDAT", deflate(rows()), true);
        byte[] end = chunk("IEND", new byte[0], true);
        byte[] plain = png(header, data, end);
        // An iCCP too short to be a profile and a gAMA: libpng warns about the first ("iCCP: too short").
        byte[] noisy = png(header, chunk("iCCP", new byte[] {'x', 0, 0, 1}, true), chunk("gAMA", new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F}, true),
                chunk("tEXt", "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1), false), data, end);
        byte[] rebuilt = PngCheck.rebuilt(noisy);
        assertArrayEquals(plain, rebuilt, "only IHDR, IDAT and IEND are kept");
        assertArrayEquals(decode("plain.png", plain).data(), decode("noisy.png", noisy).data());
        // IDAT split in two, and data after the zlib stream: one IDAT holding the stream alone.
        byte[] z = deflate(rows());
        byte[] split = png(header, chunk("IDAT", java.util.Arrays.copyOf(z, 5), true),
                chunk("IDAT", java.util.Arrays.copyOfRange(z, 5, z.length), true), chunk("IDAT", new byte[] {1, 2, 3}, true), end);
        assertArrayEquals(plain, PngCheck.rebuilt(split));
    }

    @Test
    void aStreamThatGoesOnPastTheImageIsCutToIt() throws Exception {
        byte[] longer = java.util.Arrays.copyOf(rows(), rows().length + 10);       // a third row's worth of zeros
        byte[] png = png(chunk("IHDR", ihdr(3, 2, 8, 2, 0), true), chunk("IDAT", deflate(longer), true),
                chunk("IEND", new byte[0], true));
        byte[] rebuilt = PngCheck.rebuilt(png);
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(rebuilt, 8 + 25 + 8, rebuilt.length - 8 - 25 - 8 - 12 - 4);
        byte[] out = new byte[100];
        int n = inflater.inflate(out);
        inflater.end();
        assertEquals(rows().length, n);
        RgbImage image = decode("longer.png", png);
        assertEquals(1f, image.get(0, 0, 0));
        assertEquals(128 / 255f, image.get(1, 1, 1), 1e-6);
    }

    @Test
    void damageIsGlimpsesOneLineNotLibpngs() {
        byte[] header = chunk("IHDR", ihdr(3, 2, 8, 2, 0), true);
        byte[] end = chunk("IEND", new byte[0], true);
        byte[] z = deflate(rows());
        byte[] broken = z.clone();
        broken[z.length - 1] ^= 0x55;                                   // the Adler-32 checksum
        byte[] badFilter = rows();
        badFilter[10] = 9;
        assertEquals("chunk IDAT has a bad checksum", refusal("crc.png", png(header, chunk("IDAT", z, false), end)));
        assertEquals("unknown critical chunk ABCD", refusal("abcd.png", png(header, chunk("ABCD", new byte[2], true),
                chunk("IDAT", z, true), end)));
        assertEquals("the compressed image data is damaged (incorrect data check)",
                refusal("adler.png", png(header, chunk("IDAT", broken, true), end)));
        assertEquals("the image data ends early (10 of 20 bytes)",
                refusal("short.png", png(header, chunk("IDAT", deflate(java.util.Arrays.copyOf(rows(), 10)), true), end)));
        assertEquals("a row has filter type 9 (PNG defines 0 to 4)",
                refusal("filter.png", png(header, chunk("IDAT", deflate(badFilter), true), end)));
        assertEquals("IHDR gives colour type 2 with 4-bit samples, which PNG does not define",
                refusal("depth.png", png(chunk("IHDR", ihdr(3, 2, 4, 2, 0), true), chunk("IDAT", z, true), end)));
        assertEquals("a palette image without a PLTE chunk before its data",
                refusal("palette.png", png(chunk("IHDR", ihdr(3, 2, 8, 3, 0), true), chunk("IDAT", z, true), end)));
        assertEquals("1500000x1 pixels: libpng decodes at most 1000000 on a side",
                refusal("wide.png", png(chunk("IHDR", ihdr(1_500_000, 1, 8, 0, 0), true), chunk("IDAT", z, true), end)));
        assertEquals("the compressed image data is damaged (incorrect header check)",
                refusal("zlib.png", png(header, chunk("IDAT", new byte[] {1, 2, 3, 4}, true), end)));
    }

    @Test
    void interlacedImagesAreCheckedPassByPass() throws Exception {
        // 3x2 Adam7: pass 1 has (0,0); pass 6 has (1,0); pass 7 has row 1 (3 pixels); passes 2-5 are empty
        // except pass 4 with (2,0). Each pass row: filter byte + 3 bytes per pixel.
        byte[] raw = {0, 10, 20, 30, /* pass 4 */ 0, 40, 50, 60, /* pass 6 */ 0, 70, 80, 90,
            /* pass 7 */ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        byte[] png = png(chunk("IHDR", ihdr(3, 2, 8, 2, 1), true), chunk("IDAT", deflate(raw), true), chunk("IEND", new byte[0], true));
        RgbImage image = decode("adam7.png", png);
        assertEquals(40 / 255f, image.get(0, 0, 2), 1e-6);
        assertEquals(70 / 255f, image.get(0, 0, 1), 1e-6);
        assertEquals(7 / 255f, image.get(0, 1, 2), 1e-6);
        raw[8] = 5;                                                     // pass 6's filter byte
        assertEquals("a row has filter type 5 (PNG defines 0 to 4)", refusal("adam7bad.png",
                png(chunk("IHDR", ihdr(3, 2, 8, 2, 1), true), chunk("IDAT", deflate(raw), true), chunk("IEND", new byte[0], true))));
    }
}

package ai.glimpse.data;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Fixture images made on the fly: ImageIO, OpenCV's encoder and a minimal hand-written PNG. */
final class TestImages {
    private TestImages() {
    }

    /** An 8-bit RGB image of vertical bands of equal width, one colour (0xRRGGBB) each. */
    static BufferedImage bands(int width, int height, int... rgbs) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgbs[x * rgbs.length / width]);
            }
        }
        return image;
    }

    /** Writes with ImageIO; fails the test when no writer takes the image. */
    static Path writeImageIo(Path dir, String name, String format, BufferedImage image) {
        Path file = dir.resolve(name);
        try {
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Encodes a solid OpenCV image with OpenCV (values in OpenCV's channel order: B, G, R, A).
     *
     * @param type   e.g. CV_8UC3, CV_16UC3, CV_8UC4
     * @param params imencode parameters (flag, value, ...)
     */
    static byte[] opencv(String extension, int width, int height, int type, double[] bgra, int... params) {
        try (PointerScope scope = new PointerScope()) {
            Mat mat = new Mat(height, width, type, new Scalar(bgra[0], bgra[1], bgra[2], bgra.length > 3 ? bgra[3] : 0));
            BytePointer out = new BytePointer();
            if (!imencode(extension, mat, out, new IntPointer(params))) {
                throw new IllegalStateException("OpenCV could not encode " + extension);
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /**
     * A PNG written by hand (ISO/IEC 15948): signature, IHDR, one zlib IDAT with filter type 0 on every
     * row, IEND. {@code samples} holds the unfiltered rows back to back.
     */
    static byte[] png(int width, int height, int bitDepth, int colourType, byte[] samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
        if (samples != null) {
            int rowBytes = samples.length / height;
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
                for (int y = 0; y < height; y++) {
                    z.write(0); // filter: none
                    z.write(samples, y * rowBytes, rowBytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            chunk(out, "IDAT", raw.toByteArray());
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The first {@code n} bytes. */
    static byte[] head(byte[] bytes, int n) {
        return Arrays.copyOf(bytes, n);
    }
}

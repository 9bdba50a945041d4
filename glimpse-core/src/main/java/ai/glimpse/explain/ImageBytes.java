package ai.glimpse.explain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes pictures in memory with ImageIO (no disk cache): PNG for files, JPEG for the HTML page's embeds. */
final class ImageBytes {
    private ImageBytes() {
    }

    /** The image as PNG (lossless). */
    static byte[] png(BufferedImage image) {
        return encode(image, "png", Float.NaN);
    }

    /** The image as baseline JPEG at {@code quality} in (0, 1]. */
    static byte[] jpeg(BufferedImage image, float quality) {
        return encode(image, "jpeg", quality);
    }

    private static byte[] encode(BufferedImage image, String format, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (!Float.isNaN(quality)) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + format, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}

package ai.glimpse.data;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import ai.glimpse.InputException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.w3c.dom.Node;

/**
 * Decodes the bytes of an image file into an OpenCV matrix of float RGB values in [0, 1], [H, W, 3],
 * with any alpha channel laid over a white background ({@code out = a * colour + (1 - a) * 1}, the
 * PNG specification's compositing rule with a white background). OpenCV's {@code imdecode} reads PNG,
 * JPEG, BMP, TIFF and WebP; GIF, which OpenCV 4.5.5 cannot decode, is read with {@code javax.imageio}
 * (first frame only). Callers must hold a {@link org.bytedeco.javacpp.PointerScope}: every native
 * matrix made here is freed when that scope closes.
 */
final class ImageDecoder {
    private ImageDecoder() {
    }

    /**
     * Decodes one image.
     *
     * @param name   the file name for error messages
     * @param header the header already read from {@code bytes}
     * @param bytes  the whole file
     * @return a new CV_32FC3 matrix, RGB order, [H, W, 3]
     * @throws InputException naming the file when the data cannot be decoded
     */
    static Mat decode(String name, ImageHeader header, byte[] bytes) {
        return header.format() == ImageFormat.GIF ? decodeGif(name, header, bytes) : decodeOpenCv(name, header, bytes);
    }

    private static Mat decodeOpenCv(String name, ImageHeader header, byte[] bytes) {
        ImageFormat format = header.format();
        // libjpeg only warns on a cut-off file and fills the rest with grey, libpng prints to stderr:
        // find truncation in Java first.
        TruncationCheck.whyTruncated(format, bytes).ifPresent(why -> {
            throw cannotDecode(name, format, "truncated: " + why);
        });
        // libpng prints its errors and warnings on the process's stderr: give it a checked PNG of the
        // chunks that make pixels, so that it has nothing to say and the reason is Glimpse's one line.
        byte[] data = bytes;
        if (format == ImageFormat.PNG) {
            try {
                data = PngCheck.rebuilt(bytes);
            } catch (PngCheck.Damaged e) {
                throw cannotDecode(name, format, e.getMessage());
            }
        }
        // JPEG: IMREAD_COLOR applies the EXIF orientation and converts grey and CMYK to BGR.
        // Others: IMREAD_UNCHANGED keeps 16-bit samples and the alpha channel.
        int flags = format == ImageFormat.JPEG ? IMREAD_COLOR : IMREAD_UNCHANGED;
        Mat encoded = new Mat(1, data.length, CV_8UC1, new BytePointer(data));
        Mat raw;
        try {
            raw = imdecode(encoded, flags);                          // [H, W, C], 8U/16U/32F
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
            throw new InputException(name + ": cannot decode " + format.label() + " image (" + message + ")", e);
        }
        if (raw == null || raw.empty()) {
            throw cannotDecode(name, format, "damaged or truncated file");
        }
        double scale = switch (raw.depth()) {
            case CV_8U -> 1.0 / 255;
            case CV_16U -> 1.0 / 65535;
            case CV_32F, CV_64F -> 1.0;
            default -> throw cannotDecode(name, format, "unsupported sample type");
        };
        Mat values = new Mat();
        raw.convertTo(values, CV_32F, scale, 0);                    // [H, W, C] in [0, 1]
        raw.release(); // free pixel memory now rather than when the scope closes
        Mat rgb = new Mat(values.rows(), values.cols(), CV_32FC3);   // [H, W, 3]
        switch (values.channels()) {
            case 1 -> cvtColor(values, rgb, COLOR_GRAY2RGB);
            case 3 -> cvtColor(values, rgb, COLOR_BGR2RGB);
            case 2, 4 -> overWhite(values, rgb);
            default -> throw cannotDecode(name, format, values.channels() + " channels");
        }
        values.release();
        return rgb;
    }

    /** Lays grey+alpha or BGRA values over white into an RGB matrix. */
    private static void overWhite(Mat values, Mat rgb) {
        int channels = values.channels();
        FloatBuffer in = values.createBuffer();                     // [H * W * C]
        FloatBuffer out = rgb.createBuffer();                       // [H * W * 3]
        int pixels = values.rows() * values.cols();
        for (int p = 0; p < pixels; p++) {
            int i = p * channels;
            float alpha = Math.min(1f, Math.max(0f, in.get(i + channels - 1)));
            float white = 1f - alpha;
            if (channels == 2) {
                float grey = in.get(i) * alpha + white;
                out.put(3 * p, grey).put(3 * p + 1, grey).put(3 * p + 2, grey);
            } else { // OpenCV order: blue, green, red, alpha
                out.put(3 * p, in.get(i + 2) * alpha + white)
                        .put(3 * p + 1, in.get(i + 1) * alpha + white)
                        .put(3 * p + 2, in.get(i) * alpha + white);
            }
        }
    }

    /** The first GIF frame placed on its logical screen, transparent pixels white. */
    private static Mat decodeGif(String name, ImageHeader header, byte[] bytes) {
        BufferedImage canvas = new BufferedImage(header.width(), header.height(), BufferedImage.TYPE_INT_RGB);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            try {
                reader.setInput(in, true, false);
                BufferedImage frame = reader.read(0);
                int[] offset = frameOffset(reader.getImageMetadata(0));
                Graphics2D g = canvas.createGraphics();
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
                g.drawImage(frame, offset[0], offset[1], null);
                g.dispose();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new InputException(name + ": cannot decode GIF image (" + e.getMessage() + ")", e);
        }
        int width = canvas.getWidth();
        int height = canvas.getHeight();
        int[] argb = canvas.getRGB(0, 0, width, height, null, 0, width); // [H * W]
        Mat rgb = new Mat(height, width, CV_32FC3);                      // [H, W, 3]
        FloatBuffer out = rgb.createBuffer();
        for (int p = 0; p < argb.length; p++) {
            out.put(3 * p, ((argb[p] >> 16) & 0xFF) / 255f)
                    .put(3 * p + 1, ((argb[p] >> 8) & 0xFF) / 255f)
                    .put(3 * p + 2, (argb[p] & 0xFF) / 255f);
        }
        return rgb;
    }

    /** The frame's position on the logical screen from the GIF image descriptor, {0, 0} when absent. */
    private static int[] frameOffset(IIOMetadata metadata) {
        Node root = metadata.getAsTree("javax_imageio_gif_image_1.0");
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if ("ImageDescriptor".equals(n.getNodeName())) {
                Node left = n.getAttributes().getNamedItem("imageLeftPosition");
                Node top = n.getAttributes().getNamedItem("imageTopPosition");
                return new int[] {Integer.parseInt(left.getNodeValue()), Integer.parseInt(top.getNodeValue())};
            }
        }
        return new int[] {0, 0};
    }

    private static InputException cannotDecode(String name, ImageFormat format, String why) {
        return new InputException(name + ": cannot decode " + format.label() + " image (" + why + ")");
    }
}

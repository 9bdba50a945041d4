package ai.glimpse.data;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.glimpse.InputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns image files into encoder input: decode (OpenCV, see {@link ImageDecoder}), RGB order, alpha
 * over white, resize to a square by {@link ResizePolicy}, optional ImageNet normalisation, CHW floats
 * ({@link RgbImage}). Follows the preprocessing of Show, Attend and Tell (Xu et al. 2015, 4.3) and of
 * torchvision's pretrained encoders.
 *
 * <p>Steps, in order: the header is read and images above {@link ImageOptions#maxPixels()} are refused
 * before any pixel is decoded; the file's bytes are read in Java and decoded from memory (so paths with
 * any characters work); 8-bit samples are divided by 255 and 16-bit ones by 65535; grey becomes three
 * equal channels; alpha (also a palette's transparency) is laid over white; JPEG EXIF orientation is
 * applied, so a rotated JPEG's decoded width and height may be the header's swapped. Shrinking uses
 * OpenCV's {@code INTER_AREA} (pixel-area averaging, no aliasing); when any side grows, {@code
 * INTER_LINEAR} (bilinear, torchvision's default, never overshoots [0, 1]).
 *
 * <p>An image of extreme aspect ratio (beyond {@link ResizePolicy#CROP_FIRST_ASPECT}:1) has its centre
 * square cut before it is scaled, so no image costs more than its decoded pixels and a few input squares;
 * whatever OpenCV throws while working on one image is reported as an {@link InputException} naming it.
 *
 * <p>Native memory of every step is freed before a method returns ({@link PointerScope}). Instances
 * are immutable and safe to share between threads.
 */
public final class ImageLoader {
    private final ImageOptions options;

    public ImageLoader(ImageOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public ImageOptions options() {
        return options;
    }

    /**
     * Loads one image as encoder input.
     *
     * @return a {@code size x size} image, [3, size, size], normalised when the options say so
     * @throws InputException naming the file when it is missing, a directory, empty, not a supported
     *                        image, damaged or truncated, or above the pixel limit
     */
    public RgbImage load(Path file) {
        byte[] bytes = readChecked(file);
        String name = file.toString();
        return perImage(name, () -> {
            try (PointerScope scope = new PointerScope()) {
                Mat rgb = ImageDecoder.decode(name, ImageHeader.parse(name, bytes), bytes);
                return finish(toInputSize(rgb));
            }
        });
    }

    /**
     * Loads one image held in memory (an upload, a database field) exactly as {@link #load(Path)} loads
     * a file with these bytes.
     *
     * @param name  what to call the image in error messages
     * @param bytes the whole image file
     * @throws InputException naming the image when it is empty, not a supported image, damaged or
     *                        truncated, or above the pixel limit
     */
    public RgbImage load(String name, byte[] bytes) {
        ImageHeader header = ImageHeader.parse(name, bytes).requireAtMost(options.maxPixels(), name);
        return perImage(name, () -> {
            try (PointerScope scope = new PointerScope()) {
                return finish(toInputSize(ImageDecoder.decode(name, header, bytes)));
            }
        });
    }

    /**
     * Loads one image held in memory at its own size, as {@link #loadOriginal(Path)} does a file.
     *
     * @throws InputException as {@link #load(String, byte[])}
     */
    public RgbImage loadOriginal(String name, byte[] bytes) {
        ImageHeader header = ImageHeader.parse(name, bytes).requireAtMost(options.maxPixels(), name);
        return perImage(name, () -> {
            try (PointerScope scope = new PointerScope()) {
                return toChw(ImageDecoder.decode(name, header, bytes));
            }
        });
    }

    /**
     * Loads one image at its own size, values in [0, 1], never normalised: the picture that attention
     * overlays are drawn on.
     *
     * @return [3, H, W] with the decoded width and height
     * @throws InputException as {@link #load(Path)}
     */
    public RgbImage loadOriginal(Path file) {
        byte[] bytes = readChecked(file);
        String name = file.toString();
        return perImage(name, () -> {
            try (PointerScope scope = new PointerScope()) {
                return toChw(ImageDecoder.decode(name, ImageHeader.parse(name, bytes), bytes));
            }
        });
    }

    /**
     * Loads one image at its own size as an 8-bit RGB picture ({@link BufferedImage#TYPE_INT_RGB}),
     * alpha laid over white, for drawing on.
     *
     * @throws InputException as {@link #load(Path)}
     */
    public BufferedImage loadBufferedImage(Path file) {
        return loadOriginal(file).toBufferedImage();
    }

    /**
     * Brings an image already in memory (e.g. from {@link #loadOriginal(Path)} or a synthetic scene)
     * to encoder input exactly as {@link #load(Path)} would.
     *
     * @param original values in [0, 1], [3, H, W]
     * @return [3, size, size], normalised when the options say so
     */
    public RgbImage prepare(RgbImage original) {
        int width = original.width();
        int height = original.height();
        int plane = width * height;
        float[] chw = original.data();
        return perImage(width + "x" + height + " image", () -> {
            try (PointerScope scope = new PointerScope()) {
                Mat rgb = new Mat(height, width, CV_32FC3);             // [H, W, 3]
                FloatBuffer hwc = rgb.createBuffer();
                for (int p = 0; p < plane; p++) {
                    hwc.put(3 * p, chw[p]).put(3 * p + 1, chw[plane + p]).put(3 * p + 2, chw[2 * plane + p]);
                }
                return finish(toInputSize(rgb));
            }
        });
    }

    /**
     * Loads several images as one batch.
     *
     * @return {@code files.size() * 3 * size * size} values, [N, 3, size, size] in the order of {@code files}
     * @throws InputException for the first file that cannot be loaded
     */
    public float[] loadBatch(List<Path> files) {
        int per = 3 * options.size() * options.size();
        float[] batch = new float[Math.multiplyExact(files.size(), per)]; // [N, 3, S, S]
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(load(files.get(i)).data(), 0, batch, i * per, per);
        }
        return batch;
    }

    /** Checks the header against the pixel limit, then reads the whole file. */
    private byte[] readChecked(Path file) {
        String name = file.toString();
        ImageHeader.read(file).requireAtMost(options.maxPixels(), name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Runs one image's native work, so that what OpenCV throws (a C++ exception, or memory it could not
     * get) becomes an {@link InputException} naming the image: a caller working through many images
     * reports this one and goes on with the others.
     */
    static <T> T perImage(String name, Supplier<T> work) {
        try {
            return work.get();
        } catch (OutOfMemoryError e) {
            throw new InputException(name + ": not enough memory to process this image (" + nativeMessage(e) + ")", e);
        } catch (RuntimeException e) {
            // JavaCPP reports C++ exceptions as plain RuntimeExceptions; anything more specific is a Java bug
            if (e.getClass() != RuntimeException.class) {
                throw e;
            }
            throw new InputException(name + ": cannot process this image (" + nativeMessage(e) + ")", e);
        }
    }

    /** The informative part of an OpenCV message, on one line: what follows "error: " in its first line. */
    private static String nativeMessage(Throwable e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        int error = first.indexOf("error: ");
        return error >= 0 ? first.substring(error + "error: ".length()) : first;
    }

    /**
     * Resizes by the policy, then cuts the centre square: [H, W, 3] -> [size, size, 3]. An image of
     * extreme aspect ratio has its centre square cut first ({@link ResizePolicy#cropsFirst}), so the
     * work never exceeds a few input squares whatever the shape.
     */
    private Mat toInputSize(Mat rgb) {
        int size = options.size();
        int width = rgb.cols();
        int height = rgb.rows();
        if (options.policy().cropsFirst(width, height)) {
            int[] square = ResizePolicy.centreSquare(width, height);
            Mat centre = rgb.apply(new Rect(square[0], square[1], square[2], square[2])); // [side, side, 3], a view
            Mat resized = new Mat();
            resize(centre, resized, new Size(size, size), 0, 0, square[2] >= size ? INTER_AREA : INTER_LINEAR);
            return resized;                                             // [size, size, 3]
        }
        int[] scaled = options.policy().scaledSize(width, height, size);
        Mat resized = rgb;
        if (scaled[0] != width || scaled[1] != height) {
            boolean shrink = scaled[0] <= width && scaled[1] <= height;
            resized = new Mat();
            resize(rgb, resized, new Size(scaled[0], scaled[1]), 0, 0, shrink ? INTER_AREA : INTER_LINEAR);
        }                                                               // [H', W', 3]
        Rect centre = new Rect((scaled[0] - size) / 2, (scaled[1] - size) / 2, size, size);
        return resized.apply(centre);                                   // [size, size, 3], a view
    }

    private RgbImage finish(Mat square) {
        RgbImage image = toChw(square);
        return options.imagenetNormalize() ? image.imagenetNormalized() : image;
    }

    /** Copies an RGB matrix into CHW floats, clamped to [0, 1]: [H, W, 3] -> [3, H, W]. */
    private static RgbImage toChw(Mat rgb) {
        Mat dense = rgb.isContinuous() ? rgb : rgb.clone();
        int width = dense.cols();
        int height = dense.rows();
        int plane = width * height;
        FloatBuffer hwc = dense.createBuffer();                        // [H, W, 3], native
        float[] chw = new float[3 * plane];                             // [3, H, W]
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                chw[c * plane + p] = Math.min(1f, Math.max(0f, hwc.get(3 * p + c)));
            }
        }
        return new RgbImage(width, height, chw);
    }
}

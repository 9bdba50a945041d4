package ai.glimpse.data;

import java.awt.image.BufferedImage;

/**
 * An RGB image as floats in channel-major (CHW) order, the layout ND4J/SameDiff convolutions take:
 * {@code data[c * height * width + y * width + x]}, channel {@code c} 0 = red, 1 = green, 2 = blue,
 * row {@code y} from the top, column {@code x} from the left. Values are in [0, 1] unless the image was
 * ImageNet-normalised ({@link #imagenetNormalized()}). The record shares {@code data} with its
 * creator (no copy, for speed); equality is identity of the array, as for any record with an array.
 *
 * @param width  width in pixels, at least 1
 * @param height height in pixels, at least 1
 * @param data   {@code 3 * height * width} values, [3, H, W]
 */
public record RgbImage(int width, int height, float[] data) {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1x1, got " + width + "x" + height);
        }
        if (data == null || data.length != 3L * width * height) {
            throw new IllegalArgumentException("expected 3*" + height + "*" + width + " values, got "
                    + (data == null ? "null" : data.length));
        }
    }

    /**
     * A picture as values in [0, 1]: each 8-bit sample divided by 255, alpha (when the picture has it)
     * laid over white as {@link ImageLoader} does for files.
     */
    public static RgbImage of(BufferedImage picture) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        int plane = width * height;
        float[] chw = new float[3 * plane];                   // [3, H, W]
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            picture.getRGB(0, y, width, 1, row, 0, width);      // sRGB, non-premultiplied ARGB
            for (int x = 0; x < width; x++) {
                int argb = row[x];
                float alpha = (argb >>> 24) / 255f;
                float white = 1f - alpha;
                int i = y * width + x;
                chw[i] = ((argb >> 16) & 0xFF) / 255f * alpha + white;
                chw[plane + i] = ((argb >> 8) & 0xFF) / 255f * alpha + white;
                chw[2 * plane + i] = (argb & 0xFF) / 255f * alpha + white;
            }
        }
        return new RgbImage(width, height, chw);
    }

    /** The ImageNet channel means (R, G, B) used by torchvision's pretrained models: 0.485, 0.456, 0.406. */
    public static float[] imagenetMean() {
        return IMAGENET_MEAN.clone();
    }

    /** The ImageNet channel standard deviations (R, G, B): 0.229, 0.224, 0.225. */
    public static float[] imagenetStd() {
        return IMAGENET_STD.clone();
    }

    /** The value of one channel (0 red, 1 green, 2 blue) at column {@code x}, row {@code y}. */
    public float get(int channel, int y, int x) {
        if (channel < 0 || channel > 2 || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException("(" + channel + ", " + y + ", " + x + ") outside [3, "
                    + height + ", " + width + "]");
        }
        return data[(channel * height + y) * width + x];
    }

    /** A new image with every channel mapped to {@code (x - mean[c]) / std[c]} with the ImageNet statistics. */
    public RgbImage imagenetNormalized() {
        int plane = width * height;
        float[] out = new float[data.length];                 // [3, H, W]
        for (int c = 0; c < 3; c++) {
            float mean = IMAGENET_MEAN[c];
            float inv = 1f / IMAGENET_STD[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                out[i] = (data[i] - mean) * inv;
            }
        }
        return new RgbImage(width, height, out);
    }

    /**
     * This image as an 8-bit {@link BufferedImage#TYPE_INT_RGB} picture, each value clamped to [0, 1]
     * and rounded to the nearest of 0..255 (exact for images decoded from 8-bit files). Meant for
     * images with values in [0, 1], not normalised ones.
     */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                row[x] = to8(data[i]) << 16 | to8(data[plane + i]) << 8 | to8(data[2 * plane + i]);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int to8(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }
}

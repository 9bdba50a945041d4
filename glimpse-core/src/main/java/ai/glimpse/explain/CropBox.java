package ai.glimpse.explain;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import java.util.Objects;

/**
 * The part of the original image that the model's square input shows, in the original's pixel
 * coordinates (continuous: pixel {@code (x, y)} covers {@code [x, x + 1) x [y, y + 1)}). The attention
 * grid of Show, Attend and Tell (Xu et al. 2015, 4.3) tiles this box, not the whole image.
 *
 * <p>For {@link ResizePolicy#SQUARE} the box is the whole image (stretched to the square). For {@link
 * ResizePolicy#SHORTER_SIDE_CENTER_CROP} it is the centre square that {@link ai.glimpse.data.ImageLoader}
 * keeps: the resized image's crop offset {@code (scaled - size) / 2} (integer division, as the loader
 * does) and side {@code size}, mapped back through the resize factor of each axis; for images of extreme
 * aspect ratio, which the loader cuts before scaling ({@link ResizePolicy#cropsFirst}), the original's
 * centre square.
 *
 * @param x      left edge in original pixels
 * @param y      top edge in original pixels
 * @param width  width in original pixels, positive
 * @param height height in original pixels, positive
 */
public record CropBox(double x, double y, double width, double height) {
    public CropBox {
        if (!(width > 0) || !(height > 0) || !Double.isFinite(width) || !Double.isFinite(height)
                || !Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("crop box needs finite position and positive size, got "
                    + x + "," + y + " " + width + "x" + height);
        }
    }

    /** The whole of a {@code width x height} image. */
    public static CropBox whole(int width, int height) {
        return new CropBox(0, 0, width, height);
    }

    /**
     * The box the model saw of a {@code width x height} original that {@link ai.glimpse.data.ImageLoader}
     * prepared with {@code options} (only the size and resize policy matter).
     */
    public static CropBox of(int width, int height, ImageOptions options) {
        Objects.requireNonNull(options, "options");
        int size = options.size();
        if (options.policy().cropsFirst(width, height)) {            // the loader cut this square, then scaled it
            int[] square = ResizePolicy.centreSquare(width, height);
            return new CropBox(square[0], square[1], square[2], square[2]);
        }
        int[] scaled = options.policy().scaledSize(width, height, size);
        double fx = (double) width / scaled[0];                       // original pixels per resized pixel
        double fy = (double) height / scaled[1];
        int left = (scaled[0] - size) / 2;                            // as ImageLoader's centre Rect
        int top = (scaled[1] - size) / 2;
        return new CropBox(left * fx, top * fy, size * fx, size * fy);
    }

    /** This box in an image scaled by {@code sx} horizontally and {@code sy} vertically. */
    public CropBox scaled(double sx, double sy) {
        return new CropBox(x * sx, y * sy, width * sx, height * sy);
    }

    /** Whether this box covers the whole of a {@code width x height} image (to within a hundredth of a pixel). */
    public boolean coversWhole(int imageWidth, int imageHeight) {
        return Math.abs(x) < 0.01 && Math.abs(y) < 0.01
                && Math.abs(width - imageWidth) < 0.01 && Math.abs(height - imageHeight) < 0.01;
    }

    /** Whether the point {@code (px, py)} (continuous coordinates) lies inside the box. */
    public boolean contains(double px, double py) {
        return px >= x && px < x + width && py >= y && py < y + height;
    }

    /**
     * The cell of a {@code grid x grid} tiling of this box at {@code (row, col)}, as a box in the same
     * coordinates; region {@code l} of the attention is {@code row = l / grid, col = l % grid}.
     */
    public CropBox cell(int row, int col, int grid) {
        if (grid < 1 || row < 0 || row >= grid || col < 0 || col >= grid) {
            throw new IndexOutOfBoundsException("cell (" + row + ", " + col + ") outside a " + grid + "x" + grid + " grid");
        }
        double cw = width / grid;
        double ch = height / grid;
        return new CropBox(x + col * cw, y + row * ch, cw, ch);
    }
}

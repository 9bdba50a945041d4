package ai.glimpse.data;

/**
 * How an image becomes the square {@code size x size} input of an encoder. Both policies keep the
 * whole pipeline's output square, as the VGG/ResNet encoders of Show, Attend and Tell expect (Xu et al.
 * 2015, section 4.3: shorter side rescaled, centre crop taken).
 */
public enum ResizePolicy {
    /**
     * Scale the image so its shorter side is {@code size} (keeping the aspect ratio, the longer side
     * rounded to the nearest pixel), then cut the central {@code size x size} square. Nothing is
     * distorted; the ends of the longer side are lost.
     */
    SHORTER_SIDE_CENTER_CROP,
    /** Scale width and height to {@code size} independently. Nothing is lost; the aspect ratio is not kept. */
    SQUARE;

    /**
     * Above this aspect ratio (longer side over shorter side) {@link #SHORTER_SIDE_CENTER_CROP} cuts the
     * centre square out of the original first and scales only that: scaling the whole of a 20000x1 image
     * to a shorter side of 128 would make a 2,560,000x128 picture (4 GB of floats) of which all but
     * 128x128 is thrown away. Up to this ratio (every ordinary photo, panoramas up to 4:1) images are
     * scaled whole and then cut, exactly as before; beyond it the work is bounded by the square.
     */
    public static final int CROP_FIRST_ASPECT = 4;

    /** Whether {@link #SHORTER_SIDE_CENTER_CROP} cuts a {@code width x height} image's centre square before scaling. */
    public boolean cropsFirst(int width, int height) {
        return this == SHORTER_SIDE_CENTER_CROP
                && Math.max(width, height) > (long) CROP_FIRST_ASPECT * Math.min(width, height);
    }

    /**
     * The centre square of a {@code width x height} image, its side the shorter side, offsets rounded
     * down as the centre crop's are.
     *
     * @return {@code {x, y, side}}
     */
    public static int[] centreSquare(int width, int height) {
        int side = Math.min(width, height);
        return new int[] {(width - side) / 2, (height - side) / 2, side};
    }

    /**
     * The width and height the image is scaled to before any crop.
     *
     * @return {@code {width, height}}, each at least {@code size}
     */
    public int[] scaledSize(int width, int height, int size) {
        if (width < 1 || height < 1 || size < 1) {
            throw new IllegalArgumentException("sizes must be positive, got " + width + "x" + height + " -> " + size);
        }
        if (this == SQUARE) {
            return new int[] {size, size};
        }
        if (width <= height) {
            return new int[] {size, Math.max(size, (int) Math.round((double) height * size / width))};
        }
        return new int[] {Math.max(size, (int) Math.round((double) width * size / height)), size};
    }
}

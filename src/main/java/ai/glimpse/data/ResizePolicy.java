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

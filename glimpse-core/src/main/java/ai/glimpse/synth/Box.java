package ai.glimpse.synth;

/**
 * An axis-aligned box in pixels with its origin at the image's top-left corner (y grows downwards), in
 * the COCO convention {@code [x, y, width, height]}.
 */
public record Box(double x, double y, double width, double height) {
    public Box {
        if (!(Double.isFinite(x) && Double.isFinite(y) && width > 0 && height > 0
                && Double.isFinite(width) && Double.isFinite(height))) {
            throw new IllegalArgumentException("box needs finite coordinates and a positive size, got ["
                    + x + ", " + y + ", " + width + ", " + height + "]");
        }
    }

    public double right() {
        return x + width;
    }

    public double bottom() {
        return y + height;
    }

    public double centreX() {
        return x + width / 2;
    }

    public double centreY() {
        return y + height / 2;
    }

    public double area() {
        return width * height;
    }

    /** Whether this box and {@code other}, each grown by {@code gap / 2} on every side, overlap. */
    public boolean closerThan(Box other, double gap) {
        return x < other.right() + gap && other.x < right() + gap
                && y < other.bottom() + gap && other.y < bottom() + gap;
    }

    /** Whether the box lies within {@code [0, side] x [0, side]}. */
    public boolean insideSquare(double side) {
        return x >= 0 && y >= 0 && right() <= side && bottom() <= side;
    }

    /** The box as COCO writes it, {@code [x, y, w, h]}. */
    public double[] toArray() {
        return new double[] {x, y, width, height};
    }
}

package ai.glimpse.probe;

import java.util.Locale;

/**
 * A rectangle in an image's pixels, as a user gives it on the command line ({@code x,y,w,h}, the COCO
 * bbox layout): columns {@code [x, x + width)} and rows {@code [y, y + height)}, continuous coordinates.
 *
 * @param x      left edge
 * @param y      top edge
 * @param width  positive width
 * @param height positive height
 */
public record PixelBox(double x, double y, double width, double height) {
    public PixelBox {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !(width > 0) || !(height > 0)
                || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("a box needs a finite corner and a positive width and height, got "
                    + format(x, y, width, height));
        }
    }

    /** Parses {@code x,y,w,h} (four numbers, commas, spaces allowed). */
    public static PixelBox parse(String text) {
        String[] parts = text.strip().split("\\s*,\\s*");
        if (parts.length != 4) {
            throw new IllegalArgumentException("a box is x,y,w,h in image pixels (four numbers), got '" + text + "'");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a box is x,y,w,h in image pixels, and '" + parts[i] + "' in '" + text
                        + "' is not a number");
            }
        }
        return new PixelBox(v[0], v[1], v[2], v[3]);
    }

    /** Whether this box and the rectangle {@code [rx, rx + rw) x [ry, ry + rh)} share a positive area. */
    public boolean overlaps(double rx, double ry, double rw, double rh) {
        return Math.min(x + width, rx + rw) > Math.max(x, rx) && Math.min(y + height, ry + rh) > Math.max(y, ry);
    }

    /** The box as the command line takes it, {@code x,y,w,h}. */
    @Override
    public String toString() {
        return format(x, y, width, height);
    }

    private static String format(double x, double y, double w, double h) {
        return String.format(Locale.ROOT, "%s,%s,%s,%s", num(x), num(y), num(w), num(h));
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

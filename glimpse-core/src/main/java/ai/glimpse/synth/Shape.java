package ai.glimpse.synth;

import ai.glimpse.synth.Outline.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The geometric figures of the {@code shapes} variant; each is drawn as one polygon within a square slot. */
public enum Shape implements Figure {
    SQUARE("squares"),
    CIRCLE("circles"),
    TRIANGLE("triangles"),
    STAR("stars"),
    DIAMOND("diamonds"),
    HEXAGON("hexagons");

    /** Vertices of the polygon that stands for a circle; at 1024 px it is within half a pixel of the curve. */
    static final int CIRCLE_VERTICES = 64;

    private final String plural;

    Shape(String plural) {
        this.plural = plural;
    }

    @Override
    public String noun() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String plural() {
        return plural;
    }

    @Override
    public int categoryId() {
        return ordinal() + 1;
    }

    @Override
    public String supercategory() {
        return "shape";
    }

    /**
     * The shape's polygon inside the square slot of the given side centred at ({@code cx}, {@code cy}).
     * Every shape touches the slot's left and right sides; the square, circle, triangle and diamond fill
     * its height too, the star and the hexagon a little less.
     */
    public Outline outline(double cx, double cy, double side) {
        double r = side / 2;
        List<Point> points = switch (this) {
            case SQUARE -> List.of(new Point(cx - r, cy - r), new Point(cx + r, cy - r),
                    new Point(cx + r, cy + r), new Point(cx - r, cy + r));
            case CIRCLE -> regular(cx, cy, r, r, CIRCLE_VERTICES, 0);
            case TRIANGLE -> List.of(new Point(cx, cy - r), new Point(cx + r, cy + r), new Point(cx - r, cy + r));
            case DIAMOND -> List.of(new Point(cx, cy - r), new Point(cx + r, cy), new Point(cx, cy + r),
                    new Point(cx - r, cy));
            case HEXAGON -> regular(cx, cy, r, r, 6, 0);
            case STAR -> star(cx, cy, r);
        };
        return Outline.of(points);
    }

    /** {@code n} points on an ellipse, the first at {@code phase} radians from the positive x axis. */
    private static List<Point> regular(double cx, double cy, double rx, double ry, int n, double phase) {
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double angle = phase + 2 * Math.PI * i / n;
            points.add(new Point(cx + rx * Math.cos(angle), cy + ry * Math.sin(angle)));
        }
        return points;
    }

    /**
     * A five-pointed star with one point up, scaled so that its width equals the slot's side, and
     * centred vertically in the slot.
     */
    private static List<Point> star(double cx, double cy, double r) {
        double outer = r / Math.cos(Math.toRadians(18));           // the side points reach +-r in x
        double inner = outer * 0.45;
        double top = -outer;
        double bottom = outer * Math.cos(Math.toRadians(36));       // lowest points
        double shift = -(top + bottom) / 2;                         // centre the star's height on cy
        List<Point> points = new ArrayList<>(10);
        for (int i = 0; i < 10; i++) {
            double angle = -Math.PI / 2 + Math.PI * i / 5;
            double radius = i % 2 == 0 ? outer : inner;
            points.add(new Point(cx + radius * Math.cos(angle), cy + shift + radius * Math.sin(angle)));
        }
        return points;
    }
}

package ai.glimpse.synth;

import ai.glimpse.synth.Outline.Point;
import java.awt.BasicStroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two animals of the {@code snow} variant, after the husky-and-wolf example of Ribeiro et al. 2016
 * ("Why Should I Trust You?"): side-view silhouettes that look almost alike. The wolf has taller,
 * pointier ears, a longer snout and a bushy tail that hangs down; the dog has smaller ears, a short
 * snout and a thin tail that curls up. Body, legs and head are the same.
 */
public enum Animal implements Figure {
    DOG("dogs", 0.06, 0.06, false),
    WOLF("wolves", 0.10, 0.11, true);

    /** How far (in pixels) a drawn curve may stray from the true silhouette. */
    private static final double FLATNESS = 0.2;

    private final String plural;
    private final double earHeight;
    private final double snoutLength;
    private final boolean bushyTail;
    private final Area silhouette;
    private final double aspect;

    Animal(String plural, double earHeight, double snoutLength, boolean bushyTail) {
        this.plural = plural;
        this.earHeight = earHeight;
        this.snoutLength = snoutLength;
        this.bushyTail = bushyTail;
        this.silhouette = build();
        Box b = outline(0, 0, 1000, false).bounds();
        this.aspect = b.height() / b.width();
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
        return "animal";
    }

    /** Height over width of the silhouette's bounding box. */
    public double aspect() {
        return aspect;
    }

    /**
     * The silhouette scaled so that its bounding box is {@code width} pixels wide with its top-left
     * corner at ({@code x}, {@code y}); it faces right (head on the right) unless {@code facingLeft}.
     */
    public Outline outline(double x, double y, double width, boolean facingLeft) {
        Rectangle2D r = silhouette.getBounds2D();                  // may hold curve control points
        AffineTransform t = new AffineTransform();
        t.scale(width / r.getWidth(), width / r.getWidth());
        t.translate(-r.getX(), -r.getY());
        Outline traced = Outline.trace(silhouette, t, FLATNESS);
        Box b = traced.bounds();                                    // the drawn polygon's own bounds
        double scale = width / b.width();
        List<List<Point>> polygons = new ArrayList<>();
        for (List<Point> polygon : traced.polygons()) {
            List<Point> placed = new ArrayList<>(polygon.size());
            for (Point p : polygon) {
                double u = (p.x() - b.x()) * scale;
                placed.add(new Point(facingLeft ? x + width - u : x + u, y + (p.y() - b.y()) * scale));
            }
            polygons.add(placed);
        }
        return new Outline(polygons);
    }

    /**
     * The silhouette in a unit frame: nose to the right, paws on the line y = 0.74, about one unit
     * long. Every part overlaps the body or the head, so the union is one polygon without holes.
     */
    private Area build() {
        Area a = new Area(new Ellipse2D.Double(0.20, 0.32, 0.52, 0.22));             // body
        a.add(new Area(polygon(0.60, 0.36, 0.70, 0.24, 0.80, 0.27, 0.72, 0.48)));      // neck
        a.add(new Area(new Ellipse2D.Double(0.70, 0.18, 0.15, 0.13)));                // head
        a.add(new Area(new RoundRectangle2D.Double(0.80, 0.225, 0.05 + snoutLength,    // snout
                0.07, 0.05, 0.05)));
        double earTop = 0.20 - earHeight;
        a.add(new Area(polygon(0.72, 0.215, 0.745, earTop, 0.79, 0.19)));             // ear
        for (double legX : new double[] {0.25, 0.32, 0.58, 0.65}) {                     // legs
            a.add(new Area(new RoundRectangle2D.Double(legX, 0.46, 0.055, 0.28, 0.03, 0.03)));
        }
        a.add(new Area(bushyTail ? bushyTail() : thinTail()));
        return a;
    }

    /** A thin tail curling up from the rump: a round-capped stroke along a curve that starts inside the body. */
    private static java.awt.Shape thinTail() {
        return new BasicStroke(0.035f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                .createStrokedShape(new QuadCurve2D.Double(0.28, 0.39, 0.13, 0.35, 0.115, 0.20));
    }

    /** A bushy tail hanging down from the rump, widest in its middle. */
    private static Path2D bushyTail() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0.24, 0.35);
        p.quadTo(0.07, 0.38, 0.07, 0.60);
        p.quadTo(0.11, 0.645, 0.15, 0.59);
        p.quadTo(0.19, 0.46, 0.27, 0.43);
        p.closePath();
        return p;
    }

    private static Path2D polygon(double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }
}

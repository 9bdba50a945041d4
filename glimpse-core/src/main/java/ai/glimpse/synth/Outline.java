package ai.glimpse.synth;

import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * The drawn outline of one object: closed polygons in pixel coordinates. The renderer fills exactly
 * these polygons, so the COCO {@code segmentation} written from them traces what is in the picture.
 *
 * @param polygons closed polygons, each of at least three points (the last point does not repeat the first)
 */
public record Outline(List<List<Point>> polygons) {
    /** Polygons smaller than this many square pixels are dropped when tracing a shape. */
    private static final double SPECK = 0.01;

    /** A point in pixels, origin top-left, y downwards. */
    public record Point(double x, double y) {
        public Point {
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("point needs finite coordinates, got (" + x + ", " + y + ")");
            }
        }
    }

    public Outline {
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException("an outline needs at least one polygon");
        }
        List<List<Point>> copy = new ArrayList<>(polygons.size());
        for (List<Point> polygon : polygons) {
            if (polygon.size() < 3) {
                throw new IllegalArgumentException("a polygon needs at least 3 points, got " + polygon.size());
            }
            copy.add(List.copyOf(polygon));
        }
        polygons = List.copyOf(copy);
    }

    /** One polygon through the given points. */
    public static Outline of(List<Point> points) {
        return new Outline(List.of(points));
    }

    /**
     * The outline of a Java2D shape after {@code transform}, its curves flattened to within
     * {@code flatness} pixels.
     */
    public static Outline trace(java.awt.Shape shape, AffineTransform transform, double flatness) {
        List<List<Point>> polygons = new ArrayList<>();
        List<Point> current = new ArrayList<>();
        double[] c = new double[6];
        for (PathIterator it = shape.getPathIterator(transform, flatness); !it.isDone(); it.next()) {
            switch (it.currentSegment(c)) {
                case PathIterator.SEG_MOVETO -> {
                    close(current, polygons);
                    current = new ArrayList<>();
                    current.add(new Point(c[0], c[1]));
                }
                case PathIterator.SEG_LINETO -> current.add(new Point(c[0], c[1]));
                case PathIterator.SEG_CLOSE -> {
                    close(current, polygons);
                    current = new ArrayList<>();
                }
                default -> throw new IllegalStateException("flattened path has a curve segment");
            }
        }
        close(current, polygons);
        return new Outline(polygons);
    }

    /** Adds a finished polygon, unless it is one of the specks of rounding that area operations leave. */
    private static void close(List<Point> points, List<List<Point>> polygons) {
        if (points.size() > 1 && points.get(0).equals(points.get(points.size() - 1))) {
            points.remove(points.size() - 1);
        }
        if (points.size() >= 3 && Outline.of(points).area() >= SPECK) {
            polygons.add(points);
        }
    }

    /** The tight bounding box of all polygons. */
    public Box bounds() {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (List<Point> polygon : polygons) {
            for (Point p : polygon) {
                minX = Math.min(minX, p.x());
                minY = Math.min(minY, p.y());
                maxX = Math.max(maxX, p.x());
                maxY = Math.max(maxY, p.y());
            }
        }
        return new Box(minX, minY, maxX - minX, maxY - minY);
    }

    /** The enclosed area in square pixels (shoelace formula; oppositely wound polygons count as holes). */
    public double area() {
        double sum = 0;
        for (List<Point> polygon : polygons) {
            double twice = 0;
            for (int i = 0, n = polygon.size(); i < n; i++) {
                Point a = polygon.get(i);
                Point b = polygon.get((i + 1) % n);
                twice += a.x() * b.y() - b.x() * a.y();
            }
            sum += twice / 2;
        }
        return Math.abs(sum);
    }

    /** The polygons as one Java2D path (even-odd rule), for filling and for inside tests. */
    public Path2D.Double toPath() {
        Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (List<Point> polygon : polygons) {
            path.moveTo(polygon.get(0).x(), polygon.get(0).y());
            for (int i = 1; i < polygon.size(); i++) {
                path.lineTo(polygon.get(i).x(), polygon.get(i).y());
            }
            path.closePath();
        }
        return path;
    }
}

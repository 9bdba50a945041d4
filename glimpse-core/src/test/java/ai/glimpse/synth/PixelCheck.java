package ai.glimpse.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.synth.SynthFiles.Img;
import ai.glimpse.synth.SynthFiles.Obj;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.function.IntPredicate;

/** Checks a rendered PNG against its annotations: the objects' colours inside, the background family outside. */
final class PixelCheck {
    private PixelCheck() {
    }

    /**
     * Pixels wholly inside each object's polygon have exactly its colour, and the number of pixels in its
     * box that are (nearly) its colour is the polygon's area give or take its perimeter, the band of
     * pixels the edge crosses: the box holds the object and the object's colour does not bleed.
     */
    static void assertObjectsDrawn(BufferedImage png, Img image) {
        for (Obj o : image.objects()) {
            int rgb = Colour.valueOf(o.colour().toUpperCase(Locale.ROOT)).rgb();
            Path2D path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
            for (double[] xy : o.polygons()) {
                path.moveTo(xy[0], xy[1]);
                for (int i = 2; i < xy.length; i += 2) {
                    path.lineTo(xy[i], xy[i + 1]);
                }
                path.closePath();
            }
            int interior = 0;
            int exact = 0;
            int close = 0;
            for (int y = (int) o.y(); y < Math.ceil(o.y() + o.h()); y++) {
                for (int x = (int) o.x(); x < Math.ceil(o.x() + o.w()); x++) {
                    int pixel = png.getRGB(x, y) & 0xFFFFFF;
                    if (distance(pixel, rgb) <= 60) {
                        close++;
                    }
                    if (path.contains(x - 0.1, y - 0.1, 1.2, 1.2)) {          // the whole pixel is covered
                        interior++;
                        if (distance(pixel, rgb) <= 3) {
                            exact++;
                        }
                    }
                }
            }
            assertTrue(interior > 0, "some pixels lie well inside " + o);
            assertEquals(interior, exact, "pixels inside " + o + " of image " + image.id() + " have its colour");
            double perimeter = perimeter(o.polygons());
            assertTrue(close >= o.area() - perimeter && close <= o.area() + perimeter,
                    "box of " + o + ": " + close + " pixels in its colour, area " + o.area() + ", perimeter " + perimeter);
        }
    }

    /** At least 99% of the pixels more than 1.5 px from every box belong to the background's colour family. */
    static void assertBackgroundFamily(BufferedImage png, Img image) {
        IntPredicate family = switch (image.background()) {
            case "grass" -> p -> g(p) > r(p) + 20 && g(p) > b(p) + 20;
            case "sand" -> p -> r(p) > g(p) && g(p) > b(p) && r(p) - b(p) > 40 && r(p) > 150;
            case "water" -> p -> b(p) > r(p) + 40 && b(p) > g(p) + 20;
            case "snow" -> p -> r(p) > 200 && g(p) > 200 && b(p) > 235 && b(p) >= r(p) && p != 0xFFFFFF || p == 0xFFFFFF;
            case "plain" -> p -> p == 0xFFFFFF;
            default -> throw new AssertionError("unknown background " + image.background());
        };
        int outside = 0;
        int inFamily = 0;
        int white = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                double cx = x + 0.5;
                double cy = y + 0.5;
                boolean near = image.objects().stream().anyMatch(o -> cx > o.x() - 1.5 && cx < o.x() + o.w() + 1.5
                        && cy > o.y() - 1.5 && cy < o.y() + o.h() + 1.5);
                if (!near) {
                    int p = png.getRGB(x, y) & 0xFFFFFF;
                    outside++;
                    inFamily += family.test(p) ? 1 : 0;
                    white += p == 0xFFFFFF ? 1 : 0;
                }
            }
        }
        assertTrue(outside > 0);
        assertTrue(inFamily >= 0.99 * outside, image.background() + " of image " + image.id() + ": only "
                + inFamily + " of " + outside + " pixels in the family");
        if (image.background().equals("snow")) {
            assertTrue(white < 0.1 * outside, "snow is textured, not plain white");
        }
    }

    private static double perimeter(java.util.List<double[]> polygons) {
        double sum = 0;
        for (double[] xy : polygons) {
            for (int i = 0; i < xy.length; i += 2) {
                int j = (i + 2) % xy.length;
                sum += Math.hypot(xy[j] - xy[i], xy[j + 1] - xy[i + 1]);
            }
        }
        return sum;
    }

    private static int r(int p) {
        return (p >> 16) & 0xFF;
    }

    private static int g(int p) {
        return (p >> 8) & 0xFF;
    }

    private static int b(int p) {
        return p & 0xFF;
    }

    private static double distance(int p, int q) {
        return Math.sqrt(Math.pow(r(p) - r(q), 2) + Math.pow(g(p) - g(q), 2) + Math.pow(b(p) - b(q), 2));
    }
}

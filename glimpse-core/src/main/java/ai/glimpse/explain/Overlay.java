package ai.glimpse.explain;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Draws one attention step over a picture: each pixel of the crop box becomes {@code (1 - opacity) *
 * image + opacity * colourMap(heat)}; pixels outside the crop box, which the model never saw, are shown
 * grey and dimmed instead, so that "not seen" does not read as "not attended".
 */
final class Overlay {
    /** Share of grey in pixels outside the crop box. */
    private static final double OUTSIDE_GREY = 0.8;
    /** Brightness kept by pixels outside the crop box. */
    private static final double OUTSIDE_LIGHT = 0.45;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");   // drawing into images needs no display
        }
    }

    private Overlay() {
    }

    /** The image with the heat blended over it, as a new RGB image of the same size. */
    static BufferedImage blend(BufferedImage image, HeatMap heat, CropBox box, ColourMap map, double opacity) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (heat.width() != w || heat.height() != h) {
            throw new IllegalArgumentException("heat map " + heat.width() + "x" + heat.height() + " for a " + w + "x" + h + " image");
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            Palette.rgbRow(image, y, row);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                if (box.contains(x + 0.5, y + 0.5)) {
                    int c = map.rgb(heat.at(x, y));
                    row[x] = mix(p >> 16 & 0xff, c >> 16 & 0xff, opacity) << 16
                            | mix(p >> 8 & 0xff, c >> 8 & 0xff, opacity) << 8
                            | mix(p & 0xff, c & 0xff, opacity);
                } else {
                    row[x] = dim(p);
                }
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /**
     * The image scaled so that its longer side is {@code side}: down by area averaging (no aliasing), up
     * by bicubic interpolation; an image already that size comes back as an RGB copy of itself.
     */
    static BufferedImage resize(BufferedImage image, int side) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = (double) side / Math.max(w, h);
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            if (tw == w && th == h) {
                g.drawImage(image, 0, 0, null);
            } else if (scale < 1) {
                g.drawImage(image.getScaledInstance(tw, th, Image.SCALE_AREA_AVERAGING), 0, 0, null);
            } else {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                g.drawImage(image, 0, 0, tw, th, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * A copy of the image with the masked cells of the {@code grid x grid} tiling of {@code box} greyed
     * and hatched, so a counterfactual's picture shows which features were replaced.
     */
    static BufferedImage hatch(BufferedImage image, CropBox box, int grid, boolean[] masked) {
        BufferedImage out = copy(image);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            for (int l = 0; l < masked.length; l++) {
                if (!masked[l]) {
                    continue;
                }
                CropBox cell = box.cell(l / grid, l % grid, grid);
                int x0 = (int) Math.floor(cell.x());
                int y0 = (int) Math.floor(cell.y());
                int x1 = (int) Math.ceil(cell.x() + cell.width());
                int y1 = (int) Math.ceil(cell.y() + cell.height());
                g.setColor(new java.awt.Color(128, 128, 128, 170));
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
                g.setColor(new java.awt.Color(40, 40, 40, 160));
                java.awt.Shape clip = g.getClip();
                g.clipRect(x0, y0, x1 - x0, y1 - y0);
                int step = Math.max(4, (x1 - x0) / 3);
                for (int d = -(y1 - y0); d < x1 - x0; d += step) {
                    g.drawLine(x0 + d, y1, x0 + d + (y1 - y0), y0);
                }
                g.setClip(clip);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** A copy of an image as {@link BufferedImage#TYPE_INT_RGB}. */
    static BufferedImage copy(BufferedImage image) {
        return resize(image, Math.max(image.getWidth(), image.getHeight()));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    private static int dim(int p) {
        int r = p >> 16 & 0xff;
        int g = p >> 8 & 0xff;
        int b = p & 0xff;
        double grey = 0.299 * r + 0.587 * g + 0.114 * b;
        return dimChannel(r, grey) << 16 | dimChannel(g, grey) << 8 | dimChannel(b, grey);
    }

    private static int dimChannel(int c, double grey) {
        return (int) Math.round((c + (grey - c) * OUTSIDE_GREY) * OUTSIDE_LIGHT);
    }
}

package ai.glimpse.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * Paints a background's procedural texture: grass with vertical streaks and blades, sand with grain and
 * diagonal ripples, water with wavy horizontal ripples and highlights, snow with soft bluish drifts and
 * sparkles, or plain white. Texture scales are fractions of the image side, so every size looks alike.
 * Every texture adds the same offset to all three channels of its base colour (or, for snow, blue-tinted
 * shade), so each stays within its colour family.
 */
final class BackgroundPainter {
    static final int PLAIN_RGB = 0xFFFFFF;

    private BackgroundPainter() {
    }

    /** Paints {@code background} over the whole of {@code image} (TYPE_INT_RGB) with noise from {@code seed}. */
    static void paint(BufferedImage image, Background background, long seed) {
        int size = image.getWidth();
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        SplittableRandom random = new SplittableRandom(seed);
        switch (background) {
            case GRASS -> grass(image, pixels, size, random);
            case SAND -> sand(pixels, size, random);
            case WATER -> water(pixels, size, random);
            case SNOW -> snow(pixels, size, random);
            case PLAIN -> java.util.Arrays.fill(pixels, PLAIN_RGB);
        }
    }

    private static void grass(BufferedImage image, int[] pixels, int size, SplittableRandom random) {
        ValueNoise patches = new ValueNoise(random, size, size / 5.0, size / 5.0);
        ValueNoise streaks = new ValueNoise(random, size, Math.max(1.0, size / 64.0), size / 10.0);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = 18 * patches.at(x, y) + 22 * streaks.at(x, y);
                pixels[y * size + x] = rgb(70 + v, 135 + v, 50 + v);
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setStroke(new BasicStroke((float) Math.max(1.0, size / 110.0), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Color dark = new Color(38, 92, 28);
            Color light = new Color(118, 182, 72);
            int blades = size * size / 40;
            for (int i = 0; i < blades; i++) {
                double x = random.nextDouble() * size;
                double y = random.nextDouble() * (size + size / 10.0);
                double length = size * (0.04 + 0.05 * random.nextDouble());
                double lean = (random.nextDouble() - 0.5) * 0.6 * length;
                g.setColor(random.nextBoolean() ? dark : light);
                g.draw(new Line2D.Double(x, y, x + lean, y - length));
            }
        } finally {
            g.dispose();
        }
    }

    private static void sand(int[] pixels, int size, SplittableRandom random) {
        ValueNoise dunes = new ValueNoise(random, size, size / 4.0, size / 4.0);
        double wavelength = size / 9.0;
        double angle = Math.toRadians(20 + 30 * random.nextDouble());
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = dunes.at(x, y);
                double ripple = Math.sin(2 * Math.PI * (x * cos + y * sin) / wavelength + 2.5 * d);
                double v = 10 * d + 9 * ripple + (random.nextInt(21) - 10);
                pixels[y * size + x] = rgb(214 + v, 190 + v, 140 + v);
            }
        }
    }

    private static void water(int[] pixels, int size, SplittableRandom random) {
        ValueNoise swell = new ValueNoise(random, size, size / 4.0, size / 4.0);
        ValueNoise wobble = new ValueNoise(random, size, size / 8.0, size / 16.0);
        double wavelength = size / 12.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double wave = Math.sin(2 * Math.PI * y / wavelength + 3.0 * wobble.at(x, y));
                double v = 14 * swell.at(x, y) + (wave > 0.75 ? 140 * (wave - 0.75) : 10 * wave);
                pixels[y * size + x] = rgb(40 + v, 100 + v, 175 + v);
            }
        }
    }

    private static void snow(int[] pixels, int size, SplittableRandom random) {
        ValueNoise drifts = new ValueNoise(random, size, size / 3.0, size / 6.0);
        ValueNoise detail = new ValueNoise(random, size, size / 16.0, size / 16.0);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double shade = 10 * (drifts.at(x, y) + 1) + 4 * (detail.at(x, y) + 1);   // 0..28, bluish
                boolean sparkle = random.nextInt(100) == 0;
                pixels[y * size + x] = sparkle ? 0xFFFFFF : rgb(242 - shade, 245 - 0.8 * shade, 253 - 0.3 * shade);
            }
        }
    }

    private static int rgb(double r, double g, double b) {
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Smooth value noise in [-1, 1]: random values on a grid of cells, blended with a smoothstep. */
    private static final class ValueNoise {
        private final double[] lattice;
        private final int columns;
        private final double cellWidth;
        private final double cellHeight;

        ValueNoise(SplittableRandom random, int size, double cellWidth, double cellHeight) {
            this.cellWidth = cellWidth;
            this.cellHeight = cellHeight;
            this.columns = (int) Math.ceil(size / cellWidth) + 2;
            int rows = (int) Math.ceil(size / cellHeight) + 2;
            this.lattice = new double[columns * rows];
            for (int i = 0; i < lattice.length; i++) {
                lattice[i] = 2 * random.nextDouble() - 1;
            }
        }

        double at(double x, double y) {
            double gx = x / cellWidth;
            double gy = y / cellHeight;
            int ix = (int) gx;
            int iy = (int) gy;
            double fx = smooth(gx - ix);
            double fy = smooth(gy - iy);
            int i = iy * columns + ix;
            double top = lattice[i] + fx * (lattice[i + 1] - lattice[i]);
            double bottom = lattice[i + columns] + fx * (lattice[i + columns + 1] - lattice[i + columns]);
            return top + fy * (bottom - top);
        }

        private static double smooth(double t) {
            return t * t * (3 - 2 * t);
        }
    }
}

package ai.glimpse.explain;

import ai.glimpse.decode.Caption;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/** Images and captions made on the fly for the explain tests. */
final class Pictures {
    private Pictures() {
    }

    /**
     * A {@code width x height} scene: a sky-to-grass gradient, a red disc in the left third and a green
     * square in the right third, both vertically centred.
     */
    static BufferedImage twoShapes(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(0x9cc7ee), 0, height, new Color(0x7aa35a)));
            g.fillRect(0, 0, width, height);
            int d = Math.min(width, height) / 3;
            g.setColor(new Color(0xd62828));
            g.fillOval(width / 6 - d / 2 + width / 12, height / 2 - d / 2, d, d);
            g.setColor(new Color(0x2a9d4f));
            g.fillRect(5 * width / 6 - d / 2 - width / 12, height / 2 - d / 2, d, d);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Weights of a {@code grid x grid} attention all on region {@code hot}. */
    static float[] oneHot(int grid, int hot) {
        float[] alpha = new float[grid * grid];
        alpha[hot] = 1f;
        return alpha;
    }

    /** Weights of a {@code grid x grid} attention spread evenly. */
    static float[] uniform(int grid) {
        float[] alpha = new float[grid * grid];
        Arrays.fill(alpha, 1f / alpha.length);
        return alpha;
    }

    /** A peaked attention: a Gaussian bump of {@code spread} cells around (row, col), summing to 1. */
    static float[] bump(int grid, double row, double col, double spread) {
        float[] alpha = new float[grid * grid];
        double sum = 0;
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                double d2 = (r - row) * (r - row) + (c - col) * (c - col);
                alpha[r * grid + c] = (float) Math.exp(-0.5 * d2 / (spread * spread));
                sum += alpha[r * grid + c];
            }
        }
        for (int l = 0; l < alpha.length; l++) {
            alpha[l] /= (float) sum;
        }
        return alpha;
    }

    /** A finished caption: {@code alphas} has one row per word plus one for {@code <end>}. */
    static Caption finished(List<String> words, float[]... alphas) {
        float[] betas = new float[alphas.length];
        for (int t = 0; t < betas.length; t++) {
            betas[t] = 0.5f + 0.4f * t / Math.max(1, betas.length);
        }
        return new Caption(words, -2.75, alphas, betas, true);
    }
}

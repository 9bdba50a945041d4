package ai.glimpse.explain;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The figure of Show, Attend and Tell (Xu et al. 2015, figures 2 and 3): the original image, then one
 * panel per step with its attention, left to right in rows, each labelled underneath (a second, smaller
 * line under a label carries the step's deletion test); a title line on top and, at the bottom, the
 * colour legend.
 */
final class GridFigure {
    private static final int GAP = 6;

    private GridFigure() {
    }

    /** A panel's label: one or two lines (separated by a newline), the second in {@code colour} (null: ink). */
    record Caption(String text, Color colour) {
    }

    /**
     * Lays out the panels.
     *
     * @param original the image, at panel size
     * @param panels   one overlay per step, each the size of {@code original}
     * @param labels   one label per panel, the first for the original
     * @param title    the line written across the top
     * @param columns  panels per row, the original included
     * @param legend   drawn across the bottom, or null
     */
    static BufferedImage draw(BufferedImage original, List<BufferedImage> panels, List<Caption> labels, String title,
            int columns, LegendSpec legend) {
        if (labels.size() != panels.size() + 1) {
            throw new IllegalArgumentException(labels.size() + " labels for " + (panels.size() + 1) + " panels");
        }
        List<BufferedImage> all = new ArrayList<>();
        all.add(original);
        all.addAll(panels);
        int pw = original.getWidth();
        int ph = original.getHeight();
        int fontSize = Math.max(11, Math.min(20, Math.min(pw, ph) / 11));
        boolean twoLines = labels.stream().anyMatch(c -> c.text().contains("\n"));
        int strip = Math.round(fontSize * (twoLines ? 3.0f : 1.8f));
        int cols = Math.min(columns, all.size());
        int rows = (all.size() + cols - 1) / cols;
        int cellW = pw;
        int cellH = ph + strip;
        int titleH = Math.round(fontSize * 2.2f);
        int width = GAP + cols * (cellW + GAP);
        BufferedImage legendStrip = legend == null ? null
                : Legend.strip(legend.map(), legend.scale(), legend.regions(), width, fontSize);
        int height = titleH + rows * (cellH + GAP) + (legendStrip == null ? 0 : legendStrip.getHeight());
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            Label.smooth(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Font font = Label.fitted(g, title, width - 2 * GAP, fontSize).deriveFont(Font.PLAIN);
            FontMetrics fm = g.getFontMetrics(font);
            g.setFont(font);
            g.setColor(new Color(0x20, 0x20, 0x20));
            g.drawString(title, GAP, (titleH - fm.getAscent() - fm.getDescent()) / 2 + fm.getAscent());
            for (int i = 0; i < all.size(); i++) {
                int col = i % cols;
                int row = i / cols;
                BufferedImage panel = Label.withStrip(all.get(i), labels.get(i).text(), strip, fontSize, labels.get(i).colour());
                g.drawImage(panel, GAP + col * (cellW + GAP), titleH + row * (cellH + GAP), null);
            }
            if (legendStrip != null) {
                g.drawImage(legendStrip, 0, titleH + rows * (cellH + GAP), null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** What the legend shows: the colour map on a scale over a grid of {@code regions} cells. */
    record LegendSpec(ColourMap map, HeatScale scale, int regions) {
    }
}

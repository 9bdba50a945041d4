package ai.glimpse.explain;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * Writes text on pictures so it reads on any background: white letters with a dark outline on a
 * translucent dark bar (per-word pictures, GIF frames), or dark letters on a white strip under a panel
 * (the grid figure).
 */
final class Label {
    private static final Color BAR = new Color(0, 0, 0, 150);
    private static final Color OUTLINE = new Color(0, 0, 0, 220);
    private static final Color INK = new Color(0x20, 0x20, 0x20);

    private Label() {
    }

    /** Draws {@code text} on a bar across the bottom of {@code image}, in place. */
    static void drawBar(BufferedImage image, String text) {
        if (text.isBlank()) {
            return;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        Graphics2D g = image.createGraphics();
        try {
            smooth(g);
            Font font = fitted(g, text, w - 6, Math.max(10, Math.min(48, Math.round(Math.min(w, h) / 12f))));
            FontMetrics fm = g.getFontMetrics(font);
            int barHeight = Math.min(h, fm.getAscent() + fm.getDescent() + 8);
            g.setColor(BAR);
            g.fillRect(0, h - barHeight, w, barHeight);
            TextLayout layout = new TextLayout(text, font, g.getFontRenderContext());
            float x = Math.max(2, (w - layout.getAdvance()) / 2f);
            float y = h - barHeight + 4 + fm.getAscent();
            Shape glyphs = layout.getOutline(AffineTransform.getTranslateInstance(x, y));
            g.setStroke(new BasicStroke(Math.max(2f, font.getSize2D() / 8f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(OUTLINE);
            g.draw(glyphs);
            g.setColor(Color.WHITE);
            g.fill(glyphs);
        } finally {
            g.dispose();
        }
    }

    /**
     * The panel with a white strip of {@code stripHeight} pixels below it holding {@code text}, centred: one
     * line, or two separated by a newline, the second smaller and in {@code second} (the deletion test's
     * result under a word).
     */
    static BufferedImage withStrip(BufferedImage panel, String text, int stripHeight, int fontSize, Color second) {
        int w = panel.getWidth();
        BufferedImage out = new BufferedImage(w, panel.getHeight() + stripHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            smooth(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, out.getHeight());
            g.drawImage(panel, 0, 0, null);
            String[] lines = text.split("\n", 2);
            Font font = fitted(g, lines[0], w - 4, fontSize);
            FontMetrics fm = g.getFontMetrics(font);
            Font small = lines.length > 1 ? fitted(g, lines[1], w - 4, Math.max(9, Math.round(fontSize * 0.8f))).deriveFont(Font.PLAIN) : null;
            FontMetrics sm = small == null ? null : g.getFontMetrics(small);
            int textHeight = fm.getAscent() + fm.getDescent() + (sm == null ? 0 : sm.getAscent() + sm.getDescent());
            int y = panel.getHeight() + (stripHeight - textHeight) / 2 + fm.getAscent();
            g.setFont(font);
            g.setColor(INK);
            g.drawString(lines[0], Math.max(2, (w - fm.stringWidth(lines[0])) / 2), y);
            if (small != null) {
                g.setFont(small);
                g.setColor(second == null ? INK : second);
                g.drawString(lines[1], Math.max(2, (w - sm.stringWidth(lines[1])) / 2), y + fm.getDescent() + sm.getAscent());
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * A bold sans-serif font of at most {@code size} points (at least 6) whose rendering of {@code text}
     * fits {@code width}, measured as it will be drawn.
     */
    static Font fitted(Graphics2D g, String text, int width, int size) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
        for (int i = 0; i < 8 && font.getSize2D() > 6; i++) {
            double textWidth = text.isEmpty() ? 0 : new TextLayout(text, font, g.getFontRenderContext()).getAdvance();
            if (textWidth <= width) {
                break;
            }
            font = font.deriveFont((float) Math.max(6, font.getSize2D() * width / textWidth * 0.97));
        }
        return font;
    }

    static void smooth(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }
}

package ai.glimpse.explain;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * What the colours of the overlays mean: a colour bar of the {@link ColourMap} with the {@link
 * HeatScale}'s marks under it, drawn as a strip for {@code grid.png} and described as CSS for the page.
 */
final class Legend {
    private Legend() {
    }

    /** A white strip {@code width} pixels wide: the scale's description, the bar and its marks. */
    static BufferedImage strip(ColourMap map, HeatScale scale, int regions, int width, int fontSize) {
        int pad = 6;
        int barHeight = Math.max(8, fontSize);
        int height = pad + fontSize + 4 + barHeight + 4 + fontSize + pad;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            Label.smooth(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, fontSize - 2));
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            g.setColor(new Color(0x20, 0x20, 0x20));
            String title = "colour: " + scale.description(regions);
            int barWidth = Math.min(width - 2 * pad, Math.max(120, width / 2));
            int x0 = (width - barWidth) / 2;
            g.drawString(title, Math.max(pad, (width - fm.stringWidth(title)) / 2), pad + fm.getAscent());
            int barTop = pad + fontSize + 4;
            for (int x = 0; x < barWidth; x++) {
                g.setColor(new Color(map.rgb((double) x / Math.max(1, barWidth - 1))));
                g.drawLine(x0 + x, barTop, x0 + x, barTop + barHeight - 1);
            }
            g.setColor(new Color(0x20, 0x20, 0x20));
            g.drawRect(x0, barTop, barWidth - 1, barHeight - 1);
            for (HeatScale.Tick tick : scale.ticks(regions)) {
                int x = x0 + (int) Math.round(tick.heat() * (barWidth - 1));
                g.drawLine(x, barTop + barHeight, x, barTop + barHeight + 3);
                int tw = fm.stringWidth(tick.text());
                int tx = Math.max(0, Math.min(width - tw, x - tw / 2));
                g.drawString(tick.text(), tx, barTop + barHeight + 4 + fm.getAscent());
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The bar as a CSS linear gradient through the map's stops. */
    static String cssGradient(ColourMap map) {
        int[] stops = map.stops();
        StringBuilder css = new StringBuilder("linear-gradient(to right");
        for (int i = 0; i < stops.length; i++) {
            css.append(String.format(Locale.ROOT, ",#%06x %.1f%%", stops[i], 100.0 * i / (stops.length - 1)));
        }
        return css.append(')').toString();
    }

    /** The marks of the bar for the page: heat in percent and text. */
    static List<HeatScale.Tick> ticks(HeatScale scale, int regions) {
        return scale.ticks(regions);
    }
}

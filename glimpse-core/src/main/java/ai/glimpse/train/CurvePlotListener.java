package ai.glimpse.train;

import ai.glimpse.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the run's curves into a PNG when training ends: the training cross-entropy per step (raw and
 * smoothed) on the left, the validation scores per epoch on the right. It reads them from the CSV log
 * (so a resumed run plots the whole history); register it after the {@link CsvLogListener}.
 */
public final class CurvePlotListener implements TrainingListener {
    private static final int W = 1100;
    private static final int H = 420;
    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};
    private final Path file;
    private final Path log;

    /** @param log the CSV written by {@link CsvLogListener} */
    public CurvePlotListener(Path file, Path log) {
        this.file = file;
        this.log = log;
    }

    @Override
    public void onEnd(TrainerState state) {
        List<double[]> steps = new ArrayList<>();                           // {step, crossEntropy}
        Map<String, List<double[]>> scores = new LinkedHashMap<>();         // metric -> {step, value}
        try {
            for (String line : java.nio.file.Files.readAllLines(log)) {
                String[] f = line.split(",", -1);
                if (f[0].equals("step")) {
                    steps.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[4])});
                } else if (f[0].equals("val")) {
                    scores.computeIfAbsent(f[9], k -> new ArrayList<>())
                            .add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[10])});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the training log " + log, e);
        }
        if (steps.isEmpty()) {
            return;
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        Map<String, List<double[]>> left = new LinkedHashMap<>();
        left.put("cross-entropy", steps);
        left.put("smoothed", smooth(steps, 0.98));
        panel(g, 60, "training loss per step", left);
        panel(g, W / 2 + 40, "validation (greedy decoding)", scores);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFile.write(file, png.toByteArray());
    }

    static List<double[]> smooth(List<double[]> xs, double decay) {
        List<double[]> out = new ArrayList<>(xs.size());
        double m = Double.NaN;
        for (double[] p : xs) {
            m = Double.isNaN(m) ? p[1] : decay * m + (1 - decay) * p[1];
            out.add(new double[] {p[0], m});
        }
        return out;
    }

    private static void panel(Graphics2D g, int x0, String title, Map<String, List<double[]>> series) {
        int w = W / 2 - 100;
        int top = 40;
        int h = H - 100;
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, x0, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(x0, top, w, h);
        if (minX > maxX) {
            g.drawString("no data", x0 + w / 2 - 20, top + h / 2);
            return;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + 1;
        }
        for (int k = 0; k <= 4; k++) {
            double yv = minY + (maxY - minY) * k / 4;
            int y = top + h - (int) Math.round(h * k / 4.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, y, x0 + w - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3g", yv), x0 - 50, y + 4);
            double xv = minX + (maxX - minX) * k / 4;
            g.drawString(String.format(Locale.ROOT, "%d", Math.round(xv)), x0 + (int) Math.round(w * k / 4.0) - 10, top + h + 16);
        }
        g.drawString("step", x0 + w / 2 - 10, top + h + 32);
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            Color c = SERIES[i % SERIES.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(i == 0 && series.size() > 1 && e.getKey().equals("cross-entropy") ? 0.7f : 2f));
            Path2D.Double path = new Path2D.Double();
            boolean first = true;
            for (double[] p : e.getValue()) {
                double x = x0 + w * (p[0] - minX) / (maxX - minX);
                double y = top + h - h * (p[1] - minY) / (maxY - minY);
                if (first) {
                    path.moveTo(x, y);
                    first = false;
                } else {
                    path.lineTo(x, y);
                }
            }
            g.draw(path);
            g.fillRect(x0 + 10 + 130 * i, top + h + 42, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), x0 + 24 + 130 * i, top + h + 52);
            i++;
        }
        g.setStroke(new BasicStroke(1f));
    }
}

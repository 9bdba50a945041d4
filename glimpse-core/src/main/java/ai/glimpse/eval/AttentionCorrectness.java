package ai.glimpse.eval;

import ai.glimpse.decode.Caption;
import ai.glimpse.explain.CropBox;
import ai.glimpse.explain.HeatMap;
import java.awt.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attention correctness (Liu et al., AAAI 2017): for each generated word that names an object category
 * annotated in the image, the share of that word's attention, upsampled to the image and normalised to
 * sum 1, that falls inside the union of that category's regions. The baseline is the same share for
 * uniform attention over what the model saw (region area inside the crop / crop area). A category whose
 * name has several words ("traffic light") is scored once per mention, as the max over its words.
 * Alongside it, a coarser measure: how often the word's most attended region (its cell's centre) lies
 * inside the bounding box of an object of that category, against chance (the share of cells whose
 * centres lie in those boxes). And the same for the noun phrase: the attention of the category's words
 * and of the modifiers right before them ("small orange" in "a small orange circle": the words back to
 * the nearest function word or other category word), summed over those steps. A decoder may look at an
 * object while it says the adjectives and name it from memory, with its gate beta near 0; this measure
 * counts where it looked to describe the object.
 */
public final class AttentionCorrectness {
    /** Per-category and overall means. */
    public record Report(int words, double correctness, double baseline, double peakInBox, double peakChance,
            double phrasePeakInBox, Map<String, double[]> perCategory) {
        /** perCategory values: {words, mean correctness, mean baseline}. */
        public Report {
            perCategory = Map.copyOf(perCategory);
        }
    }

    private final CategoryWords words;
    private final Map<String, double[]> sums = new TreeMap<>();            // category -> {n, correctness, baseline}
    private double peakHits;
    private double peakChance;
    private double phraseHits;
    /** Words that end a noun phrase's modifiers when walking back from its noun. */
    static final java.util.Set<String> FUNCTION_WORDS = java.util.Set.of("a", "an", "the", "and", "or", "but", "of", "on",
            "in", "at", "to", "with", "by", "from", "for", "near", "next", "above", "below", "under", "beside", "behind",
            "over", "into", "onto", "is", "are", "was", "were", "be", "there", "this", "that", "these", "those", "it",
            "its", "their", "his", "her", "some", "each", "another", "other", ",", ".");

    public AttentionCorrectness(CategoryWords words) {
        this.words = words;
    }

    /**
     * Scores the caption of one image; {@code box} is where the model's input square lies in the image.
     * Returns the number of words scored.
     */
    public int add(Caption caption, CocoInstances.ImageObjects image, CropBox box) {
        int grid = caption.gridSize();
        int scored = 0;
        List<String> w = caption.words();
        for (int t = 0; t < w.size(); ) {
            CategoryWords.Match m = words.match(w, t);
            if (m == null) {
                t++;
                continue;
            }
            List<Shape> regions = image.objects().stream().filter(o -> o.category().equals(m.category()))
                    .map(CocoInstances.Instance::region).toList();
            if (!regions.isEmpty()) {
                boolean[] mask = rasterise(regions, image.width(), image.height());
                double best = 0;
                boolean peakHit = false;
                List<java.awt.geom.Rectangle2D> boxes = regions.stream().map(Shape::getBounds2D).toList();
                for (int k = t; k < t + m.length(); k++) {
                    best = Math.max(best, share(caption.alphas()[k], grid, box, mask, image.width(), image.height()));
                    peakHit |= peakInBoxes(caption.alphas()[k], grid, box, boxes);
                }
                peakHits += peakHit ? 1 : 0;
                phraseHits += peakInBoxes(phraseAttention(caption, phraseStart(w, t), t + m.length()), grid, box, boxes) ? 1 : 0;
                peakChance += cellsInBoxes(grid, box, boxes);
                double base = baseline(mask, box, image.width(), image.height());
                double[] s = sums.computeIfAbsent(m.category(), k -> new double[3]);
                s[0]++;
                s[1] += best;
                s[2] += base;
                scored++;
            }
            t += m.length();
        }
        return scored;
    }

    public Report report() {
        double n = 0;
        double c = 0;
        double b = 0;
        Map<String, double[]> per = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            n += s[0];
            c += s[1];
            b += s[2];
            per.put(e.getKey(), new double[] {s[0], s[1] / s[0], s[2] / s[0]});
        }
        return new Report((int) n, n == 0 ? Double.NaN : c / n, n == 0 ? Double.NaN : b / n,
                n == 0 ? Double.NaN : peakHits / n, n == 0 ? Double.NaN : peakChance / n,
                n == 0 ? Double.NaN : phraseHits / n, per);
    }

    /** Where the noun phrase of the category word at t starts: back over the modifiers before it. */
    int phraseStart(List<String> w, int t) {
        int s = t;
        while (s > 0 && !FUNCTION_WORDS.contains(w.get(s - 1)) && words.match(w, s - 1) == null) {
            s--;
        }
        return s;
    }

    /** The attention of steps [from, to) summed, one weight per region. */
    static float[] phraseAttention(Caption caption, int from, int to) {
        float[] sum = new float[caption.alphas()[from].length];
        for (int k = from; k < to; k++) {
            for (int l = 0; l < sum.length; l++) {
                sum[l] += caption.alphas()[k][l];
            }
        }
        return sum;
    }

    /** Whether the most attended region's centre (the first, on ties) lies inside one of the boxes. */
    static boolean peakInBoxes(float[] alpha, int grid, CropBox box, List<java.awt.geom.Rectangle2D> boxes) {
        int peak = 0;
        for (int l = 1; l < alpha.length; l++) {
            if (alpha[l] > alpha[peak]) {
                peak = l;
            }
        }
        return centreInBoxes(box.cell(peak / grid, peak % grid, grid), boxes);
    }

    /** The share of the grid's cells whose centres lie inside one of the boxes: the chance of a random peak. */
    static double cellsInBoxes(int grid, CropBox box, List<java.awt.geom.Rectangle2D> boxes) {
        int in = 0;
        for (int l = 0; l < grid * grid; l++) {
            in += centreInBoxes(box.cell(l / grid, l % grid, grid), boxes) ? 1 : 0;
        }
        return (double) in / (grid * grid);
    }

    private static boolean centreInBoxes(CropBox cell, List<java.awt.geom.Rectangle2D> boxes) {
        double cx = cell.x() + cell.width() / 2;
        double cy = cell.y() + cell.height() / 2;
        return boxes.stream().anyMatch(b -> b.contains(cx, cy));
    }

    /** Attention of one step inside the mask: heat clamped at 0 (bicubic overshoot) and normalised to sum 1. */
    static double share(float[] alpha, int grid, CropBox box, boolean[] mask, int width, int height) {
        HeatMap heat = HeatMap.of(alpha, grid, box, width, height, 0);
        double total = 0;
        double inside = 0;
        float[] v = heat.values();
        for (int i = 0; i < v.length; i++) {
            double h = Math.max(0, v[i]);
            total += h;
            if (mask[i]) {
                inside += h;
            }
        }
        return total == 0 ? 0 : inside / total;
    }

    /** Uniform attention over the crop box: the share of the box's pixels inside the mask. */
    static double baseline(boolean[] mask, CropBox box, int width, int height) {
        long in = 0;
        long all = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (box.contains(x + 0.5, y + 0.5)) {
                    all++;
                    if (mask[y * width + x]) {
                        in++;
                    }
                }
            }
        }
        return all == 0 ? 0 : (double) in / all;
    }

    /** Pixels whose centre lies in any of the regions, row-major [H, W]. */
    static boolean[] rasterise(List<Shape> regions, int width, int height) {
        boolean[] mask = new boolean[width * height];
        for (Shape r : regions) {
            java.awt.Rectangle b = r.getBounds().intersection(new java.awt.Rectangle(0, 0, width, height));
            for (int y = b.y; y < b.y + b.height; y++) {
                for (int x = b.x; x < b.x + b.width; x++) {
                    if (r.contains(x + 0.5, y + 0.5)) {
                        mask[y * width + x] = true;
                    }
                }
            }
        }
        return mask;
    }

    /** Formats a report as lines for the terminal. */
    public static List<String> lines(Report r) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "attention correctness %.4f (uniform baseline %.4f) over %d words", r.correctness(),
                r.baseline(), r.words()));
        out.add(String.format(Locale.ROOT, "attention peak inside the object's box for %.2f%% of them (chance %.2f%%)",
                100 * r.peakInBox(), 100 * r.peakChance()));
        out.add(String.format(Locale.ROOT, "attention of the noun phrase (noun and its modifiers) peaks inside the box for %.2f%% "
                + "(chance %.2f%%)", 100 * r.phrasePeakInBox(), 100 * r.peakChance()));
        r.perCategory().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(String.format(Locale.ROOT,
                "  %-14s %.4f (baseline %.4f, %d words)", e.getKey(), e.getValue()[1], e.getValue()[2], (int) e.getValue()[0])));
        return out;
    }
}

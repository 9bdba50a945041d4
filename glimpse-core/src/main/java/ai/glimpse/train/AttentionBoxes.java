package ai.glimpse.train;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.eval.CategoryWords;
import ai.glimpse.eval.CocoInstances;
import ai.glimpse.explain.CropBox;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each training caption's object nouns should look, for {@link ai.glimpse.model.BoxSupervision}
 * (Liu et al. 2017 supervised attention with Flickr30k Entities; a COCO instances file gives boxes for
 * every training image): a word that names an annotated category ({@link CategoryWords}: names, plurals,
 * synonyms) is tied to the boxes of that category's objects in the image, narrowed to those of the colour
 * said right before it when the annotations give colours ("a red circle" beside a blue one); its cells are
 * those whose centres lie in the boxes (the cells the attention-peak measure counts), or, for an object
 * smaller than a cell, the cells its box overlaps. Words naming nothing in the image, and images the file
 * does not annotate, are not supervised.
 */
public final class AttentionBoxes {
    private final int regions;
    private final double weight;
    private final int[][] steps;                                          // caption -> supervised steps
    private final boolean[][][] cells;                                    // caption -> per supervised step [L]
    private final long words;
    private final int unannotated;

    private AttentionBoxes(int regions, double weight, int[][] steps, boolean[][][] cells, long words, int unannotated) {
        this.regions = regions;
        this.weight = weight;
        this.steps = steps;
        this.cells = cells;
        this.words = words;
        this.unannotated = unannotated;
    }

    /**
     * The supervision of every caption of {@code data} from {@code instances}.
     *
     * @param input how images become the model's input (the grid covers its crop of each image)
     * @param grid  side of the attention grid
     */
    public static AttentionBoxes build(TrainingSet data, Vocabulary vocab, CocoInstances instances, ImageOptions input, int grid,
            double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("attention box weight must be >= 0, got " + weight);
        }
        CategoryWords names = new CategoryWords(instances.categories().values(), CategoryWords.DEFAULT_SYNONYMS);
        int n = data.captionCount();
        int[][] steps = new int[n][];
        boolean[][][] cells = new boolean[n][][];
        long words = 0;
        int unannotated = 0;
        for (int i = 0; i < data.imageCount(); i++) {
            CocoInstances.ImageObjects image = instances.images().get(data.image(i).id());
            if (image == null) {
                unannotated++;
            }
            for (int k : data.captionsOf(i)) {
                List<Integer> s = new ArrayList<>();
                List<boolean[]> c = new ArrayList<>();
                if (image != null) {
                    words += supervise(text(data.caption(k), vocab), image, names, input, grid, s, c);
                }
                steps[k] = s.stream().mapToInt(Integer::intValue).toArray();
                cells[k] = c.toArray(boolean[][]::new);
            }
        }
        return new AttentionBoxes(grid * grid, weight, steps, cells, words, unannotated);
    }

    /** The words of an encoded caption ({@code <start>} w... {@code <end>}): word j is the target of step j. */
    private static List<String> text(int[] ids, Vocabulary vocab) {
        List<String> out = new ArrayList<>();
        for (int j = 1; j < ids.length - 1; j++) {
            out.add(vocab.word(ids[j]));
        }
        return out;
    }

    /** Adds the supervised steps of one caption and their cells; returns how many. */
    static int supervise(List<String> words, CocoInstances.ImageObjects image, CategoryWords names, ImageOptions input, int grid,
            List<Integer> steps, List<boolean[]> cells) {
        CropBox crop = CropBox.of(image.width(), image.height(), input);
        int added = 0;
        for (int t = 0; t < words.size(); ) {
            CategoryWords.Match m = names.match(words, t);
            if (m == null) {
                t++;
                continue;
            }
            List<CocoInstances.Instance> objects = image.objects().stream().filter(o -> o.category().equals(m.category())).toList();
            if (t > 0) {
                String before = words.get(t - 1);
                List<CocoInstances.Instance> coloured = objects.stream().filter(o -> before.equals(o.colour())).toList();
                if (!coloured.isEmpty()) {
                    objects = coloured;
                }
            }
            if (!objects.isEmpty()) {
                boolean[] on = cellsOf(objects.stream().map(o -> o.region().getBounds2D()).toList(), crop, grid);
                for (int k = t; k < t + m.length(); k++) {
                    steps.add(k);
                    cells.add(on);
                    added++;
                }
            }
            t += m.length();
        }
        return added;
    }

    /** The cells whose centres lie in a box, or, when none does, the cells a box overlaps. */
    static boolean[] cellsOf(List<Rectangle2D> boxes, CropBox crop, int grid) {
        boolean[] centre = new boolean[grid * grid];
        boolean[] overlap = new boolean[grid * grid];
        boolean any = false;
        for (int l = 0; l < centre.length; l++) {
            CropBox cell = crop.cell(l / grid, l % grid, grid);
            double cx = cell.x() + cell.width() / 2;
            double cy = cell.y() + cell.height() / 2;
            for (Rectangle2D b : boxes) {
                centre[l] |= b.contains(cx, cy);
                overlap[l] |= b.intersects(cell.x(), cell.y(), cell.width(), cell.height());
            }
            any |= centre[l];
        }
        return any ? centre : overlap;
    }

    public double weight() {
        return weight;
    }

    /** Words supervised over all captions. */
    public long words() {
        return words;
    }

    /** Training images the instances file does not annotate. */
    public int unannotated() {
        return unannotated;
    }

    /**
     * Writes caption {@code k}'s cells, for its steps below {@code t}, into row {@code row} of {@code inside}
     * [B, T, L] (row-major).
     */
    void fill(int k, int row, int t, float[] inside) {
        for (int j = 0; j < steps[k].length; j++) {
            int s = steps[k][j];
            if (s >= t) {
                continue;
            }
            boolean[] on = cells[k][j];
            int base = (row * t + s) * regions;
            for (int l = 0; l < regions; l++) {
                if (on[l]) {
                    inside[base + l] = 1f;
                }
            }
        }
    }

    /** Regions of the grid. */
    int regions() {
        return regions;
    }

    @Override
    public String toString() {
        return "AttentionBoxes" + Arrays.toString(new long[] {words, unannotated});
    }
}

package ai.glimpse.probe;

import ai.glimpse.explain.CropBox;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A set of cells of the {@code grid x grid} feature map whose features are replaced, and the
 * replacement: the image's own mean feature (the mean over all L regions of the unmasked map, the vector
 * the decoder's initial state is made from), so a masked cell reads as "an average part of this image"
 * rather than as something the encoder never produces. Cell {@code l} is row {@code l / grid}, column
 * {@code l % grid}, as in the attention.
 *
 * @param grid   side of the grid
 * @param masked [L] true for each cell to replace
 */
public record RegionMask(int grid, boolean[] masked) {
    public RegionMask {
        Objects.requireNonNull(masked, "masked");
        if (grid < 1 || masked.length != grid * grid) {
            throw new IllegalArgumentException("a mask of " + masked.length + " cells for a " + grid + "x" + grid + " grid");
        }
        masked = masked.clone();
    }

    /** No cell masked. */
    public static RegionMask none(int grid) {
        return new RegionMask(grid, new boolean[grid * grid]);
    }

    /** The given cells masked. */
    public static RegionMask of(int grid, int... regions) {
        boolean[] m = new boolean[grid * grid];
        for (int r : regions) {
            if (r < 0 || r >= m.length) {
                throw new IndexOutOfBoundsException("region " + r + " outside a " + grid + "x" + grid + " grid");
            }
            m[r] = true;
        }
        return new RegionMask(grid, m);
    }

    /**
     * The cells that any of the boxes overlaps (a shared area above zero; touching edges do not count),
     * on a grid that tiles {@code crop}, the part of the image the model saw.
     */
    public static RegionMask covering(List<PixelBox> boxes, CropBox crop, int grid) {
        boolean[] m = new boolean[grid * grid];
        for (int l = 0; l < m.length; l++) {
            CropBox cell = crop.cell(l / grid, l % grid, grid);
            for (PixelBox b : boxes) {
                m[l] |= b.overlaps(cell.x(), cell.y(), cell.width(), cell.height());
            }
        }
        return new RegionMask(grid, m);
    }

    /**
     * The cells whose area any of the shapes (image pixels; an object's outline, say) shares: finer than
     * its box where the object is not a rectangle.
     */
    public static RegionMask touching(List<? extends java.awt.Shape> shapes, CropBox crop, int grid) {
        boolean[] m = new boolean[grid * grid];
        for (int l = 0; l < m.length; l++) {
            CropBox cell = crop.cell(l / grid, l % grid, grid);
            for (java.awt.Shape s : shapes) {
                m[l] |= s.intersects(cell.x(), cell.y(), cell.width(), cell.height());
            }
        }
        return new RegionMask(grid, m);
    }

    /** The cells none of the boxes overlaps: the complement of {@link #covering}. */
    public static RegionMask outside(List<PixelBox> boxes, CropBox crop, int grid) {
        return covering(boxes, crop, grid).inverse();
    }

    /** Every cell this mask leaves, and none it masks. */
    public RegionMask inverse() {
        boolean[] m = new boolean[masked.length];
        for (int l = 0; l < m.length; l++) {
            m[l] = !masked[l];
        }
        return new RegionMask(grid, m);
    }

    /** The cells masked by this mask or the other. */
    public RegionMask or(RegionMask other) {
        if (other.grid != grid) {
            throw new IllegalArgumentException("masks of a " + grid + " and a " + other.grid + " grid");
        }
        boolean[] m = masked.clone();
        for (int l = 0; l < m.length; l++) {
            m[l] |= other.masked[l];
        }
        return new RegionMask(grid, m);
    }

    public boolean masks(int region) {
        return masked[region];
    }

    /** Number of cells masked. */
    public int count() {
        int n = 0;
        for (boolean b : masked) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** The masked cells, in increasing order. */
    public int[] regions() {
        int[] out = new int[count()];
        int k = 0;
        for (int l = 0; l < masked.length; l++) {
            if (masked[l]) {
                out[k++] = l;
            }
        }
        return out;
    }

    @Override
    public boolean[] masked() {
        return masked.clone();
    }

    /**
     * Writes into {@code out} at {@code to} the features of one image [L, D] read from {@code feats} at
     * {@code from}, with the masked cells replaced by {@code mean} [D].
     */
    public void apply(float[] feats, int from, float[] mean, float[] out, int to) {
        int d = mean.length;
        for (int l = 0; l < masked.length; l++) {
            System.arraycopy(masked[l] ? mean : feats, masked[l] ? 0 : from + l * d, out, to + l * d, d);
        }
    }

    /**
     * Writes into {@code out} at {@code to} the features of one image [L, D] read from {@code feats} at
     * {@code from}, with each masked cell replaced by the same cell of {@code fill} [L, D] (the features of
     * a blank picture: see {@link Fill#BLANK}).
     */
    public void applyCells(float[] feats, int from, float[] fill, float[] out, int to) {
        int d = fill.length / masked.length;
        for (int l = 0; l < masked.length; l++) {
            System.arraycopy(masked[l] ? fill : feats, masked[l] ? l * d : from + l * d, out, to + l * d, d);
        }
    }

    /** What a masked cell's features become. */
    public enum Fill {
        /** The image's own mean feature (the deletion test's default). */
        MEAN,
        /**
         * The same cell's features of a blank mid-grey picture run through the encoder: "nothing here". The
         * mean of a picture is mostly its background, so a background replaced by the mean stays.
         */
        BLANK;

        public static Fill parse(String name) {
            for (Fill f : values()) {
                if (f.name().equalsIgnoreCase(name.strip())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown mask fill '" + name + "' (expected mean or blank)");
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A copy of one image's features [L, D] with the masked cells replaced by the image's mean feature. */
    public float[] apply(float[] feats) {
        if (feats.length % masked.length != 0) {
            throw new IllegalArgumentException(feats.length + " values are not " + masked.length + " regions of features");
        }
        float[] out = new float[feats.length];
        apply(feats, 0, meanFeature(feats, 0, masked.length, feats.length / masked.length), out, 0);
        return out;
    }

    /** The mean over the L regions of one image's features [L, D] at {@code from}: [D]. */
    public static float[] meanFeature(float[] feats, int from, int l, int d) {
        double[] sum = new double[d];
        for (int r = 0; r < l; r++) {
            for (int k = 0; k < d; k++) {
                sum[k] += feats[from + r * d + k];
            }
        }
        float[] mean = new float[d];
        for (int k = 0; k < d; k++) {
            mean[k] = (float) (sum[k] / l);
        }
        return mean;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegionMask r && r.grid == grid && Arrays.equals(r.masked, masked);
    }

    @Override
    public int hashCode() {
        return 31 * grid + Arrays.hashCode(masked);
    }

    @Override
    public String toString() {
        return "RegionMask" + Arrays.toString(regions()) + " of " + grid + "x" + grid;
    }
}

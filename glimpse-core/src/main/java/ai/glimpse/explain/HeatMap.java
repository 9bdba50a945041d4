package ai.glimpse.explain;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import java.nio.FloatBuffer;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One step's attention as a heat value per pixel of an image, in [0, 1]: the {@code grid x grid}
 * weights are upsampled over the {@link CropBox} with bicubic interpolation (Keys' cubic convolution,
 * a = -0.5, edges replicated), smoothed with a Gaussian of {@code sigma} pixels (edges replicated; OpenCV's
 * separable filter), and mapped to heat by a {@link HeatScale}: divided by their largest value (the
 * per-word scale), or read against uniform attention. Pixels outside the crop box, which the model never
 * saw, are 0. This is the visualisation of Show, Attend and Tell (Xu et al. 2015, section 5.4 and figures
 * 2-3: upsample the weights, then Gaussian-filter them).
 *
 * <p>Upsampling and smoothing run once per step on a {@link Field}: a raster of the crop box with
 * {@value #CELL_SAMPLES} samples per attention cell (at most {@value #WORK_SIDE} on the longer side; the
 * heat is smooth at that scale), which is then sampled bilinearly at each pixel of every picture drawn
 * from it, whatever its size.
 *
 * @param width  width of the image in pixels
 * @param height height of the image in pixels
 * @param values {@code height * width} heat values in [0, 1], row-major, [H, W]
 */
public record HeatMap(int width, int height, float[] values) {
    /** Longest side of the working raster. */
    public static final int WORK_SIDE = 512;
    /** Samples per attention cell along each axis of the working raster. */
    public static final int CELL_SAMPLES = 32;

    public HeatMap {
        Objects.requireNonNull(values, "values");
        if (width < 1 || height < 1 || values.length != (long) width * height) {
            throw new IllegalArgumentException("heat map of " + width + "x" + height + " needs " + (long) width * height
                    + " values, got " + values.length);
        }
    }

    /**
     * The heat of one attention step over a {@code width x height} image, each word on its own scale.
     *
     * @param alpha  [grid * grid] weights, row-major; negative or NaN weights are refused
     * @param box    where the grid lies in the image
     * @param sigma  standard deviation of the Gaussian smoothing in image pixels; 0 for none
     */
    public static HeatMap of(float[] alpha, int grid, CropBox box, int width, int height, double sigma) {
        return of(alpha, grid, box, width, height, sigma, HeatScale.WORD);
    }

    /** As {@link #of(float[], int, CropBox, int, int, double)} on the given scale. */
    public static HeatMap of(float[] alpha, int grid, CropBox box, int width, int height, double sigma, HeatScale scale) {
        return Field.of(alpha, grid, box, sigma).sample(box, width, height, scale);
    }

    /**
     * One step's attention upsampled and smoothed over its crop box, in weight units (a cell's weight where
     * the attention is flat), on a raster of the box that does not depend on the size of the pictures
     * drawn from it: smoothing is given relative to the box, so pictures of the same image at any size
     * sample the same field.
     */
    public static final class Field {
        private final float[] work;                                     // [wh, ww]
        private final int ww;
        private final int wh;
        private final int regions;

        private Field(float[] work, int ww, int wh, int regions) {
            this.work = work;
            this.ww = ww;
            this.wh = wh;
            this.regions = regions;
        }

        /** The field of {@code alpha} over {@code box} smoothed by {@code sigma} pixels of the box's image. */
        public static Field of(float[] alpha, int grid, CropBox box, double sigma) {
            if (grid < 1 || alpha.length != grid * grid) {
                throw new IllegalArgumentException("attention has " + alpha.length + " weights, not " + grid + "x" + grid);
            }
            for (float a : alpha) {
                if (!(a >= 0) || Float.isInfinite(a)) {
                    throw new IllegalArgumentException("attention weights must be finite and >= 0, got " + a);
                }
            }
            if (!(sigma >= 0 && sigma <= ExplainOptions.MAX_SMOOTH_PIXELS)) {
                throw new IllegalArgumentException("smoothing sigma must be between 0 and " + (int) ExplainOptions.MAX_SMOOTH_PIXELS
                        + " pixels, got " + sigma);
            }
            int side = Math.min(WORK_SIDE, grid * CELL_SAMPLES);
            double longer = Math.max(box.width(), box.height());
            int ww = Math.max(1, (int) Math.round(side * box.width() / longer));
            int wh = Math.max(1, (int) Math.round(side * box.height() / longer));
            float[] work = upsample(alpha, grid, ww, wh);              // [wh, ww]
            smooth(work, ww, wh, sigma * ww / box.width(), sigma * wh / box.height());
            return new Field(work, ww, wh, grid * grid);
        }

        /** Rows of the working raster. */
        int rows() {
            return wh;
        }

        /** Columns of the working raster. */
        int cols() {
            return ww;
        }

        /** Regions of the attention it was made from. */
        int regions() {
            return regions;
        }

        /** The working raster [rows, cols] in weight units, row-major (not a copy). */
        float[] values() {
            return work;
        }

        /** The heat at each pixel of a {@code width x height} picture whose grid lies in {@code box}. */
        public HeatMap sample(CropBox box, int width, int height, HeatScale scale) {
            return new HeatMap(width, height, HeatMap.sample(work, ww, wh, box, ww / box.width(), wh / box.height(),
                    width, height, scale, regions));
        }
    }

    /** Index {@code y * width + x} of the hottest pixel (the first one on ties). */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The heat at column {@code x}, row {@code y}. */
    public float at(int x, int y) {
        return values[y * width + x];
    }

    /** Bicubic upsampling of [grid, grid] to [wh, ww], separable: rows first, then columns. */
    private static float[] upsample(float[] alpha, int grid, int ww, int wh) {
        float[] rows = new float[grid * ww];                          // [grid, ww]
        Taps tx = Taps.of(grid, ww);
        for (int r = 0; r < grid; r++) {
            for (int i = 0; i < ww; i++) {
                double s = 0;
                for (int t = 0; t < 4; t++) {
                    s += tx.weight[4 * i + t] * alpha[r * grid + tx.index[4 * i + t]];
                }
                rows[r * ww + i] = (float) s;
            }
        }
        float[] out = new float[wh * ww];                             // [wh, ww]
        Taps ty = Taps.of(grid, wh);
        for (int j = 0; j < wh; j++) {
            for (int i = 0; i < ww; i++) {
                double s = 0;
                for (int t = 0; t < 4; t++) {
                    s += ty.weight[4 * j + t] * rows[ty.index[4 * j + t] * ww + i];
                }
                out[j * ww + i] = (float) s;
            }
        }
        return out;
    }

    /** The four source cells and cubic weights of each of {@code n} output samples over {@code grid} cells. */
    private record Taps(int[] index, double[] weight) {
        static Taps of(int grid, int n) {
            int[] index = new int[4 * n];
            double[] weight = new double[4 * n];
            for (int i = 0; i < n; i++) {
                double u = (i + 0.5) * grid / n - 0.5;                // position in cell-centre units
                int base = (int) Math.floor(u);
                double f = u - base;
                for (int t = 0; t < 4; t++) {
                    index[4 * i + t] = Math.min(grid - 1, Math.max(0, base - 1 + t));
                    weight[4 * i + t] = cubic(f - (t - 1));
                }
            }
            return new Taps(index, weight);
        }

        /** Keys' cubic convolution kernel with a = -0.5 (Catmull-Rom). */
        private static double cubic(double d) {
            double x = Math.abs(d);
            if (x < 1) {
                return (1.5 * x - 2.5) * x * x + 1;
            }
            if (x < 2) {
                return ((-0.5 * x + 2.5) * x - 4) * x + 2;
            }
            return 0;
        }
    }

    /**
     * Gaussian smoothing of [h, w] in place with standard deviations {@code sx} and {@code sy} in raster
     * pixels (3 sigma each side), edges replicated: one call to OpenCV's separable filter, or an axis at a
     * time where a kernel is as long as the line ({@link #blurWide}).
     */
    static void smooth(float[] img, int w, int h, double sx, double sy) {
        int rx = sx < 0.1 ? 0 : (int) Math.ceil(3 * sx);
        int ry = sy < 0.1 ? 0 : (int) Math.ceil(3 * sy);
        if (rx >= w || ry >= h) {
            blur(img, w, h, sx, true);
            blur(img, w, h, sy, false);
            return;
        }
        if (rx == 0 && ry == 0) {
            return;
        }
        openCvBlur(img, w, h, rx, Math.max(sx, 1e-3), ry, Math.max(sy, 1e-3));
    }

    /**
     * Gaussian blur along one axis in place, edges replicated; sigma in working pixels, the kernel 3 sigma
     * each side. A kernel longer than the line has its taps beyond each end summed once (they all read
     * the end value), so the work per pixel is bounded by the line's length however wide the kernel.
     */
    static void blur(float[] img, int w, int h, double sigma, boolean horizontal) {
        if (sigma < 0.1) {
            return;
        }
        int radius = (int) Math.ceil(3 * sigma);
        if (radius < (horizontal ? w : h)) {
            openCvBlur(img, w, h, horizontal ? radius : 0, horizontal ? sigma : 1e-3, horizontal ? 0 : radius,
                    horizontal ? 1e-3 : sigma);
            return;
        }
        double[] kernel = new double[2 * radius + 1];
        double[] before = new double[2 * radius + 2];                   // before[t]: sum of kernel[0 .. t-1]
        double sum = 0;
        for (int d = -radius; d <= radius; d++) {
            kernel[d + radius] = Math.exp(-0.5 * d * d / (sigma * sigma));
            sum += kernel[d + radius];
            before[d + radius + 1] = sum;
        }
        blurWide(img, w, h, kernel, before, horizontal);
    }

    /** OpenCV's Gaussian filter over [h, w] in place, kernels of 2r + 1 taps (1 tap: no smoothing on that axis). */
    private static void openCvBlur(float[] img, int w, int h, int rx, double sx, int ry, double sy) {
        try (PointerScope scope = new PointerScope()) {
            Mat m = new Mat(h, w, CV_32F);                              // [h, w]
            FloatBuffer buf = m.createBuffer();
            buf.put(img, 0, w * h);
            Mat out = new Mat();
            GaussianBlur(m, out, new Size(2 * rx + 1, 2 * ry + 1), sx, sy, BORDER_REPLICATE);
            FloatBuffer res = out.createBuffer();
            res.get(img, 0, w * h);
        }
    }

    /** {@link #blur} for a kernel at least as long as the line: taps that fall off an end weigh its end value once. */
    private static void blurWide(float[] img, int w, int h, double[] kernel, double[] before, boolean horizontal) {
        int radius = kernel.length / 2;
        double sum = before[kernel.length];
        int n = horizontal ? w : h;
        int lines = horizontal ? h : w;
        float[] line = new float[n];
        for (int a = 0; a < lines; a++) {
            for (int i = 0; i < n; i++) {
                line[i] = horizontal ? img[a * w + i] : img[i * w + a];
            }
            for (int i = 0; i < n; i++) {
                double s = before[radius - i] * line[0]                              // taps at i + d < 0
                        + (sum - before[radius + n - i]) * line[n - 1];              // taps at i + d > n - 1
                for (int j = 0; j < n; j++) {
                    s += kernel[j - i + radius] * line[j];
                }
                float v = (float) (s / sum);
                if (horizontal) {
                    img[a * w + i] = v;
                } else {
                    img[i * w + a] = v;
                }
            }
        }
    }

    /**
     * Bilinear samples of the working raster at each image pixel inside the box, clamped at 0, made heat by
     * {@code scale} (the per-word scale divides by the largest sample).
     */
    private static float[] sample(float[] work, int ww, int wh, CropBox box, double kx, double ky, int width, int height,
            HeatScale scale, int regions) {
        float[] out = new float[width * height];                      // [H, W]
        int x0 = Math.max(0, (int) Math.floor(box.x()));
        int x1 = Math.min(width, (int) Math.ceil(box.x() + box.width()));
        int y0 = Math.max(0, (int) Math.floor(box.y()));
        int y1 = Math.min(height, (int) Math.ceil(box.y() + box.height()));
        float max = 0;
        for (int y = y0; y < y1; y++) {
            double v = Math.min(wh - 1, Math.max(0, (y + 0.5 - box.y()) * ky - 0.5));
            int j = Math.max(0, Math.min(wh - 2, (int) v));
            double fv = wh == 1 ? 0 : v - j;
            for (int x = x0; x < x1; x++) {
                if (!box.contains(x + 0.5, y + 0.5)) {
                    continue;
                }
                double u = Math.min(ww - 1, Math.max(0, (x + 0.5 - box.x()) * kx - 0.5));
                int i = Math.max(0, Math.min(ww - 2, (int) u));
                double fu = ww == 1 ? 0 : u - i;
                int i1 = Math.min(ww - 1, i + 1);
                int j1 = Math.min(wh - 1, j + 1);
                float value = (float) ((1 - fv) * ((1 - fu) * work[j * ww + i] + fu * work[j * ww + i1])
                        + fv * ((1 - fu) * work[j1 * ww + i] + fu * work[j1 * ww + i1]));
                value = Math.max(0, value);
                out[y * width + x] = value;
                max = Math.max(max, value);
            }
        }
        for (int p = 0; p < out.length; p++) {
            out[p] = scale.heat(out[p], max, regions);
        }
        return out;
    }
}

package ai.glimpse.explain;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How {@link ExplainWriter} draws attention: smoothing, blending, colours, and the sizes of the
 * figures. The defaults follow the figures of Show, Attend and Tell (Xu et al. 2015): smooth blobs over
 * the image, one panel per word in rows.
 *
 * @param smoothSigma  standard deviation of the Gaussian smoothing in pixels of the original image, 0
 *                     for none, at most {@value #MAX_SMOOTH_PIXELS}; empty for the default, {@value #DEFAULT_SIGMA_CELLS} of the shorter side
 *                     of an attention cell (so a 14x14 grid over a 224-pixel crop gets 8 pixels)
 * @param opacity      weight of the colour map over the image, in [0, 1]: 0 shows the image alone, 1
 *                     the colour map alone
 * @param colourMap    colours of the heat, low to high
 * @param includeEnd   whether the step that emitted {@code <end>} gets its own picture, panel and frame
 *                     (labelled {@code <end>}); the attention JSON always has every step
 * @param gridColumns  panels per row in {@code grid.png}, counting the original image, at least 1
 * @param panelSide    longer side of each panel of {@code grid.png} in pixels (16..4096); larger
 *                     images are shrunk (area averaging), smaller ones enlarged (bicubic)
 * @param previewSide  longer side of the GIF frames and of the pictures in {@code index.html}
 *                     (16..4096), scaled as the panels but never past twice the original's longer side
 *                     (enlarging further adds no detail, only bytes and time; the page stretches them)
 * @param frameDelayMs how long each GIF frame shows, in milliseconds (10..655350, rounded to 10: GIF
 *                     counts hundredths of a second)
 * @param scale        how weights become colours: each word against its own peak (the paper's figures), or
 *                     every word against uniform attention
 */
public record ExplainOptions(OptionalDouble smoothSigma, double opacity, ColourMap colourMap, boolean includeEnd,
        int gridColumns, int panelSide, int previewSide, int frameDelayMs, HeatScale scale) {
    /** Default smoothing, in attention cells. */
    public static final double DEFAULT_SIGMA_CELLS = 0.5;
    /** Default opacity of the colour map. */
    public static final double DEFAULT_OPACITY = 0.6;
    /**
     * The widest smoothing accepted, in pixels: more than the side of the largest image Glimpse reads
     * (40 megapixels), so any wider smoothing would draw the same flat map.
     */
    public static final double MAX_SMOOTH_PIXELS = 10_000;

    public ExplainOptions {
        Objects.requireNonNull(smoothSigma, "smoothSigma");
        Objects.requireNonNull(colourMap, "colourMap");
        Objects.requireNonNull(scale, "scale");
        if (smoothSigma.isPresent() && !(smoothSigma.getAsDouble() >= 0 && smoothSigma.getAsDouble() <= MAX_SMOOTH_PIXELS)) {
            throw new IllegalArgumentException("smoothing sigma must be between 0 and " + (int) MAX_SMOOTH_PIXELS
                    + " pixels, got " + smoothSigma.getAsDouble());
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1], got " + opacity);
        }
        if (gridColumns < 1) {
            throw new IllegalArgumentException("grid columns must be >= 1, got " + gridColumns);
        }
        if (panelSide < 16 || panelSide > 4096) {
            throw new IllegalArgumentException("panel side must be in 16..4096 pixels, got " + panelSide);
        }
        if (previewSide < 16 || previewSide > 4096) {
            throw new IllegalArgumentException("preview side must be in 16..4096 pixels, got " + previewSide);
        }
        if (frameDelayMs < 10 || frameDelayMs > 655_350) {
            throw new IllegalArgumentException("frame delay must be in 10..655350 ms, got " + frameDelayMs);
        }
    }

    /** The options on the per-word scale. */
    public ExplainOptions(OptionalDouble smoothSigma, double opacity, ColourMap colourMap, boolean includeEnd,
            int gridColumns, int panelSide, int previewSide, int frameDelayMs) {
        this(smoothSigma, opacity, colourMap, includeEnd, gridColumns, panelSide, previewSide, frameDelayMs, HeatScale.WORD);
    }

    /**
     * Default smoothing, opacity 0.6, inferno, {@code <end>} shown, 5 columns of 224-pixel panels, 512-pixel
     * previews, 1 s frames, each word on its own scale.
     */
    public static ExplainOptions defaults() {
        return new ExplainOptions(OptionalDouble.empty(), DEFAULT_OPACITY, ColourMap.INFERNO, true, 5, 224, 512, 1000,
                HeatScale.WORD);
    }

    /** A copy on another heat scale. */
    public ExplainOptions withScale(HeatScale value) {
        return new ExplainOptions(smoothSigma, opacity, colourMap, includeEnd, gridColumns, panelSide, previewSide,
                frameDelayMs, value);
    }

    /** A copy with the smoothing sigma fixed at {@code pixels} of the original image. */
    public ExplainOptions withSmoothSigma(double pixels) {
        return new ExplainOptions(OptionalDouble.of(pixels), opacity, colourMap, includeEnd, gridColumns, panelSide,
                previewSide, frameDelayMs, scale);
    }

    /** A copy with another opacity. */
    public ExplainOptions withOpacity(double value) {
        return new ExplainOptions(smoothSigma, value, colourMap, includeEnd, gridColumns, panelSide, previewSide,
                frameDelayMs, scale);
    }

    /** A copy with another colour map. */
    public ExplainOptions withColourMap(ColourMap map) {
        return new ExplainOptions(smoothSigma, opacity, map, includeEnd, gridColumns, panelSide, previewSide,
                frameDelayMs, scale);
    }

    /** A copy that shows or hides the {@code <end>} step. */
    public ExplainOptions withIncludeEnd(boolean value) {
        return new ExplainOptions(smoothSigma, opacity, colourMap, value, gridColumns, panelSide, previewSide,
                frameDelayMs, scale);
    }

    /** The smoothing sigma in pixels of an image whose crop box has attention cells {@code cellSide} pixels wide. */
    public double sigmaFor(double cellSide) {
        return smoothSigma.orElse(DEFAULT_SIGMA_CELLS * cellSide);
    }
}

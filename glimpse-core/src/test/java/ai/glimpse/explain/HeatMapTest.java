package ai.glimpse.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The heat of one-hot and uniform attention lands where the grid cell lies in the original image. */
class HeatMapTest {
    private static final ExplainWriter WRITER = new ExplainWriter(ExplainOptions.defaults());

    private static ImageOptions crop(int size) {
        return new ImageOptions(size, ResizePolicy.SHORTER_SIDE_CENTER_CROP, false, ImageOptions.DEFAULT_MAX_PIXELS);
    }

    private static ImageOptions square(int size) {
        return new ImageOptions(size, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS);
    }

    /** Asserts that the hottest pixel of a one-hot attention on {@code hot} lies in that cell's image rectangle. */
    private static HeatMap assertHottestInCell(int width, int height, ImageOptions input, int grid, int hot) {
        CropBox box = CropBox.of(width, height, input);
        AttentionStep step = new AttentionStep(0, "w", false, 0.5f, Pictures.oneHot(grid, hot));
        HeatMap heat = WRITER.heatMap(step, grid, box, width, height);
        int p = heat.argmax();
        double x = p % width + 0.5;
        double y = p / width + 0.5;
        CropBox cell = box.cell(hot / grid, hot % grid, grid);
        assertTrue(cell.contains(x, y), "hottest pixel (" + x + ", " + y + ") for region " + hot + " outside " + cell);
        assertEquals(1f, heat.values()[p], 1e-6f, "normalised to a maximum of 1");
        return heat;
    }

    @Test
    void oneHotCornerCellsOfASquareImage() {
        int grid = 14;
        for (int hot : new int[] {0, grid - 1, grid * (grid - 1), grid * grid - 1, 3 * grid + 8}) {
            assertHottestInCell(224, 224, crop(224), grid, hot);
        }
    }

    @Test
    void anImageCutBeforeScalingShowsItsCentreSquare() {
        // 1000x100 is beyond 4:1, so the loader cuts x 450..550 before scaling: the box is that square
        CropBox box = CropBox.of(1000, 100, crop(224));
        assertEquals(new CropBox(450, 0, 100, 100), box);
        assertEquals(new CropBox(0, 8, 3, 3), CropBox.of(3, 20, crop(8)));      // (20 - 3) / 2 = 8
    }

    @Test
    void centreCropOfALandscapeImageMapsTheGridToTheCentreSquare() {
        // 300x200 -> shorter side 224: 336x224, crop from x = 56 -> in the original x = 56 * 300 / 336 = 50, side 200
        CropBox box = CropBox.of(300, 200, crop(224));
        assertEquals(50, box.x(), 1e-9);
        assertEquals(0, box.y(), 1e-9);
        assertEquals(200, box.width(), 1e-9);
        assertEquals(200, box.height(), 1e-9);
        int grid = 7;
        for (int hot : new int[] {0, grid - 1, grid * grid - 1, 2 * grid + 5}) {
            HeatMap heat = assertHottestInCell(300, 200, crop(224), grid, hot);
            for (int y = 0; y < 200; y++) {
                for (int x = 0; x < 50; x++) {
                    assertEquals(0f, heat.at(x, y), "left of the crop at " + x + "," + y);
                    assertEquals(0f, heat.at(299 - x, y), "right of the crop at " + (299 - x) + "," + y);
                }
            }
        }
        // the corner cell (0, 6) of the crop is x 50 + 6 * 200/7 .. 250, y 0 .. 28.6: not the image's corner
        HeatMap corner = assertHottestInCell(300, 200, crop(224), grid, grid - 1);
        int p = corner.argmax();
        assertTrue(p % 300 >= 221 && p % 300 < 250 && p / 300 < 29, "pixel " + p % 300 + "," + p / 300);
    }

    @Test
    void centreCropOfAPortraitImageAndUnevenRounding() {
        // 200x300 -> 224x336, crop from y = 56 -> y 50, side 200
        CropBox portrait = CropBox.of(200, 300, crop(224));
        assertEquals(50, portrait.y(), 1e-9);
        assertEquals(0, portrait.x(), 1e-9);
        assertHottestInCell(200, 300, crop(224), 7, 48);
        // 320x240 -> 299x224 (298.67 rounded), crop from x = 37: x = 37 * 320/299, side 224 * 320/299
        CropBox uneven = CropBox.of(320, 240, crop(224));
        assertEquals(37 * 320.0 / 299, uneven.x(), 1e-9);
        assertEquals(224 * 320.0 / 299, uneven.width(), 1e-9);
        assertEquals(240, uneven.height(), 1e-9);
        assertHottestInCell(320, 240, crop(224), 14, 13);
    }

    @Test
    void squarePolicyCoversTheWholeImageWithStretchedCells() {
        CropBox box = CropBox.of(400, 100, square(224));
        assertTrue(box.coversWhole(400, 100));
        assertHottestInCell(400, 100, square(224), 7, 6);
        assertHottestInCell(400, 100, square(224), 7, 42);
    }

    @Test
    void largeImagesGoThroughTheWorkingRasterAndStillPeakInTheCell() {
        assertHottestInCell(1400, 1000, crop(224), 14, 14 * 13);
        assertHottestInCell(1400, 1000, crop(224), 14, 14 * 6 + 9);
    }

    @Test
    void uniformAttentionIsFlatInsideTheCropAndZeroOutside() {
        CropBox box = CropBox.of(300, 200, crop(224));
        HeatMap heat = HeatMap.of(Pictures.uniform(7), 7, box, 300, 200, 12);
        assertEquals(1f, heat.at(50, 0), 1e-5f);
        assertEquals(1f, heat.at(150, 100), 1e-5f);
        assertEquals(1f, heat.at(249, 199), 1e-5f);
        assertEquals(0f, heat.at(49, 100));
        assertEquals(0f, heat.at(250, 100));
    }

    @Test
    void smoothingSpreadsTheHeat() {
        CropBox box = CropBox.whole(140, 140);
        float[] alpha = Pictures.oneHot(7, 24);
        int sharp = countAbove(HeatMap.of(alpha, 7, box, 140, 140, 0), 0.5f);
        int smooth = countAbove(HeatMap.of(alpha, 7, box, 140, 140, 15), 0.5f);
        assertTrue(smooth > 1.5 * sharp, "half-maximum area " + sharp + " without smoothing, " + smooth + " with");
    }

    @Test
    void overlayBlendsTheColourMapAtTheOpacityAndDimsWhatTheModelDidNotSee() {
        BufferedImage image = Pictures.twoShapes(300, 200);
        CropBox box = CropBox.of(300, 200, crop(224));
        HeatMap heat = HeatMap.of(Pictures.oneHot(7, 24), 7, box, 300, 200, 10);
        BufferedImage over = Overlay.blend(image, heat, box, ColourMap.VIRIDIS, 0.6);
        int p = heat.argmax();
        int x = p % 300;
        int y = p / 300;
        int base = image.getRGB(x, y);
        int top = 0xfde725;
        for (int shift : new int[] {16, 8, 0}) {
            int expected = (int) Math.round((base >> shift & 0xff) * 0.4 + (top >> shift & 0xff) * 0.6);
            assertEquals(expected, over.getRGB(x, y) >> shift & 0xff, 1, "channel at shift " + shift);
        }
        int outside = over.getRGB(10, 100);
        int original = image.getRGB(10, 100);
        assertTrue(brightness(outside) < 0.6 * brightness(original), "outside the crop is dimmed");
    }

    @Test
    void malformedAttentionIsRefused() {
        CropBox box = CropBox.whole(10, 10);
        assertThrows(IllegalArgumentException.class, () -> HeatMap.of(new float[5], 2, box, 10, 10, 1));
        float[] negative = Pictures.uniform(2);
        negative[1] = -0.1f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeatMap.of(negative, 2, box, 10, 10, 1));
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
        float[] nan = Pictures.uniform(2);
        nan[0] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> HeatMap.of(nan, 2, box, 10, 10, 1));
    }

    private static int countAbove(HeatMap heat, float level) {
        int n = 0;
        for (float v : heat.values()) {
            n += v > level ? 1 : 0;
        }
        return n;
    }

    private static int brightness(int rgb) {
        return (rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff);
    }

    @Test
    void aKernelWiderThanTheImageIsSummedOnceAtEachEnd() {
        // Against the plain convolution with replicated edges, for kernels shorter and longer than the line.
        java.util.Random random = new java.util.Random(3);
        int w = 9;
        int h = 4;
        for (double sigma : new double[] {1.0, 2.5, 3.0, 40.0, 3000.0}) {
            float[] img = new float[w * h];
            for (int i = 0; i < img.length; i++) {
                img[i] = random.nextFloat();
            }
            float[] expected = img.clone();
            int radius = (int) Math.ceil(3 * sigma);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    double sum = 0;
                    for (int d = -radius; d <= radius; d++) {
                        double k = Math.exp(-0.5 * d * d / (sigma * sigma));
                        s += k * img[y * w + Math.min(w - 1, Math.max(0, x + d))];
                        sum += k;
                    }
                    expected[y * w + x] = (float) (s / sum);
                }
            }
            HeatMap.blur(img, w, h, sigma, true);
            for (int i = 0; i < img.length; i++) {
                assertEquals(expected[i], img[i], 1e-5, "sigma " + sigma + " at " + i);
            }
        }
        // The widest smoothing accepted over a large box takes no longer than a narrow one would.
        float[] alpha = new float[49];
        alpha[24] = 1;
        HeatMap flat = HeatMap.of(alpha, 7, CropBox.whole(2000, 2000), 2000, 2000, ExplainOptions.MAX_SMOOTH_PIXELS);
        assertTrue(flat.values()[0] > 0.99f, "so wide a blur leaves the map flat: " + flat.values()[0]);
        assertThrows(IllegalArgumentException.class, () -> HeatMap.of(alpha, 7, CropBox.whole(20, 20), 20, 20, 1e9));
    }
}

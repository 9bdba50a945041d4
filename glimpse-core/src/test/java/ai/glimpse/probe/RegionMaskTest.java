package ai.glimpse.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.explain.CropBox;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pixel boxes become grid cells, and masking replaces exactly those cells' features. */
class RegionMaskTest {
    @Test
    void aBoxMasksTheCellsItOverlapsAndTouchingIsNotOverlapping() {
        CropBox whole = CropBox.whole(64, 64);                         // 4x4 cells of 16 pixels
        assertArrayEquals(new int[] {1}, RegionMask.covering(List.of(PixelBox.parse("20,0,10,10")), whole, 4).regions());
        assertArrayEquals(new int[] {5}, RegionMask.covering(List.of(PixelBox.parse("16,16,16,16")), whole, 4).regions(),
                "exactly one cell: its neighbours only touch it");
        assertArrayEquals(new int[] {5, 6, 9, 10}, RegionMask.covering(List.of(PixelBox.parse("17, 17, 16, 16")), whole, 4).regions());
        assertArrayEquals(new int[] {0, 15}, RegionMask.covering(List.of(new PixelBox(0, 0, 1, 1), new PixelBox(63, 63, 5, 5)),
                whole, 4).regions(), "several boxes, one reaching past the image");
        RegionMask outside = RegionMask.outside(List.of(PixelBox.parse("16,16,16,16")), whole, 4);
        assertEquals(15, outside.count());
        assertTrue(!outside.masks(5));
        assertEquals(16, outside.or(RegionMask.of(4, 5)).count());
    }

    @Test
    void theGridTilesTheCentreCropNotTheWholeImage() {
        // 300x200 -> shorter side 8: 12x8, crop from x = 2 -> the crop is x 50..250 of the original, cells of 100
        CropBox crop = CropBox.of(300, 200, new ImageOptions(8, ResizePolicy.SHORTER_SIDE_CENTER_CROP, false,
                ImageOptions.DEFAULT_MAX_PIXELS));
        assertArrayEquals(new int[] {0, 2}, RegionMask.covering(List.of(new PixelBox(0, 0, 60, 110)), crop, 2).regions());
        assertEquals(0, RegionMask.covering(List.of(new PixelBox(0, 0, 50, 200)), crop, 2).count(), "outside what the model saw");
    }

    @Test
    void maskingChangesExactlyTheFeaturesOfTheCoveredCells() {
        int grid = 4;
        int d = 5;
        float[] feats = new float[grid * grid * d];
        Random random = new Random(7);
        for (int i = 0; i < feats.length; i++) {
            feats[i] = random.nextFloat();
        }
        RegionMask mask = RegionMask.covering(List.of(PixelBox.parse("17,17,16,16")), CropBox.whole(64, 64), grid);
        float[] masked = mask.apply(feats);
        float[] mean = RegionMask.meanFeature(feats, 0, grid * grid, d);
        for (int l = 0; l < grid * grid; l++) {
            for (int k = 0; k < d; k++) {
                float expected = mask.masks(l) ? mean[k] : feats[l * d + k];
                assertEquals(expected, masked[l * d + k], 0f, "cell " + l + " feature " + k);
            }
        }
        double m0 = 0;
        for (int l = 0; l < grid * grid; l++) {
            m0 += feats[l * d];
        }
        assertEquals(m0 / 16, mean[0], 1e-6, "the image's mean feature");
        assertArrayEquals(feats, RegionMask.none(grid).apply(feats), 0f, "no mask, no change");
    }

    @Test
    void badBoxesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelBox.parse("1,2,3")).getMessage().contains("x,y,w,h"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelBox.parse("1,2,x,4")).getMessage().contains("'x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelBox.parse("1,2,0,4")).getMessage().contains("positive"));
        assertEquals("1,2,3.5,4", PixelBox.parse(" 1, 2 ,3.5,4 ").toString());
    }
}

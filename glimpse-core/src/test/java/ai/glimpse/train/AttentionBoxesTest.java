package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.eval.CategoryWords;
import ai.glimpse.eval.CocoInstances;
import ai.glimpse.explain.CropBox;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which steps of a caption are taught to look where, and at which cells. */
class AttentionBoxesTest {
    private static final ImageOptions INPUT = new ImageOptions(64, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS);

    private static CocoInstances.Instance object(String category, String colour, double x, double y, double w, double h) {
        return new CocoInstances.Instance(category, new Rectangle2D.Double(x, y, w, h), colour);
    }

    private static int[] on(boolean[] cells) {
        return java.util.stream.IntStream.range(0, cells.length).filter(l -> cells[l]).toArray();
    }

    @Test
    void aNounLooksAtTheBoxOfItsColourAndOtherWordsAreFree() {
        // a 64x64 image, 4x4 cells of 16: a red circle over cells 0, 1; a blue circle over cell 15; a star over cell 10
        CocoInstances.ImageObjects image = new CocoInstances.ImageObjects(64, 64, List.of(
                object("circle", "red", 0, 0, 32, 16), object("circle", "blue", 48, 48, 16, 16), object("star", "green", 36, 36, 8, 8)));
        CategoryWords names = new CategoryWords(List.of("circle", "star", "square"), Map.of());
        List<Integer> steps = new ArrayList<>();
        List<boolean[]> cells = new ArrayList<>();
        int n = AttentionBoxes.supervise(List.of("a", "red", "circle", "and", "a", "star", "and", "two", "circles", "and", "a",
                "square"), image, names, INPUT, 4, steps, cells);
        assertEquals(3, n, "circle, star, circles; no square in the image");
        assertEquals(List.of(2, 5, 8), steps, "word j is the target of step j");
        assertArrayEquals(new int[] {0, 1}, on(cells.get(0)), "the red circle only");
        assertArrayEquals(new int[] {10}, on(cells.get(1)), "a star smaller than a cell: the cell its box overlaps");
        assertArrayEquals(new int[] {0, 1, 15}, on(cells.get(2)), "no colour said: every circle");
    }

    @Test
    void cellsAreThoseWhoseCentreIsInTheBoxElseThoseItOverlaps() {
        CropBox whole = CropBox.whole(64, 64);
        assertArrayEquals(new int[] {5, 6, 9, 10}, on(AttentionBoxes.cellsOf(List.of(new Rectangle2D.Double(20, 20, 24, 24)), whole, 4)));
        assertArrayEquals(new int[] {0, 1}, on(AttentionBoxes.cellsOf(List.of(new Rectangle2D.Double(10, 2, 10, 4)), whole, 4)),
                "a box with no centre in it: the two cells it overlaps");
    }
}

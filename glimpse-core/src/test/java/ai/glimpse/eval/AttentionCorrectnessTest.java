package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.decode.Caption;
import ai.glimpse.explain.CropBox;
import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attention correctness on hand-made attention and boxes. */
class AttentionCorrectnessTest {
    @TempDir
    Path dir;

    private static float[] uniform(int l) {
        float[] a = new float[l];
        Arrays.fill(a, 1f / l);
        return a;
    }

    private static float[] oneHot(int l, int cell) {
        float[] a = new float[l];
        a[cell] = 1f;
        return a;
    }

    @Test
    void uniformAttentionScoresExactlyTheBaseline() {
        // 40 x 40 image seen whole; a 10 x 20 box is 200 / 1600 = 0.125 of it.
        boolean[] mask = AttentionCorrectness.rasterise(List.of(new Rectangle2D.Double(5, 5, 10, 20)), 40, 40);
        CropBox whole = CropBox.whole(40, 40);
        assertEquals(0.125, AttentionCorrectness.baseline(mask, whole, 40, 40), 1e-12);
        assertEquals(0.125, AttentionCorrectness.share(uniform(16), 4, whole, mask, 40, 40), 1e-6);
    }

    @Test
    void peakedAttentionOnTheObjectBeatsTheBaselineAndElsewhereFallsBelow() {
        // grid 4 over 40 px: cell (1, 1) spans x, y in [10, 20); the box is exactly that cell.
        boolean[] mask = AttentionCorrectness.rasterise(List.of(new Rectangle2D.Double(10, 10, 10, 10)), 40, 40);
        CropBox whole = CropBox.whole(40, 40);
        double on = AttentionCorrectness.share(oneHot(16, 5), 4, whole, mask, 40, 40);
        double off = AttentionCorrectness.share(oneHot(16, 15), 4, whole, mask, 40, 40);
        double base = AttentionCorrectness.baseline(mask, whole, 40, 40);
        assertEquals(0.0625, base, 1e-12);
        assertTrue(on > 0.5, "most of a one-hot's upsampled mass stays in its cell: " + on);
        assertTrue(off < 0.01, "attention on the far corner puts almost nothing on the box: " + off);
    }

    @Test
    void thePeakCountsWhenItsCellCentreIsInsideABox() {
        // grid 4 over 40 px: cell centres at 5, 15, 25, 35; the box [12, 28) x [12, 22) holds the centres of cells (1, 1) and (1, 2)
        List<java.awt.geom.Rectangle2D> boxes = List.of(new Rectangle2D.Double(12, 12, 16, 10));
        CropBox whole = CropBox.whole(40, 40);
        assertTrue(AttentionCorrectness.peakInBoxes(oneHot(16, 5), 4, whole, boxes));
        assertTrue(AttentionCorrectness.peakInBoxes(oneHot(16, 6), 4, whole, boxes));
        assertFalse(AttentionCorrectness.peakInBoxes(oneHot(16, 9), 4, whole, boxes));
        float[] twoPeaks = uniform(16);
        twoPeaks[15] = 0.5f;
        twoPeaks[5] = 0.4f;
        assertFalse(AttentionCorrectness.peakInBoxes(twoPeaks, 4, whole, boxes), "only the highest cell counts");
        assertEquals(2.0 / 16, AttentionCorrectness.cellsInBoxes(4, whole, boxes), 1e-12);
        // a crop of the right half: its 4x4 cells are 5 px wide, centres at x = 22.5, 27.5, 32.5, 37.5
        CropBox right = new CropBox(20, 0, 20, 40);
        assertEquals(2.0 / 16, AttentionCorrectness.cellsInBoxes(4, right, boxes), 1e-12);
    }

    @Test
    void objectsOutsideTheCentreCropGetNoAttentionAndNoBaseline() {
        // 40 x 20 image, centre crop is x in [10, 30); the object lies in x in [0, 10).
        boolean[] mask = AttentionCorrectness.rasterise(List.of(new Rectangle2D.Double(0, 0, 10, 20)), 40, 20);
        CropBox crop = new CropBox(10, 0, 20, 20);
        assertEquals(0, AttentionCorrectness.baseline(mask, crop, 40, 20), 1e-12);
        assertEquals(0, AttentionCorrectness.share(uniform(4), 2, crop, mask, 40, 20), 1e-12);
    }

    @Test
    void wordsMapToCategoriesThroughPluralsSynonymsAndPhrases() {
        CategoryWords w = new CategoryWords(List.of("square", "box", "traffic light", "person", "wolf"),
                Map.of("man", "person", "disc", "circle"));
        assertEquals(new CategoryWords.Match("square", 1), w.match(List.of("two", "red", "squares"), 2));
        assertEquals(new CategoryWords.Match("box", 1), w.match(List.of("boxes"), 0));
        assertEquals(new CategoryWords.Match("wolf", 1), w.match(List.of("wolves"), 0));
        assertEquals(new CategoryWords.Match("person", 1), w.match(List.of("a", "man"), 1));
        assertEquals(new CategoryWords.Match("person", 1), w.match(List.of("people"), 0));
        assertEquals(new CategoryWords.Match("traffic light", 2), w.match(List.of("a", "traffic", "light"), 1));
        assertNull(w.match(List.of("a", "disc"), 1), "a synonym of a category the file does not have is ignored");
    }

    /** Image 7, 40 x 40, holds one square covering cell (1, 1) of a 4x4 grid; circle is a category too. */
    private CocoInstances oneSquare() throws Exception {
        Path file = dir.resolve("instances.json");
        Files.writeString(file, """
                {"images": [{"id": 7, "width": 40, "height": 40, "file_name": "x.png"}],
                 "categories": [{"id": 1, "name": "square"}, {"id": 2, "name": "circle"}],
                 "annotations": [{"id": 1, "image_id": 7, "category_id": 1, "bbox": [10, 10, 10, 10],
                                  "segmentation": [[10, 10, 20, 10, 20, 20, 10, 20]], "area": 100, "iscrowd": 0}]}
                """);
        CocoInstances inst = CocoInstances.read(file);
        return inst;
    }

    @Test
    void scoresOnlyWordsWhoseCategoryIsAnnotatedAndReportsPerCategory() throws Exception {
        CocoInstances inst = oneSquare();
        AttentionCorrectness ac = new AttentionCorrectness(new CategoryWords(inst.categories().values(), Map.of()));
        Caption c = new Caption(List.of("a", "square", "and", "a", "circle"), -3,
                new float[][] {uniform(16), oneHot(16, 5), uniform(16), uniform(16), oneHot(16, 0), uniform(16)},
                new float[] {.5f, .5f, .5f, .5f, .5f, .5f}, true);
        assertEquals(1, ac.add(c, inst.images().get("7"), CropBox.whole(40, 40)), "circle is not in this image");
        AttentionCorrectness.Report r = ac.report();
        assertEquals(1, r.words());
        assertEquals(0.0625, r.baseline(), 1e-12);
        assertTrue(r.correctness() > 0.5);
        assertEquals(List.of("square"), List.copyOf(r.perCategory().keySet()));
        assertEquals(1.0, r.peakInBox());
        assertEquals(1.0, r.phrasePeakInBox());
    }

    @Test
    void theNounPhraseSumsTheAttentionOfTheNounAndTheModifiersBeforeIt() throws Exception {
        CocoInstances inst = oneSquare();
        CategoryWords words = new CategoryWords(inst.categories().values(), Map.of());
        AttentionCorrectness ac = new AttentionCorrectness(words);
        assertEquals(1, ac.phraseStart(List.of("a", "small", "red", "square"), 3), "back to the determiner, not including it");
        assertEquals(2, ac.phraseStart(List.of("a", "circle", "big", "square"), 3), "back to the other noun");
        assertEquals(0, ac.phraseStart(List.of("red", "square"), 1));
        assertEquals(2, ac.phraseStart(List.of("circle", "and", "square"), 2), "a function word ends it at once");
        // the model looked at the square (cell 5) for "small" and "red", and away (cell 15) for the noun:
        // the noun's own peak misses, the phrase's summed attention peaks on the square
        float[] away = oneHot(16, 15);
        float[] on = oneHot(16, 5);
        Caption c = new Caption(List.of("a", "small", "red", "square"), -3,
                new float[][] {uniform(16), on, on, away, uniform(16)}, new float[] {.5f, .5f, .5f, .05f, .5f}, true);
        assertEquals(1, ac.add(c, inst.images().get("7"), CropBox.whole(40, 40)));
        AttentionCorrectness.Report r = ac.report();
        assertEquals(0.0, r.peakInBox());
        assertEquals(1.0, r.phrasePeakInBox());
        assertEquals(1.0 / 16, r.peakChance(), 1e-12);
    }
}

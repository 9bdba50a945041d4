package ai.glimpse.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.synth.SynthFiles.Img;
import ai.glimpse.synth.SynthFiles.Obj;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Captions of hand-made scenes whose right descriptions are known. */
class CaptionGrammarTest {
    private static final int SIZE = 128;

    private static SceneObject shape(Shape shape, Colour colour, Size size, double cx, double cy) {
        double side = size.fraction() * SIZE;
        return new SceneObject(shape, colour, size, shape.outline(cx, cy, side));
    }

    private static List<String> captions(Background background, long seed, SceneObject... objects) {
        return CaptionGrammar.captions(new Scene(SIZE, background, 1, List.of(objects)), new SplittableRandom(seed));
    }

    /** The scene as the test's COCO reader sees it, for {@link CaptionCheck}. */
    private static Img img(SceneObject... objects) {
        List<Obj> objs = new ArrayList<>();
        for (SceneObject o : objects) {
            Box b = o.box();
            objs.add(new Obj(objs.size() + 1, o.figure().noun(), o.colour().word(), o.size().word(),
                    b.x(), b.y(), b.width(), b.height(), o.outline().area(), List.of()));
        }
        return new Img(1, "x.png", "train", "grass", objs, List.of());
    }

    @Test
    void aCircleLeftOfASquareIsDescribedAsSuch() {
        SceneObject circle = shape(Shape.CIRCLE, Colour.RED, Size.SMALL, 20, 60);
        SceneObject square = shape(Shape.SQUARE, Colour.BLUE, Size.SMALL, 90, 64);
        for (long seed = 0; seed < 20; seed++) {
            List<String> captions = captions(Background.SAND, seed, circle, square);
            assertEquals(5, new HashSet<>(captions).size());
            int relations = 0;
            for (String c : captions) {
                String lower = c.toLowerCase(Locale.ROOT);
                assertTrue(lower.contains("red circle") && lower.contains("blue square"), c);
                assertFalse(lower.contains("above") || lower.contains("below") || lower.contains("under"), c);
                List<String> stated = CaptionCheck.check(c, img(circle, square));
                relations += stated.size();
                if (lower.matches(".*red circle (to the )?left of .*")) {
                    assertTrue(lower.contains("blue square"));
                }
                assertFalse(lower.matches(".*red circle (to the )?right of.*"), c);
                assertFalse(lower.matches(".*blue square (to the )?left of.*"), c);
            }
            assertTrue(relations >= CaptionGrammar.RELATION_CAPTIONS, captions.toString());
        }
    }

    @Test
    void stackedObjectsAreAboveAndBelow() {
        SceneObject star = shape(Shape.STAR, Colour.ORANGE, Size.LARGE, 64, 30);
        SceneObject hexagon = shape(Shape.HEXAGON, Colour.PURPLE, Size.SMALL, 70, 100);
        for (long seed = 0; seed < 20; seed++) {
            for (String c : captions(Background.WATER, seed, star, hexagon)) {
                String lower = c.toLowerCase(Locale.ROOT);
                CaptionCheck.check(c, img(star, hexagon));
                assertFalse(lower.contains("left") || lower.contains("right") || lower.contains("next") || lower.contains("beside"), c);
                assertFalse(lower.matches(".*orange star (below|under).*") || lower.matches(".*hexagon above.*"), c);
                assertFalse(lower.contains("a orange"), "an before a vowel: " + c);
            }
        }
    }

    @Test
    void sizeTellsLookAlikesApart() {
        SceneObject small = shape(Shape.CIRCLE, Colour.RED, Size.SMALL, 30, 30);
        SceneObject large = shape(Shape.CIRCLE, Colour.RED, Size.LARGE, 80, 85);
        for (long seed = 0; seed < 20; seed++) {
            for (String c : captions(Background.PLAIN, seed, small, large)) {
                String lower = c.toLowerCase(Locale.ROOT);
                assertTrue(lower.contains("small red circle") && lower.contains("large red circle"), c);
                CaptionCheck.check(c, img(small, large));
            }
        }
    }

    @Test
    void identicalObjectsAreCountedAndPlacedAsAPair() {
        SceneObject top = shape(Shape.SQUARE, Colour.GREEN, Size.SMALL, 60, 25);
        SceneObject bottom = shape(Shape.SQUARE, Colour.GREEN, Size.SMALL, 64, 90);
        for (long seed = 0; seed < 20; seed++) {
            List<String> captions = captions(Background.SNOW, seed, top, bottom);
            long placed = captions.stream().filter(c -> c.contains("one above the other")).count();
            assertTrue(placed >= CaptionGrammar.RELATION_CAPTIONS, captions.toString());
            for (String c : captions) {
                assertTrue(c.toLowerCase(Locale.ROOT).matches(".*two (small )?green squares.*"), c);
                assertTrue(c.startsWith("Two") || !c.contains("there is two") && !c.contains("There is two"), c);
                CaptionCheck.check(c, img(top, bottom));
            }
        }
    }

    @Test
    void threeObjectsGetTwoCorrectRelations() {
        SceneObject a = shape(Shape.TRIANGLE, Colour.YELLOW, Size.SMALL, 20, 20);
        SceneObject b = shape(Shape.DIAMOND, Colour.BLUE, Size.SMALL, 100, 30);
        SceneObject c = shape(Shape.STAR, Colour.RED, Size.LARGE, 50, 95);
        for (long seed = 0; seed < 20; seed++) {
            List<String> captions = captions(Background.GRASS, seed, a, b, c);
            int twoRelations = 0;
            for (String caption : captions) {
                twoRelations += CaptionCheck.check(caption, img(a, b, c)).size() == 2 ? 1 : 0;
            }
            assertTrue(twoRelations >= CaptionGrammar.RELATION_CAPTIONS, captions.toString());
        }
    }

    @Test
    void sameRandomGivesSameCaptions() {
        SceneObject circle = shape(Shape.CIRCLE, Colour.RED, Size.SMALL, 20, 60);
        assertEquals(captions(Background.GRASS, 5, circle), captions(Background.GRASS, 5, circle));
    }

    @Test
    void relationsFollowTheDominantAxis() {
        Box s = new Box(0, 0, 10, 10);
        assertEquals(List.of(Relation.LEFT_OF, Relation.NEXT_TO), Relation.holding(s, new Box(30, 5, 10, 10)));
        assertEquals(List.of(Relation.RIGHT_OF, Relation.NEXT_TO), Relation.holding(new Box(30, 5, 10, 10), s));
        assertEquals(List.of(Relation.ABOVE), Relation.holding(s, new Box(12, 30, 10, 10)));
        assertEquals(List.of(Relation.BELOW), Relation.holding(new Box(12, 30, 10, 10), s));
        assertEquals(List.of(Relation.LEFT_OF), Relation.holding(s, new Box(22, 20, 10, 10)), "diagonal: not next to");
        assertEquals(List.of(Relation.LEFT_OF, Relation.NEXT_TO), Relation.holdingForAll(List.of(s, new Box(0, 40, 10, 10)),
                List.of(new Box(50, 20, 10, 10))), "holds for both members of the pair");
        assertEquals(List.of(Relation.LEFT_OF), Relation.holdingForAll(List.of(s, new Box(0, 40, 10, 10)),
                List.of(new Box(22, 20, 10, 10))), "next to holds for neither member");
        assertEquals(List.of(Relation.NEXT_TO), Relation.holdingForAll(List.of(s, new Box(60, 0, 10, 10)),
                List.of(new Box(30, 0, 10, 10))), "only 'next to' holds for a pair on both sides");
        assertEquals(List.of(), Relation.holdingForAll(List.of(s, new Box(0, 60, 10, 10)), List.of(new Box(0, 30, 10, 10))),
                "nothing holds for a pair above and below");
    }
}

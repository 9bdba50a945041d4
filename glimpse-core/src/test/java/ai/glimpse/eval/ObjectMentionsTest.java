package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An object counts as named when its category, and its colour when annotated, appear together. */
class ObjectMentionsTest {
    private static CocoInstances.Instance object(String category, String colour) {
        return new CocoInstances.Instance(category, new Rectangle2D.Double(0, 0, 1, 1), colour);
    }

    @Test
    void countsShapesNamedWithTheirColour() {
        ObjectMentions m = new ObjectMentions(new CategoryWords(List.of("circle", "square", "star"), Map.of()));
        List<String> caption = List.of("a", "small", "red", "circle", "and", "two", "blue", "squares", "on", "the", "grass");
        m.add(caption, new CocoInstances.ImageObjects(64, 64, List.of(object("circle", "red"), object("square", "blue"),
                object("square", "blue"), object("star", "green"), object("square", "red"))));
        assertEquals(5, m.objects());
        assertEquals(4, m.named(), "only the star is not named at all");
        assertEquals(3, m.namedWithColour(), "the green star is not named and 'red' does not precede 'square'");
        assertEquals(0.6, m.colourShare(), 1e-12);
    }

    @Test
    void withoutColoursTheCategoryAloneCounts() {
        // (colourShare is NaN: no object has a colour)
        ObjectMentions m = new ObjectMentions(new CategoryWords(List.of("dog", "wolf"), Map.of()));
        m.add(List.of("a", "wolf", "in", "the", "snow"), new CocoInstances.ImageObjects(64, 64, List.of(object("dog", null))));
        m.add(List.of("a", "wolf", "on", "the", "grass"), new CocoInstances.ImageObjects(64, 64, List.of(object("wolf", null))));
        assertEquals(1, m.named());
        assertEquals(0.5, m.share(), 1e-12);
        assertEquals(Double.NaN, m.colourShare());
    }
}

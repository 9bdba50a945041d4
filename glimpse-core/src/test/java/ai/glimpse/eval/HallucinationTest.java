package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CHAIR, the deletion test's summary and the counterfactual counts against captions counted by hand. */
class HallucinationTest {
    private static CocoInstances.ImageObjects image(String... categories) {
        return new CocoInstances.ImageObjects(64, 64, java.util.Arrays.stream(categories)
                .map(c -> new CocoInstances.Instance(c, new Rectangle2D.Double(0, 0, 8, 8), null)).toList());
    }

    private static List<String> words(String caption) {
        return List.of(caption.split(" "));
    }

    @Test
    void chairCountsMentionsOfWhatIsNotThereAndTheCaptionsWithOne() {
        Hallucination h = new Hallucination(new CategoryWords(List.of("dog", "cat", "person", "traffic light"),
                CategoryWords.DEFAULT_SYNONYMS));
        // by hand: mentions dog, cat | man(person), traffic light, dogs | cat | (none) -> 6 mentions
        h.add(words("a dog chasing a cat"), image("dog"));                        // cat: hallucinated
        h.add(words("a man under a traffic light with two dogs"), image("person", "traffic light"));  // dogs: hallucinated
        h.add(words("a cat on a sofa"), image("cat"));                            // none
        h.add(words("an empty street"), image("person"));                        // no mention at all
        assertEquals(6, h.mentions());
        assertEquals(2, h.hallucinated());
        assertEquals(2.0 / 6, h.chairI(), 1e-12);
        assertEquals(4, h.captions());
        assertEquals(2, h.captionsWithHallucination());
        assertEquals(0.5, h.chairS(), 1e-12);
        assertTrue(h.line().contains("CHAIR-i 33.33%") && h.line().contains("CHAIR-s 50.00%"), h.line());
        Hallucination none = new Hallucination(new CategoryWords(List.of("dog"), Map.of()));
        assertEquals(Double.NaN, none.chairI());
    }

    @Test
    void theDeletionSummarySplitsNounsColoursOtherWordsAndTheEnd() {
        FaithfulnessSummary s = new FaithfulnessSummary(new CategoryWords(List.of("dog", "wolf"), Map.of()), Set.of("brown"));
        // "a brown wolf" + <end> on a dog's picture: a(other) brown(colour) wolf(noun, absent) <end>
        s.add(words("a brown wolf"), new double[] {0.0, 1.0, 0.2, 0.0}, new double[] {0.0, 0.1, 0.4, 0.0},
                new boolean[] {false, true, false, false}, image("dog"));
        s.add(words("a dog"), new double[] {0.5, 2.0, 0.0}, new double[] {0.1, 0.0, 0.0}, new boolean[] {true, true, false},
                image("dog"));
        List<FaithfulnessSummary.Row> kinds = s.kinds();
        assertEquals(List.of("all", "object nouns", "colours", "other words", "<end>"),
                kinds.stream().map(FaithfulnessSummary.Row::name).toList());
        FaithfulnessSummary.Row all = kinds.get(0);
        assertEquals(7, all.steps());
        assertEquals(3.7 / 7, all.meanDropTop(), 1e-12);
        assertEquals(3.0 / 7, all.hurtShare(), 1e-12);
        FaithfulnessSummary.Row nouns = kinds.get(1);
        assertEquals(2, nouns.steps());
        assertEquals(1.1, nouns.meanDropTop(), 1e-12);
        assertEquals(0.2, nouns.meanDropControl(), 1e-12);
        assertEquals(0.5, nouns.hurtShare(), 1e-12);
        assertEquals(2, kinds.get(3).steps(), "the two 'a'");
        assertEquals(List.of("\u201cdog\u201d with a dog in the image", "\u201cwolf\u201d without a wolf in the image"),
                s.nouns().stream().map(FaithfulnessSummary.Row::name).toList());
    }

    @Test
    void counterfactualsCountWhatIsNamedPerConditionForImagesOfOneCategory() {
        CounterfactualSummary s = new CounterfactualSummary(new CategoryWords(List.of("dog", "wolf"), Map.of()));
        assertTrue(s.add(image("dog"), words("a wolf in the snow"), words("a wolf in the snow"), words("a dog")));
        assertTrue(s.add(image("dog"), words("a wolf in the snow"), words("snow"), words("a dog and a wolf")));
        assertTrue(!s.add(image("dog", "wolf"), words("a wolf"), words("a wolf"), words("a wolf")), "two categories");
        assertEquals(2, s.images("dog"));
        assertEquals(2, s.count("dog", "wolf", 0));
        assertEquals(1, s.count("dog", "wolf", 1));
        assertEquals(1, s.count("dog", "none", 1));
        assertEquals(1, s.count("dog", "dog", 2));
        assertEquals(1, s.count("dog", "dog+wolf", 2));
        assertTrue(String.join("\n", s.lines("h")).contains("outside masked   dog 1 (50.0%)"), String.join("\n", s.lines("h")));
    }
}

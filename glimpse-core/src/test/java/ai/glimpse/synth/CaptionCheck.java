package ai.glimpse.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.glimpse.synth.SynthFiles.Img;
import ai.glimpse.synth.SynthFiles.Obj;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a shapes caption back and checks it against the annotated objects: every noun phrase names
 * exactly as many objects as it says, every object is named, and every relation between two noun
 * phrases (or within a named pair) holds for the boxes' centres. Written independently of the
 * grammar, from the rules of the task: left/right when the centres are further apart horizontally,
 * above/below when vertically, "next to" when the horizontal offset is at least 1.25 times the vertical,
 * "side by side" for a pair further apart horizontally, "one above the other" for one further apart vertically.
 */
final class CaptionCheck {
    private static final Pattern MENTION = Pattern.compile(
            "(?:(?:the )?(two|three) |(?:a|an|the) )(?:(small|large) )?(red|orange|yellow|green|blue|purple) "
                    + "(square|circle|triangle|star|diamond|hexagon)(s?)\\b");
    private static final double TOLERANCE = 0.05;   // boxes are rounded to 0.01 px in the files

    private CaptionCheck() {
    }

    /** Relations stated in {@code caption}, after checking them; fails the test on any wrong statement. */
    static List<String> check(String caption, Img image) {
        assertTrue(caption.matches("[A-Z][a-z ,]*\\."), "caption is one capitalised sentence: " + caption);
        String text = caption.substring(0, caption.length() - 1).toLowerCase(Locale.ROOT);
        Set<Obj> named = new HashSet<>();
        List<String> relations = new ArrayList<>();
        for (String part : text.split(", | and ")) {
            Matcher m = MENTION.matcher(part);
            List<List<Obj>> mentions = new ArrayList<>();
            List<int[]> spans = new ArrayList<>();
            while (m.find()) {
                List<Obj> objs = resolve(m, image, caption);
                named.addAll(objs);
                mentions.add(objs);
                spans.add(new int[] {m.start(), m.end()});
            }
            if (mentions.size() == 2) {
                String between = part.substring(spans.get(0)[1], spans.get(1)[0]).strip();
                relations.add(between);
                for (Obj s : mentions.get(0)) {
                    for (Obj o : mentions.get(1)) {
                        assertTrue(holds(between, s, o), "'" + between + "' is wrong for " + s + " and " + o + " in: " + caption);
                    }
                }
            } else if (mentions.size() == 1) {
                String after = part.substring(spans.get(0)[1]).strip();
                List<Obj> pair = mentions.get(0);
                for (String phrase : List.of("next to each other", "side by side", "one above the other")) {
                    if (after.startsWith(phrase)) {
                        assertEquals(2, pair.size(), "only a pair stands " + phrase + ": " + caption);
                        relations.add(phrase);
                        double dx = Math.abs(pair.get(0).cx() - pair.get(1).cx());
                        double dy = Math.abs(pair.get(0).cy() - pair.get(1).cy());
                        boolean right = switch (phrase) {
                            case "one above the other" -> dy >= dx - TOLERANCE;
                            case "side by side" -> dx >= dy - TOLERANCE;
                            default -> dx >= 1.25 * dy - TOLERANCE;
                        };
                        assertTrue(right, phrase + " is wrong for " + pair + ": " + caption);
                    }
                }
            } else {
                fail("expected one or two noun phrases in '" + part + "' of: " + caption);
            }
        }
        assertEquals(new HashSet<>(image.objects()), named, "every object is named in: " + caption);
        return relations;
    }

    private static List<Obj> resolve(Matcher m, Img image, String caption) {
        int count = m.group(1) == null ? 1 : m.group(1).equals("two") ? 2 : 3;
        assertEquals(count > 1, !m.group(5).isEmpty(), "number agrees with the noun in: " + caption);
        List<Obj> matches = image.objects().stream()
                .filter(o -> o.category().equals(m.group(4)) && o.colour().equals(m.group(3)))
                .filter(o -> m.group(2) == null || o.size().equals(m.group(2)))
                .toList();
        assertEquals(count, matches.size(), "'" + m.group() + "' names exactly " + count + " object(s) in: " + caption);
        return matches;
    }

    /** Whether {@code phrase} is true of subject {@code s} against object {@code o}. */
    static boolean holds(String phrase, Obj s, Obj o) {
        double dx = o.cx() - s.cx();     // > 0: the object is further right, so the subject is left of it
        double dy = o.cy() - s.cy();     // > 0: the object is lower, so the subject is above it
        boolean horizontal = Math.abs(dx) >= Math.abs(dy) - TOLERANCE;
        boolean vertical = Math.abs(dy) >= Math.abs(dx) - TOLERANCE;
        return switch (phrase) {
            case "to the left of", "left of" -> dx > 0 && horizontal;
            case "to the right of", "right of" -> dx < 0 && horizontal;
            case "above" -> dy > 0 && vertical;
            case "below", "under" -> dy < 0 && vertical;
            case "next to", "beside" -> Math.abs(dx) >= 1.25 * Math.abs(dy) - TOLERANCE;
            default -> throw new AssertionError("unknown relation '" + phrase + "'");
        };
    }
}

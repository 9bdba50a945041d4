package ai.glimpse.eval;

import java.util.List;
import java.util.Locale;

/**
 * How many annotated objects a caption names: by category (its name, plural or a synonym is mentioned)
 * and, for objects whose annotation gives a colour, by category and colour (the colour is the word right
 * before the mention: "a small red circle", "two red squares"). On synthetic shapes the second is the
 * share of objects whose shape and colour the model got right.
 */
public final class ObjectMentions {
    private final CategoryWords words;
    private long objects;
    private long named;
    private long withColour;
    private long namedWithColour;

    public ObjectMentions(CategoryWords words) {
        this.words = words;
    }

    /** Counts the objects of one image against its caption's words. */
    public void add(List<String> caption, CocoInstances.ImageObjects image) {
        for (CocoInstances.Instance o : image.objects()) {
            objects++;
            if (names(caption, o, false)) {
                named++;
            }
            if (o.colour() != null) {
                withColour++;
                if (names(caption, o, true)) {
                    namedWithColour++;
                }
            }
        }
    }

    private boolean names(List<String> caption, CocoInstances.Instance o, boolean colour) {
        for (int t = 0; t < caption.size(); t++) {
            CategoryWords.Match m = words.match(caption, t);
            if (m != null && m.category().equals(o.category())
                    && (!colour || t > 0 && caption.get(t - 1).equals(o.colour()))) {
                return true;
            }
        }
        return false;
    }

    public long objects() {
        return objects;
    }

    public long named() {
        return named;
    }

    /** Objects whose annotation gives a colour. */
    public long withColour() {
        return withColour;
    }

    /** Of those, how many the caption names with their colour. */
    public long namedWithColour() {
        return namedWithColour;
    }

    /** Share of objects named by category, NaN when there were none. */
    public double share() {
        return objects == 0 ? Double.NaN : (double) named / objects;
    }

    /** Share of coloured objects named with their colour, NaN when none has a colour. */
    public double colourShare() {
        return withColour == 0 ? Double.NaN : (double) namedWithColour / withColour;
    }

    public String line() {
        String base = String.format(Locale.ROOT, "objects named %d of %d (%.2f%%)", named, objects, 100 * share());
        return withColour == 0 ? base : base + String.format(Locale.ROOT, "; with their colour %d of %d (%.2f%%)",
                namedWithColour, withColour, 100 * colourShare());
    }
}

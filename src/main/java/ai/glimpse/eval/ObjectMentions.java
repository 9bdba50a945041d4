package ai.glimpse.eval;

import java.util.List;
import java.util.Locale;

/**
 * How many annotated objects a caption names: an object counts when its category is mentioned (name,
 * plural or synonym) and, where the annotation gives a colour, when that colour is the word right
 * before the mention ("a small red circle", "two red squares"). On synthetic scenes this is the share
 * of objects whose shape and colour the model got right.
 */
public final class ObjectMentions {
    private final CategoryWords words;
    private long objects;
    private long named;
    private long withColour;

    public ObjectMentions(CategoryWords words) {
        this.words = words;
    }

    /** Counts the objects of one image against its caption's words. */
    public void add(List<String> caption, CocoInstances.ImageObjects image) {
        for (CocoInstances.Instance o : image.objects()) {
            objects++;
            if (o.colour() != null) {
                withColour++;
            }
            if (names(caption, o)) {
                named++;
            }
        }
    }

    private boolean names(List<String> caption, CocoInstances.Instance o) {
        for (int t = 0; t < caption.size(); t++) {
            CategoryWords.Match m = words.match(caption, t);
            if (m != null && m.category().equals(o.category())
                    && (o.colour() == null || t > 0 && caption.get(t - 1).equals(o.colour()))) {
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

    /** Share of objects named, NaN when there were none. */
    public double share() {
        return objects == 0 ? Double.NaN : (double) named / objects;
    }

    public String line() {
        return String.format(Locale.ROOT, "objects named %d of %d (%.2f%%)%s", named, objects, 100 * share(),
                withColour > 0 ? ", with their colour" : "");
    }
}

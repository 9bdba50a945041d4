package ai.glimpse.eval;

import java.util.List;
import java.util.Locale;

/**
 * CHAIR, the object hallucination measures of Rohrbach et al. (2018, "Object Hallucination in Image
 * Captioning"): CHAIR-i is the share of the object mentions in the captions whose category is not
 * annotated in the image, CHAIR-s the share of captions with at least one such mention. Mentions are found
 * as {@link CategoryWords} finds them (category names, plurals, synonyms; a caption naming a category
 * twice mentions it twice).
 */
public final class Hallucination {
    private final CategoryWords words;
    private long mentions;
    private long hallucinated;
    private long captions;
    private long captionsWithOne;

    public Hallucination(CategoryWords words) {
        this.words = words;
    }

    /** Counts one caption's mentions against its image's objects. */
    public void add(List<String> caption, CocoInstances.ImageObjects image) {
        boolean any = false;
        for (int t = 0; t < caption.size(); ) {
            CategoryWords.Match m = words.match(caption, t);
            if (m == null) {
                t++;
                continue;
            }
            mentions++;
            if (image.objects().stream().noneMatch(o -> o.category().equals(m.category()))) {
                hallucinated++;
                any = true;
            }
            t += m.length();
        }
        captions++;
        captionsWithOne += any ? 1 : 0;
    }

    public long mentions() {
        return mentions;
    }

    public long hallucinated() {
        return hallucinated;
    }

    public long captions() {
        return captions;
    }

    public long captionsWithHallucination() {
        return captionsWithOne;
    }

    /** CHAIR-i: hallucinated mentions over all mentions (NaN when no caption mentions an object). */
    public double chairI() {
        return mentions == 0 ? Double.NaN : (double) hallucinated / mentions;
    }

    /** CHAIR-s: captions with a hallucinated mention over all captions (NaN without captions). */
    public double chairS() {
        return captions == 0 ? Double.NaN : (double) captionsWithOne / captions;
    }

    public String line() {
        return String.format(Locale.ROOT, "hallucination: CHAIR-i %.2f%% (%d of %d object mentions name nothing in the image), "
                + "CHAIR-s %.2f%% (%d of %d captions)", 100 * chairI(), hallucinated, mentions, 100 * chairS(), captionsWithOne,
                captions);
    }
}

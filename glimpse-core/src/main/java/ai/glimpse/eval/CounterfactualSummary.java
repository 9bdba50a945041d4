package ai.glimpse.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a model names when an image's objects, or everything around them, are masked
 * ({@code ai.glimpse.probe.RegionMask}): for images whose annotated objects are all of one category,
 * counts of the categories their captions name as captioned, with the objects' boxes masked, and with
 * everything outside the boxes masked. On the snow demo this is the shortcut in numbers: is a dog on snow
 * still a "wolf" without the dog, and does it become a "dog" without the snow?
 */
public final class CounterfactualSummary {
    /** The three captions of an image. */
    public static final List<String> CONDITIONS = List.of("as captioned", "objects masked", "outside masked");

    private final CategoryWords words;
    private final Map<String, long[]> images = new TreeMap<>();              // category -> {images}
    private final Map<String, Map<String, long[]>> named = new TreeMap<>();  // category -> named -> per condition

    public CounterfactualSummary(CategoryWords words) {
        this.words = words;
    }

    /**
     * Adds one image's three captions (as captioned, objects masked, outside masked); images with objects of
     * several categories, or none, are skipped. Returns whether it was counted.
     */
    public boolean add(CocoInstances.ImageObjects image, List<String> original, List<String> objectsMasked,
            List<String> outsideMasked) {
        TreeSet<String> present = new TreeSet<>();
        image.objects().forEach(o -> present.add(o.category()));
        if (present.size() != 1) {
            return false;
        }
        String category = present.first();
        images.computeIfAbsent(category, k -> new long[1])[0]++;
        List<List<String>> captions = List.of(original, objectsMasked, outsideMasked);
        for (int c = 0; c < captions.size(); c++) {
            named.computeIfAbsent(category, k -> new TreeMap<>())
                    .computeIfAbsent(names(captions.get(c)), k -> new long[CONDITIONS.size()])[c]++;
        }
        return true;
    }

    /** The categories a caption names, joined by "+", or "none". */
    String names(List<String> caption) {
        TreeSet<String> out = new TreeSet<>();
        for (int t = 0; t < caption.size(); t++) {
            CategoryWords.Match m = words.match(caption, t);
            if (m != null) {
                out.add(m.category());
            }
        }
        return out.isEmpty() ? "none" : String.join("+", out);
    }

    /** Images counted with objects of {@code category}. */
    public long images(String category) {
        long[] n = images.get(category);
        return n == null ? 0 : n[0];
    }

    /** How many of those images' captions in condition {@code condition} (an index into {@link #CONDITIONS}) name {@code names}. */
    public long count(String category, String names, int condition) {
        Map<String, long[]> m = named.get(category);
        long[] n = m == null ? null : m.get(names);
        return n == null ? 0 : n[condition];
    }

    /** Per category, per condition, the counts of what was named. */
    public Map<String, Map<String, long[]>> counts() {
        return named;
    }

    public List<String> lines(String header) {
        List<String> out = new ArrayList<>();
        out.add(header);
        named.forEach((category, byName) -> {
            out.add(String.format(Locale.ROOT, "  images of a %s (%d):", category, images(category)));
            for (int c = 0; c < CONDITIONS.size(); c++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    %-15s", CONDITIONS.get(c)));
                final int condition = c;
                byName.entrySet().stream().filter(e -> e.getValue()[condition] > 0)
                        .sorted((a, b) -> Long.compare(b.getValue()[condition], a.getValue()[condition]))
                        .forEach(e -> line.append(String.format(Locale.ROOT, "  %s %d (%.1f%%)", e.getKey(), e.getValue()[condition],
                                100.0 * e.getValue()[condition] / images(category))));
                out.add(line.toString());
            }
        });
        return out;
    }
}

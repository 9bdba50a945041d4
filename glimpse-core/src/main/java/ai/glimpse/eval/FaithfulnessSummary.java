package ai.glimpse.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The deletion test ({@code ai.glimpse.probe.DeletionTest}) summed over a split: for each kind of word, the
 * mean drop of its log-probability when the regions holding most of its attention are masked, the same for
 * the control (as many of its least attended regions masked), and the share of words the first hurt more.
 * Where instances say which words name objects and which colours, words are split into object nouns,
 * colours, other words and {@code <end>}; object nouns are also split by category, and by whether the
 * image holds an object of that category (a hallucinated "wolf" on a dog's picture is not the same test as a
 * "wolf" said of a wolf).
 */
public final class FaithfulnessSummary {
    /** Kinds of words, in report order. */
    public static final List<String> KINDS = List.of("all", "object nouns", "colours", "other words", "<end>");

    private final CategoryWords words;
    private final Set<String> colours;
    private final Map<String, Sums> kinds = new LinkedHashMap<>();
    private final Map<String, Sums> categories = new TreeMap<>();

    /**
     * @param words   finds object nouns (null: no split by kind)
     * @param colours the colour words the annotations use (empty: none)
     */
    public FaithfulnessSummary(CategoryWords words, Set<String> colours) {
        this.words = words;
        this.colours = Set.copyOf(colours);
        for (String k : KINDS) {
            kinds.put(k, new Sums());
        }
    }

    /** Running sums of one group. */
    private static final class Sums {
        long n;
        long hurt;
        double top;
        double control;

        void add(double dropTop, double dropControl, boolean hurtMore) {
            n++;
            top += dropTop;
            control += dropControl;
            hurt += hurtMore ? 1 : 0;
        }

        Row row(String name) {
            return new Row(name, n, n == 0 ? Double.NaN : top / n, n == 0 ? Double.NaN : control / n,
                    n == 0 ? Double.NaN : (double) hurt / n);
        }
    }

    /**
     * One group's summary.
     *
     * @param steps           words (steps) in the group
     * @param meanDropTop     mean loss of log-probability with the most attended regions masked
     * @param meanDropControl the same with as many of the least attended masked
     * @param hurtShare       share of words the first hurt more than the second (by the test's margin)
     */
    public record Row(String name, long steps, double meanDropTop, double meanDropControl, double hurtShare) {
    }

    /**
     * Adds one caption's tests: per step its drops and verdict; {@code image} (null without instances)
     * says which categories the picture holds.
     */
    public void add(List<String> caption, double[] dropTop, double[] dropControl, boolean[] hurtMore,
            CocoInstances.ImageObjects image) {
        String[] kind = new String[dropTop.length];
        String[] category = new String[dropTop.length];
        for (int t = 0; t < dropTop.length; t++) {
            kind[t] = t >= caption.size() ? "<end>" : words == null ? null : colours.contains(caption.get(t)) ? "colours" : "other words";
        }
        if (words != null) {
            for (int t = 0; t < caption.size(); ) {
                CategoryWords.Match m = words.match(caption, t);
                if (m == null) {
                    t++;
                    continue;
                }
                for (int k = t; k < t + m.length(); k++) {
                    kind[k] = "object nouns";
                    category[k] = m.category();
                }
                t += m.length();
            }
        }
        for (int t = 0; t < dropTop.length; t++) {
            kinds.get("all").add(dropTop[t], dropControl[t], hurtMore[t]);
            if (kind[t] != null) {
                kinds.get(kind[t]).add(dropTop[t], dropControl[t], hurtMore[t]);
            }
            if (category[t] != null && image != null) {
                String c = category[t];
                boolean present = image.objects().stream().anyMatch(o -> o.category().equals(c));
                categories.computeIfAbsent("\u201c" + caption.get(t) + "\u201d " + (present ? "with" : "without") + " a " + c
                        + " in the image", k -> new Sums()).add(dropTop[t], dropControl[t], hurtMore[t]);
            }
        }
    }

    /** One row per kind of word that occurred ("all" first). */
    public List<Row> kinds() {
        List<Row> out = new ArrayList<>();
        kinds.forEach((k, s) -> {
            if (s.n > 0 || k.equals("all")) {
                out.add(s.row(k));
            }
        });
        return out;
    }

    /** One row per object noun, split by whether its category is in the image. */
    public List<Row> nouns() {
        List<Row> out = new ArrayList<>();
        categories.forEach((k, s) -> out.add(s.row(k)));
        return out;
    }

    /** The summary as lines for the terminal, under a header saying how the test was run. */
    public List<String> lines(String header) {
        List<String> out = new ArrayList<>();
        out.add(header);
        out.add(String.format(Locale.ROOT, "  %-46s %7s %12s %12s %12s", "words", "steps", "drop top", "drop control",
                "top hurts more"));
        for (Row r : kinds()) {
            out.add(format(r));
        }
        for (Row r : nouns()) {
            out.add(format(r));
        }
        return out;
    }

    private static String format(Row r) {
        return String.format(Locale.ROOT, "  %-46s %7d %12.4f %12.4f %11.1f%%", r.name(), r.steps(), r.meanDropTop(),
                r.meanDropControl(), 100 * r.hurtShare());
    }
}

package ai.glimpse.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps caption words to COCO category names: the names themselves, their plurals, and a small synonym
 * table that can be extended ("man" -> person). Multi-word names match as consecutive words.
 */
public final class CategoryWords {
    /** A category named by {@code length} words starting at some position. */
    public record Match(String category, int length) {
    }

    /** Synonyms for COCO's own categories, in the spirit of Liu et al.'s word lists. */
    public static final Map<String, String> DEFAULT_SYNONYMS = Map.ofEntries(
            Map.entry("man", "person"), Map.entry("men", "person"), Map.entry("woman", "person"),
            Map.entry("women", "person"), Map.entry("people", "person"), Map.entry("boy", "person"),
            Map.entry("girl", "person"), Map.entry("child", "person"), Map.entry("children", "person"),
            Map.entry("kid", "person"), Map.entry("kids", "person"), Map.entry("player", "person"),
            Map.entry("bike", "bicycle"), Map.entry("motorbike", "motorcycle"), Map.entry("plane", "airplane"),
            Map.entry("jet", "airplane"), Map.entry("puppy", "dog"), Map.entry("kitten", "cat"),
            Map.entry("laptop", "laptop"), Map.entry("phone", "cell phone"), Map.entry("cellphone", "cell phone"),
            Map.entry("tv", "tv"), Map.entry("television", "tv"), Map.entry("sofa", "couch"), Map.entry("doughnut", "donut"));

    private final Map<List<String>, String> phrases = new LinkedHashMap<>();
    private int longest = 1;

    /** Words for these category names plus the synonyms whose target is among them. */
    public CategoryWords(Collection<String> categories, Map<String, String> synonyms) {
        for (String c : categories) {
            String name = c.toLowerCase(Locale.ROOT).strip();
            add(name, name);
            add(plural(name), name);
        }
        synonyms.forEach((word, category) -> {
            if (categories.contains(category)) {
                add(word, category);
            }
        });
    }

    private void add(String phrase, String category) {
        List<String> words = List.of(phrase.split("\\s+"));
        phrases.putIfAbsent(words, category);
        longest = Math.max(longest, words.size());
    }

    /** English plural of the last word of a name (box -> boxes, sky -> skies, wolf -> wolves, else +s). */
    static String plural(String name) {
        if (name.endsWith("s") || name.endsWith("x") || name.endsWith("ch") || name.endsWith("sh")) {
            return name + "es";
        }
        if (name.endsWith("y") && name.length() > 1 && "aeiou".indexOf(name.charAt(name.length() - 2)) < 0) {
            return name.substring(0, name.length() - 1) + "ies";
        }
        if (name.endsWith("f")) {
            return name.substring(0, name.length() - 1) + "ves";
        }
        if (name.endsWith("person")) {
            return name.substring(0, name.length() - "person".length()) + "people";
        }
        return name + "s";
    }

    /** The longest category phrase starting at word {@code t}, or null. */
    public Match match(List<String> words, int t) {
        for (int n = Math.min(longest, words.size() - t); n >= 1; n--) {
            List<String> key = new ArrayList<>(words.subList(t, t + n));
            String c = phrases.get(key);
            if (c != null) {
                return new Match(c, n);
            }
        }
        return null;
    }
}

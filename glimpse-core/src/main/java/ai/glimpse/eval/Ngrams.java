package ai.glimpse.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 1..n-gram counts of one tokenized sentence, the {@code precook} step that the toolkit's BLEU
 * and CIDEr scorers share: words are the sentence split on whitespace like Python's {@code str.split()},
 * an n-gram is its words joined by single spaces (words never hold whitespace, so the key is exact),
 * kept in first-occurrence order like the toolkit's dictionaries.
 *
 * @param length number of words
 * @param counts {@code counts.get(k - 1)} maps each k-gram to its count, for k = 1..n
 */
record Ngrams(int length, List<Map<String, Integer>> counts) {
    Ngrams {
        counts = List.copyOf(counts);
    }

    /** Counts the 1..{@code n}-grams of {@code sentence}. */
    static Ngrams of(String sentence, int n) {
        List<String> words = words(sentence);
        List<Map<String, Integer>> counts = new ArrayList<>(n);
        for (int k = 1; k <= n; k++) {
            Map<String, Integer> kgrams = new LinkedHashMap<>();
            for (int i = 0; i + k <= words.size(); i++) {
                kgrams.merge(String.join(" ", words.subList(i, i + k)), 1, Integer::sum);
            }
            counts.add(Collections.unmodifiableMap(kgrams));
        }
        return new Ngrams(words.size(), counts);
    }

    /** The number of k-grams, counting repeats ({@code max(0, length - k + 1)}). */
    int total(int k) {
        return Math.max(0, length - k + 1);
    }

    /** The words of {@code sentence} as Python's {@code str.split()} with no argument gives them. */
    static List<String> words(String sentence) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < sentence.length(); i++) {
            boolean space = isPythonWhitespace(sentence.charAt(i));
            if (space && start >= 0) {
                words.add(sentence.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            words.add(sentence.substring(start));
        }
        return words;
    }

    /** Python's {@code str.isspace} for one UTF-16 unit: Java's whitespace plus the no-break spaces and NEL. */
    private static boolean isPythonWhitespace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\u0085';
    }
}

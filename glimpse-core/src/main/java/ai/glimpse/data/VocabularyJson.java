package ai.glimpse.data;

import ai.glimpse.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks and reads the JSON form of a {@link Vocabulary} ({@code {"format":"glimpse-vocab","version":1,
 * "minFreq":5,"words":[...],"counts":[...]}}), refusing anything a hand edit or a truncated copy could
 * leave behind: another format, a newer version, specials out of place, duplicate or empty words,
 * counts that do not match the words.
 */
final class VocabularyJson {
    static final String FORMAT = "glimpse-vocab";
    static final int VERSION = 1;

    private VocabularyJson() {
    }

    static Vocabulary parse(JsonNode json, String source) {
        if (json == null || !json.isObject()) {
            throw bad(source, "expected a JSON object, found " + JsonStream.describe(json));
        }
        JsonNode format = json.get("format");
        if (format == null || !FORMAT.equals(format.asText())) {
            throw bad(source, "not a glimpse vocabulary (\"format\" is " + (format == null ? "missing" : format)
                    + ", expected \"" + FORMAT + "\")");
        }
        int version = integer(json, "version", source);
        if (version > VERSION) {
            throw bad(source, "version " + version + " was written by a newer glimpse (this one reads version "
                    + VERSION + ")");
        }
        if (version < 1) {
            throw bad(source, "\"version\" must be at least 1, got " + version);
        }
        int minFreq = integer(json, "minFreq", source);
        if (minFreq < 1) {
            throw bad(source, "\"minFreq\" must be at least 1, got " + minFreq);
        }
        List<String> words = words(json, source);
        int[] counts = counts(json, words.size(), source);
        return new Vocabulary(words, counts, minFreq);
    }

    private static List<String> words(JsonNode json, String source) {
        JsonNode list = json.get("words");
        if (list == null || !list.isArray()) {
            throw bad(source, "\"words\" must be a list of strings");
        }
        List<String> words = new ArrayList<>(list.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            if (!node.isTextual() || node.asText().isEmpty()) {
                throw bad(source, "word " + i + " is " + (node.isTextual() ? "empty" : JsonStream.describe(node))
                        + ", expected a non-empty string");
            }
            String word = node.asText();
            Integer before = seen.putIfAbsent(word, i);
            if (before != null) {
                throw bad(source, "word \"" + word + "\" appears twice (ids " + before + " and " + i + ")");
            }
            if (i < Vocabulary.SPECIALS.size() && !word.equals(Vocabulary.SPECIALS.get(i))) {
                throw bad(source, "id " + i + " is \"" + word + "\", expected the special token "
                        + Vocabulary.SPECIALS.get(i) + " (specials come first: " + Vocabulary.SPECIALS + ")");
            }
            words.add(word);
        }
        if (words.size() < Vocabulary.SPECIALS.size()) {
            throw bad(source, "only " + words.size() + " words; the special tokens " + Vocabulary.SPECIALS
                    + " are missing");
        }
        return words;
    }

    private static int[] counts(JsonNode json, int size, String source) {
        JsonNode list = json.get("counts");
        if (list == null || !list.isArray()) {
            throw bad(source, "\"counts\" must be a list of numbers");
        }
        if (list.size() != size) {
            throw bad(source, "\"counts\" has " + list.size() + " numbers for " + size + " words");
        }
        int[] counts = new int[size];
        for (int i = 0; i < size; i++) {
            JsonNode node = list.get(i);
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                throw bad(source, "count " + i + " is " + node + ", expected a whole number >= 0");
            }
            counts[i] = node.intValue();
        }
        return counts;
    }

    private static int integer(JsonNode json, String key, String source) {
        JsonNode node = json.get(key);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw bad(source, "\"" + key + "\" must be a whole number, found "
                    + (node == null ? "nothing" : node.toString()));
        }
        return node.intValue();
    }

    private static InputException bad(String source, String message) {
        return new InputException(source + ": " + message);
    }
}

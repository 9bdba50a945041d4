package ai.glimpse.data;

import ai.glimpse.AtomicFile;

import ai.glimpse.InputException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The word list of a captioning model: four special tokens ({@code <pad>}=0, {@code <start>}=1,
 * {@code <end>}=2, {@code <unk>}=3) followed by the training words that occur at least {@code minFreq}
 * times, most frequent first, ties in alphabetical order, so the same captions always give the same
 * ids. Captions become {@code <start> w1 .. wn <end>} as in Xu et al., "Show, Attend and Tell" (2015).
 * Immutable; stored as JSON ({@code {"format":"glimpse-vocab","version":1,"minFreq":5,"words":[...],
 * "counts":[...]}}), on its own or inside a model bundle.
 */
public final class Vocabulary {
    public static final String PAD = "<pad>";
    public static final String START = "<start>";
    public static final String END = "<end>";
    public static final String UNK = "<unk>";
    public static final int PAD_ID = 0;
    public static final int START_ID = 1;
    public static final int END_ID = 2;
    public static final int UNK_ID = 3;
    /** The special tokens in id order. */
    public static final List<String> SPECIALS = List.of(PAD, START, END, UNK);
    /** The usual cut: words seen fewer than 5 times in training become {@code <unk>}. */
    public static final int DEFAULT_MIN_FREQ = 5;

    private final List<String> words;
    private final int[] counts;
    private final Map<String, Integer> ids;
    private final int minFreq;

    /** How much of a set of captions a vocabulary covers (e.g. the words {@code build} dropped). */
    public record Coverage(int distinctWords, int unknownWords, long occurrences, long unknownOccurrences) {
        /** The share of word occurrences that become {@code <unk>}, 0 when there are none. */
        public double unknownShare() {
            return occurrences == 0 ? 0 : (double) unknownOccurrences / occurrences;
        }
    }

    /** Trusts its arguments: callers ({@link #build}, {@link VocabularyJson}) have checked them. */
    Vocabulary(List<String> words, int[] counts, int minFreq) {
        this.words = List.copyOf(words);
        this.counts = counts.clone();
        this.minFreq = minFreq;
        Map<String, Integer> index = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
        }
        this.ids = Map.copyOf(index);
    }

    /**
     * Counts the words of {@code tokenizedCaptions} and keeps those seen at least {@code minFreq} times.
     * Tokens spelled like a special token are not counted.
     */
    public static Vocabulary build(Iterable<List<String>> tokenizedCaptions, int minFreq) {
        if (minFreq < 1) {
            throw new IllegalArgumentException("minFreq must be at least 1, got " + minFreq);
        }
        Map<String, Integer> tally = new HashMap<>();
        for (List<String> caption : tokenizedCaptions) {
            for (String token : caption) {
                if (token != null && !token.isEmpty() && !SPECIALS.contains(token)) {
                    tally.merge(token, 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : tally.entrySet()) {
            if (e.getValue() >= minFreq) {
                kept.add(e);
            }
        }
        kept.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> words = new ArrayList<>(SPECIALS);
        int[] counts = new int[SPECIALS.size() + kept.size()];
        for (Map.Entry<String, Integer> e : kept) {
            counts[words.size()] = e.getValue();
            words.add(e.getKey());
        }
        return new Vocabulary(words, counts, minFreq);
    }

    /** Number of ids, the four specials included. */
    public int size() {
        return words.size();
    }

    /** The count cut this vocabulary was built with. */
    public int minFreq() {
        return minFreq;
    }

    /** All words in id order, the specials first. */
    public List<String> words() {
        return words;
    }

    /** The id of {@code word}, or {@link #UNK_ID} when it is not in the vocabulary. */
    public int id(String word) {
        return ids.getOrDefault(word, UNK_ID);
    }

    /** Whether {@code word} is a (non-special) word of the vocabulary. */
    public boolean contains(String word) {
        Integer id = ids.get(word);
        return id != null && id >= SPECIALS.size();
    }

    /** The word with id {@code id}. */
    public String word(int id) {
        if (id < 0 || id >= words.size()) {
            throw new IllegalArgumentException("word id " + id + " is outside the vocabulary [0, " + words.size() + ")");
        }
        return words.get(id);
    }

    /** How often {@code word} occurred in the captions the vocabulary was built from; 0 for specials and unknown words. */
    public int count(String word) {
        Integer id = ids.get(word);
        return id == null ? 0 : counts[id];
    }

    /**
     * The ids of {@code <start> w1 .. wn <end>}: unknown words (and words spelled like a special token)
     * become {@code <unk>}; a caption of more than {@code maxLength} words keeps its first
     * {@code maxLength}, so the result has at most {@code maxLength + 2} ids and always ends with {@code <end>}.
     */
    public int[] encode(List<String> tokens, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, got " + maxLength);
        }
        int n = Math.min(tokens.size(), maxLength);
        int[] out = new int[n + 2];
        out[0] = START_ID;
        for (int i = 0; i < n; i++) {
            String token = tokens.get(i);
            out[i + 1] = contains(token) ? ids.get(token) : UNK_ID;
        }
        out[n + 1] = END_ID;
        return out;
    }

    /**
     * The words of {@code ids} up to the first {@code <end>}, leaving out {@code <pad>} and {@code <start>}.
     * {@code <unk>} is kept as the word {@code "<unk>"}: dropping it would silently change the caption.
     */
    public List<String> decode(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            String word = word(id);
            if (id == END_ID) {
                break;
            }
            if (id != PAD_ID && id != START_ID) {
                out.add(word);
            }
        }
        return out;
    }

    /** How many distinct words and word occurrences of {@code tokenizedCaptions} this vocabulary misses. */
    public Coverage coverage(Iterable<List<String>> tokenizedCaptions) {
        Set<String> distinct = new HashSet<>();
        Set<String> unknown = new HashSet<>();
        long occurrences = 0;
        long unknownOccurrences = 0;
        for (List<String> caption : tokenizedCaptions) {
            for (String token : caption) {
                occurrences++;
                distinct.add(token);
                if (!contains(token)) {
                    unknownOccurrences++;
                    unknown.add(token);
                }
            }
        }
        return new Coverage(distinct.size(), unknown.size(), occurrences, unknownOccurrences);
    }

    /** The JSON form, for a file of its own or a model bundle. */
    public ObjectNode toJson() {
        ObjectNode json = JsonStream.MAPPER.createObjectNode();
        json.put("format", VocabularyJson.FORMAT);
        json.put("version", VocabularyJson.VERSION);
        json.put("minFreq", minFreq);
        ArrayNode wordList = json.putArray("words");
        words.forEach(wordList::add);
        ArrayNode countList = json.putArray("counts");
        Arrays.stream(counts).forEach(countList::add);
        return json;
    }

    /** Reads the JSON form; {@code source} names where it came from in error messages (e.g. a bundle path). */
    public static Vocabulary fromJson(JsonNode json, String source) {
        return VocabularyJson.parse(json, source);
    }

    /** Writes the JSON form to {@code file} through a temporary file and a rename: never a half-written file. */
    public void save(Path file) {
        AtomicFile.write(file, out -> {
            JsonStream.MAPPER.writerWithDefaultPrettyPrinter()
                    .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, toJson());
            out.write('\n');                                           // a JSON file ends with a line break
        });
    }

    /** Reads a vocabulary file written by {@link #save}, refusing one that is malformed or inconsistent. */
    public static Vocabulary load(Path file) {
        String label = "vocabulary file " + file;
        CorpusReader.requireReadableFile(file, label);
        JsonNode json;
        try {
            json = JsonStream.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw JsonStream.malformed(label, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json == null || json.isMissingNode()) {
            throw new InputException(label + ": empty file");
        }
        return VocabularyJson.parse(json, label);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && minFreq == v.minFreq && words.equals(v.words) && Arrays.equals(counts, v.counts);
    }

    @Override
    public int hashCode() {
        return 31 * words.hashCode() + Arrays.hashCode(counts) + minFreq;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + size() + " ids, minFreq " + minFreq + "]";
    }
}

package ai.glimpse.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * TEMPORARY stand-in for the caption tokenizer, so that the evaluation package compiles and runs on
 * its own branch; the real PTB-rules tokenizer from the tok branch replaces this file.
 *
 * <p>Rules of the stand-in: lower-case, drop the characters {@code . , ; : ! ? ' " ( )}, split on
 * whitespace.
 */
public final class Tokenizer {
    private Tokenizer() {
    }

    /** The tokens of a raw caption; an empty list when nothing remains. */
    public static List<String> tokens(String caption) {
        String cleaned = caption.toLowerCase(Locale.ROOT).replaceAll("[.,;:!?'\"()]", " ").strip();
        return cleaned.isEmpty() ? List.of() : Arrays.asList(cleaned.split("\\s+"));
    }

    /** The tokens of a raw caption joined by single spaces, as the metrics expect them. */
    public static String normalize(String caption) {
        return String.join(" ", tokens(caption));
    }
}

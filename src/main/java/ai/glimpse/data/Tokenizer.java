package ai.glimpse.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Temporary stand-in so the data branch compiles: lower-cases, splits on whitespace and strips
 * simple punctuation. The tok branch replaces this file with the real tokenizer.
 */
public final class Tokenizer {
    private static final String STRIP = ".,;:!?'\"()";

    private Tokenizer() {
    }

    /** The caption's words, lower-cased, punctuation removed. */
    public static List<String> tokens(String caption) {
        List<String> out = new ArrayList<>();
        for (String raw : caption.toLowerCase(Locale.ROOT).strip().split("\\s+")) {
            StringBuilder sb = new StringBuilder();
            for (char c : raw.toCharArray()) {
                if (STRIP.indexOf(c) < 0) {
                    sb.append(c);
                }
            }
            if (!sb.isEmpty()) {
                out.add(sb.toString());
            }
        }
        return out;
    }
}

package ai.glimpse.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The caption normalisation of the coco-caption evaluation toolkit ({@code pycocoevalcap/tokenizer/ptbtokenizer.py}):
 * line breaks become spaces, Stanford's PTBTokenizer (CoreNLP 3.4.1, {@code -preserveLines -lowerCase})
 * splits the caption, and the toolkit's punctuation tokens are dropped. BLEU, METEOR and CIDEr scores and
 * the vocabulary are computed on these tokens.
 *
 * <p>The toolkit feeds all captions to one tokenizer run, one per line, and a few PTB rules look past the
 * end of a line: "U.S." before a line starting "The " (or "THE", "ThE": only the first letter must be a
 * capital) gets an extra "." token, an initial such as "C." is split from its period there, "we're" as
 * the very last word of the file becomes "we ` re", and a tag's quoted value may run into the next line
 * (a comment may not). {@link #tokens(String)} tokenizes a caption as a line followed by a line break;
 * {@link #tokensOfAll(List)} reproduces a whole toolkit run, neighbours included. Note that the toolkit's list holds "-LRB-" in
 * capitals while the tokenizer lower-cases it, so "-lrb-" and "-rrb-" survive, exactly as in the toolkit.
 *
 * <p>Stateless and thread-safe.
 */
public final class Tokenizer {
    /** The toolkit's {@code PUNCTUATIONS}: tokens removed after tokenizing (compared case-sensitively). */
    public static final Set<String> PUNCTUATIONS = Set.of(
            "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--",
            "...", ";");

    private Tokenizer() {
    }

    /** The caption's tokens as the toolkit scores them: PTB tokens, lower case, punctuation removed. */
    public static List<String> tokens(String caption) {
        return withoutPunctuation(ptbTokens(caption));
    }

    /** The caption's tokens joined by single spaces ("" when nothing is left). */
    public static String normalize(String caption) {
        return String.join(" ", tokens(caption));
    }

    /** The caption's PTB tokens in lower case, before punctuation is removed ("(" is "-lrb-"). */
    public static List<String> ptbTokens(String caption) {
        return lowerCase(PtbScanner.scan(oneLine(caption) + "\n").get(0));
    }

    /**
     * The tokens of each caption when all of them go through one tokenizer run in this order, as the
     * toolkit does (captions joined by line breaks, no break after the last), punctuation removed. One
     * list per caption, always: a token that runs over a line break is cut there, as the toolkit's split of
     * the output by lines cuts it.
     */
    public static List<List<String>> tokensOfAll(List<String> captions) {
        List<String> lines = new ArrayList<>(captions.size());
        for (String caption : captions) {
            lines.add(oneLine(caption));
        }
        List<List<String>> scanned = PtbScanner.scan(String.join("\n", lines));
        List<List<String>> result = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            result.add(withoutPunctuation(lowerCase(scanned.get(i))));
        }
        return result;
    }

    /**
     * The caption on one line. The toolkit replaces only "\n"; PTB would also break lines at \r, \u000B,
     * \f, U+2028 and U+2029 and so misalign the toolkit's output, so those become spaces here.
     */
    private static String oneLine(String caption) {
        Objects.requireNonNull(caption, "caption");
        StringBuilder out = new StringBuilder(caption.length());
        for (int i = 0; i < caption.length(); i++) {
            char c = caption.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u2028' || c == '\u2029';
            out.append(lineBreak ? ' ' : c);
        }
        return out.toString();
    }

    private static List<String> lowerCase(List<String> tokens) {
        List<String> lower = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            lower.add(token.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(lower);
    }

    private static List<String> withoutPunctuation(List<String> tokens) {
        List<String> kept = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            if (!PUNCTUATIONS.contains(token)) {
                kept.add(token);
            }
        }
        return List.copyOf(kept);
    }
}

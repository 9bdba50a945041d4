package ai.glimpse.data;

/**
 * The text the PTB scanner reads, with the character look-ups its rules share. Reading past the end
 * gives {@link #EOF}, which no rule accepts, so lookahead fails at the end of the text as in PTB.
 */
final class PtbText {
    static final char EOF = '\0';
    static final char NBSP = '\u00A0';
    static final char SOFT_HYPHEN = '\u00AD';

    /** HTML entities that PTB reads as the character they stand for, even inside words. */
    private static final String[][] ENTITIES = {{"&amp;", "&"}, {"&apos;", "'"}, {"&quot;", "\""}, {"&nbsp;", " "}};

    private final String s;

    PtbText(String text) {
        s = prepare(text);
    }

    int length() {
        return s.length();
    }

    char at(int i) {
        return i < s.length() ? s.charAt(i) : EOF;
    }

    String slice(int from, int to) {
        return s.substring(from, to);
    }

    /** How many characters from {@code from} on pass {@code test}, counting no further than {@code limit}. */
    int run(int from, int limit, CharTest test) {
        int end = from;
        while (end < s.length() && end - from < limit && test.test(s.charAt(end))) {
            end++;
        }
        return end - from;
    }

    /** How many characters from {@code from} on pass {@code test}. */
    int run(int from, CharTest test) {
        int end = from;
        while (end < s.length() && test.test(s.charAt(end))) {
            end++;
        }
        return end - from;
    }

    boolean matchesIgnoreCase(int from, String word) {
        return s.regionMatches(true, from, word, 0, word.length());
    }

    boolean startsWith(String prefix, int from) {
        return s.startsWith(prefix, from);
    }

    int indexOf(String part, int from) {
        return s.indexOf(part, from);
    }

    /** Space between tokens, line breaks included. */
    static boolean isBreak(char c) {
        return c == '\n' || PtbLexicon.isSpace(c);
    }

    /** Apostrophes inside words (O'Neil, don't); only those of {@link #isCliticApostrophe} start 's. */
    static boolean isApostrophe(char c) {
        return isCliticApostrophe(c) || c == '\u2018' || c == '`';
    }

    /** The apostrophes that start clitics and tokens such as 's, 'em, '90s: ' and ’. */
    static boolean isCliticApostrophe(char c) {
        return c == '\'' || c == '\u2019';
    }

    static boolean isAsciiAlnum(char c) {
        return PtbLexicon.isDigit(c) || PtbLexicon.isAsciiLetter(c);
    }

    static boolean isAsciiUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /** How PTB writes a single character: rewritten ("(" is -LRB-, "’" is ') or as itself. */
    static String written(char c) {
        String rewritten = PtbLexicon.rewrite(c);
        return rewritten != null ? rewritten : String.valueOf(c);
    }

    /**
     * Replaces the HTML entities that PTB reads as the characters they stand for, and settles soft hyphens:
     * PTB drops them inside and after words that start with a letter ("ab\u00ADcd" is "abcd") and between
     * digits, splits silently before other letters and digits, and writes the rest as "-".
     */
    private static String prepare(String text) {
        if (text.indexOf('&') < 0 && text.indexOf(SOFT_HYPHEN) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int wordFrom = 0;   // where the letters, digits and hyphens that out ends in begin; kept as out grows
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == SOFT_HYPHEN) {
                char before = out.length() > 0 ? out.charAt(out.length() - 1) : ' ';
                char after = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
                char wordStart = wordFrom > 0 && out.charAt(wordFrom - 1) == '_' ? '_'
                        : wordFrom < out.length() ? out.charAt(wordFrom) : ' ';
                boolean hyphenNext = after == '-' && PtbLexicon.isAlnum(before) && wordStart != '_';
                boolean digits = PtbLexicon.isDigit(before) && PtbLexicon.isDigit(after);
                if (PtbLexicon.isLetter(wordStart) || digits || hyphenNext) {
                    continue;
                }
                if (PtbLexicon.isAlnum(after)) {
                    out.append(' ');
                    wordFrom = out.length();
                    continue;
                }
            }
            char c = text.charAt(i);
            for (String[] entity : ENTITIES) {
                if (text.regionMatches(true, i, entity[0], 0, entity[0].length())) {
                    c = entity[1].charAt(0);
                    i += entity[0].length() - 1;
                    break;
                }
            }
            out.append(c);
            if (!PtbLexicon.isAlnum(c) && c != '-') {
                wordFrom = out.length();
            }
        }
        return out.toString();
    }

    /** A test on one character. */
    @FunctionalInterface
    interface CharTest {
        boolean test(char c);
    }
}

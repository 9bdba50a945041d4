package ai.glimpse.data;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Character classes and word lists of the Penn Treebank tokenizer that the coco-caption toolkit runs
 * (Stanford CoreNLP 3.4.1 {@code PTBTokenizer}). The lists were learnt by running that tokenizer as a
 * black box on generated inputs, never from its source.
 */
final class PtbLexicon {
    /** How a word written with a trailing period behaves. */
    enum Abbreviation {
        /** Keeps its period and never ends a sentence: Mr., Dr., St., vs. */
        TITLE,
        /** Keeps its period; before a capital or at the end of the text it also ends the sentence: Inc., etc., Jan. */
        SENTENCE_FINAL,
        /** Keeps its period only before a number: No. 5, fig. 3. */
        BEFORE_NUMBER
    }

    private PtbLexicon() {
    }

    // Abbreviations. Case: the lists in ANY_CASE match in any case; FIRST_UPPER need a capital first
    // letter (Ark., ARK., not ark.); LOWER_TAIL take either case first and lower case after (Mfg., mfg.).
    private static final Set<String> TITLE_ANY_CASE = Set.of(
            "adj", "adm", "adv", "alex", "assoc", "asst", "atty", "attys", "ave", "brig", "capt", "cf", "cie", "cmdr",
            "col", "comdr", "cpl", "dept", "det", "dr", "drs", "elec", "ens", "ft", "gen", "gov", "govs", "hon",
            "insp", "invt", "jos", "lieut", "lt", "maj", "messrs", "mlle", "mme", "mr", "mrs", "ms", "msgr",
            "mt", "natl", "pfc", "ph", "pres", "prof", "profs", "pvt", "rep", "reps", "rev", "sen", "sens", "sfc",
            "sgt",
            "spc", "st", "ste", "supt", "supts", "treas", "vs", "wm");
    private static final Set<String> TITLE_LOWER_TAIL = Set.of("mfg", "mtg");
    private static final Set<String> FINAL_ANY_CASE = Set.of(
            "al", "ala", "apr", "ariz", "assn", "aug", "bancorp", "bhd", "bldg", "blvd", "bros", "calif", "co",
            "colo", "conn", "corp", "cos", "ct", "dak", "dec", "esq", "est", "etc", "ext", "feb", "fla", "fri",
            "ga", "inc", "ind", "intl", "jan", "jr", "jul", "jun", "kan", "kans", "ky", "ltd", "mar", "md",
            "mich", "minn", "mo", "mon", "mont", "neb", "nev", "nov", "oct", "okla", "penn", "ph.d", "plc",
            "rd", "rt", "sep", "sept", "seq", "sq", "sr", "sys", "tel", "tenn", "thu", "thurs", "tue", "tues",
            "univ", "va", "vt", "wed", "wis", "wisc", "wyo");
    private static final Set<String> FINAL_FIRST_UPPER = Set.of(
            "ark", "az", "del", "ill", "la", "mass", "miss", "ore", "pa", "tex", "wash");
    private static final Set<String> FINAL_LOWER_TAIL =
            Set.of("ppte", "pptes", "ppty", "pptys", "pte", "ptes", "pty", "ptys");
    private static final Set<String> NUMBER_ANY_CASE = Set.of(
            "art", "ca", "fig", "figs", "no", "nos", "op", "pp", "prop");

    /** Capitalised words after which "U.S." or a single initial "A." is taken to end a sentence. */
    private static final Set<String> SENTENCE_STARTERS = Set.of(
            "a", "about", "according", "after", "an", "as", "at", "but", "earlier", "he", "her", "here",
            "however", "if", "in", "it", "last", "many", "more", "now", "once", "one", "other", "our", "she",
            "since", "so", "some", "such", "that", "the", "their", "then", "there", "these", "they", "this",
            "we", "what", "when", "while", "yet", "you");

    /** Single characters that the tokenizer rewrites (PTB escaping, Windows-1252 stray codes, Unicode). */
    private static final Map<Character, String> REWRITES = Map.ofEntries(
            Map.entry('(', "-LRB-"), Map.entry(')', "-RRB-"), Map.entry('[', "-LSB-"), Map.entry(']', "-RSB-"),
            Map.entry('{', "-LCB-"), Map.entry('}', "-RCB-"),
            Map.entry('\u2026', "..."), Map.entry('\u0085', "..."),
            Map.entry('\u2013', "--"), Map.entry('\u2014', "--"), Map.entry('\u2015', "--"),
            Map.entry('\u0096', "--"), Map.entry('\u0097', "--"), Map.entry('\u00AD', "-"),
            Map.entry('\u00BC', "1/4"), Map.entry('\u00BD', "1/2"), Map.entry('\u00BE', "3/4"),
            Map.entry('\u2153', "1/3"), Map.entry('\u2154', "2/3"),
            Map.entry('\u00A3', "#"), Map.entry('\u20AC', "$"), Map.entry('\u20A0', "$"), Map.entry('\u00A4', "$"),
            Map.entry('\u0080', "$"), Map.entry('\u00A2', "cents"),
            Map.entry('\u201C', "``"), Map.entry('\u201D', "''"), Map.entry('\u00AB', "``"), Map.entry('\u00BB', "''"),
            Map.entry('\u0093', "``"), Map.entry('\u0094', "''"),
            Map.entry('\u2018', "`"), Map.entry('\u201B', "`"), Map.entry('\u2039', "`"), Map.entry('\u0091', "`"),
            Map.entry('\u2019', "'"), Map.entry('\u203A', "'"), Map.entry('\u0092', "'"));

    /** Quote characters of which two in a row make one token ("““" is ````, "`’" is `'). */
    private static final String PAIRING_QUOTES = "`\u2018\u2019\u201B\u201C\u201D\u00AB\u00BB\u2039\u203A"
            + "\u0091\u0092\u0093\u0094\u201A\u201E\u201F";
    /** Runs of superscript digits, or of subscript digits, make one token. */
    private static final String SUPERSCRIPTS = "\u00B9\u00B2\u00B3\u2070\u2074\u2075\u2076\u2077\u2078\u2079";
    private static final String SUBSCRIPTS = "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089";

    // Unicode ranges that the tokenizer's (older) character tables classify differently from Java 17.
    private static final int[] EXTRA_LETTER_RANGES = {
        0x02C2, 0x02C5, 0x02D2, 0x02DF, 0x02E5, 0x02EB, 0x02ED, 0x02ED, 0x02EF, 0x02FF, 0x0375, 0x0375,
        0x0384, 0x0385, 0x03F6, 0x03F6, 0x055A, 0x055F};
    private static final int[] DELETED_RANGES = {
        0x037F, 0x037F, 0x0482, 0x0482, 0x0528, 0x052F, 0x0560, 0x0560, 0x0588, 0x0588, 0x058A, 0x058A,
        0x058D, 0x058F, 0x05EF, 0x05EF, 0x1DC0, 0x1DFF, 0x1FBF, 0x1FC1, 0x1FCD, 0x1FCF,
        0x1FDD, 0x1FDF, 0x1FED, 0x1FEF, 0x1FFD, 0x1FFE, 0x2010, 0x2012, 0x2024, 0x2025, 0x2027, 0x2027,
        0x203C, 0x203D, 0x2043, 0x2043, 0x2045, 0x205E, 0x20A1, 0x20A3, 0x20A5, 0x20AB, 0x20AD, 0x20CF, 0x20D0, 0x20F0,
        0x2150, 0x2152, 0x215F, 0x215F, 0x2189, 0x218B, 0x3003, 0x3004, 0x3008, 0x3011, 0x3013, 0x3020,
        0x302A, 0x3030, 0x3036, 0x3037, 0x303D, 0x303F, 0x3099, 0x309C, 0x30A0, 0x30A0, 0xA794, 0xA7FF,
        0xFE00, 0xFE0F, 0xFFE2, 0xFFE4, 0xFFE8, 0xFFEE};

    static boolean isLetter(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        if (in(c, DELETED_RANGES)) {
            return false;
        }
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || in(c, EXTRA_LETTER_RANGES);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(c);
    }

    static boolean isAsciiLetter(char c) {
        return c < 0x80 && isLetter(c);
    }

    static boolean isUpper(char c) {
        return Character.isUpperCase(c);
    }

    /** Whitespace between tokens (line breaks are handled by the scanner). */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    /** Characters the tokenizer drops without a trace (it warns "Untokenizable" and deletes them). */
    static boolean isDeleted(char c) {
        if (isSpace(c)) {
            return false;
        }
        if (Character.isSurrogate(c) || in(c, DELETED_RANGES)) {
            return true;
        }
        if (c < 0x80 || REWRITES.containsKey(c) || isLetter(c)) {
            return c < 0x20 && c != '\t' && c != '\n';
        }
        return switch (Character.getType(c)) {
            case Character.OTHER_SYMBOL, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_NUMBER, Character.OTHER_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.CONNECTOR_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION -> false;
            default -> true;
        };
    }

    /** The token a single character becomes, or null when it stands for itself. */
    static String rewrite(char c) {
        return REWRITES.get(c);
    }

    /** 1 for superscript digits, 2 for subscript digits, 0 otherwise. */
    static int scriptDigit(char c) {
        return SUPERSCRIPTS.indexOf(c) >= 0 ? 1 : SUBSCRIPTS.indexOf(c) >= 0 ? 2 : 0;
    }

    static boolean isPairingQuote(char c) {
        return PAIRING_QUOTES.indexOf(c) >= 0;
    }

    /** How {@code word} (without its period) behaves as an abbreviation, or null when it is none. */
    static Abbreviation abbreviation(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        boolean firstUpper = isUpper(word.charAt(0));
        boolean tailLower = word.substring(1).equals(lower.substring(1));
        if (TITLE_ANY_CASE.contains(lower) || (TITLE_LOWER_TAIL.contains(lower) && tailLower)) {
            return Abbreviation.TITLE;
        }
        if (FINAL_ANY_CASE.contains(lower) || (FINAL_FIRST_UPPER.contains(lower) && firstUpper)
                || (FINAL_LOWER_TAIL.contains(lower) && tailLower)) {
            return Abbreviation.SENTENCE_FINAL;
        }
        return NUMBER_ANY_CASE.contains(lower) ? Abbreviation.BEFORE_NUMBER : null;
    }

    /**
     * Whether {@code word} with a capital first letter is one of the sentence openers listed above; PTB
     * ignores the case of the other letters ("The", "THE" and "ThE" all open a sentence, "the" does not).
     */
    static boolean startsSentence(String word) {
        return capitalised(word, SENTENCE_STARTERS);
    }

    /** Whether {@code title} (before its period), with a capital first letter, is Mr or Ms in any case. */
    static boolean startsSentenceAsTitle(String title) {
        return capitalised(title, Set.of("mr", "ms"));
    }

    private static boolean capitalised(String word, Set<String> lowerCaseWords) {
        if (word.isEmpty() || !isUpper(word.charAt(0))) {
            return false;
        }
        return lowerCaseWords.contains(word.toLowerCase(Locale.ROOT));
    }

    private static boolean in(char c, int[] ranges) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (c >= ranges[i] && c <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }
}

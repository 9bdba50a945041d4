package ai.glimpse.data;

import static ai.glimpse.data.PtbLexicon.isAlnum;
import static ai.glimpse.data.PtbLexicon.isAsciiLetter;
import static ai.glimpse.data.PtbLexicon.isDigit;
import static ai.glimpse.data.PtbLexicon.isLetter;
import static ai.glimpse.data.PtbText.EOF;
import static ai.glimpse.data.PtbText.isApostrophe;
import static ai.glimpse.data.PtbText.isAsciiAlnum;
import static ai.glimpse.data.PtbText.isAsciiUpper;

import ai.glimpse.data.PtbLexicon.Abbreviation;
import java.util.List;
import java.util.Locale;

/**
 * The rules for tokens made of letters and digits: words, numbers, hyphenated and slashed compounds,
 * apostrophe words and clitics. Each rule returns where its match at {@code from} would end ({@code from}
 * when it does not match); the scanner takes the longest, as PTB's lexer does.
 */
final class PtbWords {
    private static final String HYPHENS = "-\u2010\u2011\u058A";
    /** Apostrophe words kept whole although no general rule covers them. */
    private static final List<String> APOSTROPHE_WORDS = List.of(
            "e'er", "ev'ry", "nat'l", "li'l", "s'mores", "nor'easter", "c'mon", "c'est", "o'o", "cont'd.");

    private final PtbText t;

    PtbWords(PtbText text) {
        t = text;
    }

    /** The end of the longest word-like token at {@code from}, which holds a letter or digit. */
    int longest(int from) {
        int end = Math.max(Math.max(thing(from), listThing(from)), Math.max(slashed(from), apostropheWord(from, true)));
        end = Math.max(end, Math.max(bangWord(from), number(from)));
        end = Math.max(end, Math.max(capsAmpersand(from), Math.max(email(from), url(from))));
        end = Math.max(end, Math.max(apostropheSuffixed(from), Math.max(special(from), currencyPrefix(from))));
        return beforeFinalAbbreviation(from, end);
    }

    /**
     * Where a longer token yields to an abbreviation that may end a sentence. PTB matches "Jr." together
     * with the next two characters (unless both are letters) and prefers it on a tie, so "Jr.b x" and
     * "Jr.-x" start with "Jr." while "Jr.bc", "Jr.-xy" and "Feb.I'm" (a clitic follows) stay whole.
     */
    private int beforeFinalAbbreviation(int from, int end) {
        int reach = end + cliticAhead(end);
        for (int dot = t.indexOf(".", from); dot > from && dot < end; dot = t.indexOf(".", dot + 1)) {
            char first = t.at(dot + 1);
            char second = t.at(dot + 2);
            boolean lookahead = first != EOF && second != EOF && !(isLetter(first) && isLetter(second));
            if (lookahead && dot + 3 >= reach
                    && PtbLexicon.abbreviation(t.slice(from, dot)) == Abbreviation.SENTENCE_FINAL) {
                return dot;
            }
        }
        return end;
    }

    /** Letters and digits (or a "d'Arcy" word) joined by hyphens and underscores: "black-and-white". */
    private int thing(int from) {
        int end = Math.max(from + t.run(from, PtbLexicon::isAlnum), apostropheWord(from, false));
        return hyphenated(end, HYPHENS + "_");
    }

    /**
     * Parts joined by periods or commas, perhaps ending in a period, then hyphenated parts: "U.S.-led",
     * "1,2-3", "dog,x-ray", "kitchen...T-shirt".
     */
    private int listThing(int from) {
        int plain = from + t.run(from, PtbLexicon::isAlnum);
        int end = plain;
        int separators = t.run(end, c -> c == '.' || c == ',');
        while (separators > 0 && isAlnum(t.at(end + separators))) {
            end = end + separators + t.run(end + separators, PtbLexicon::isAlnum);
            separators = t.run(end, c -> c == '.' || c == ',');
        }
        end += separators;
        boolean hyphen = HYPHENS.indexOf(t.at(end)) >= 0 && isAlnum(t.at(end + 1));
        return end > plain && hyphen ? hyphenated(end, HYPHENS) : from;
    }

    /** Goes on from {@code end} over hyphenated parts (letters and digits, or a d'/l'/o' word). */
    private int hyphenated(int end, String hyphens) {
        while (hyphens.indexOf(t.at(end)) >= 0 && isAlnum(t.at(end + 1))) {
            end = Math.max(end + 1 + t.run(end + 1, PtbLexicon::isAlnum), apostropheWord(end + 1, false));
        }
        return end;
    }

    /**
     * Two or three ASCII parts joined by slashes, each with up to two "-letters" parts ("and/or",
     * "12/25/2020", "a-b/c"); all-digit ones whose last part has one or two digits may go on with "-" and
     * two or more digits ("1/25-10").
     */
    private int slashed(int from) {
        int end = slashPart(from);
        for (int slashes = 0; slashes < 2 && end > from && t.at(end) == '/' && slashPart(end + 1) > end + 1; slashes++) {
            end = slashPart(end + 1);
        }
        int digits = t.run(end + 1, PtbLexicon::isDigit);
        boolean numeric = t.run(from, c -> isDigit(c) || c == '/') == end - from;
        int slash = t.slice(from, end).lastIndexOf('/');
        boolean shortLast = slash >= 0 && end - (from + slash + 1) <= 2;
        return numeric && shortLast && t.at(end) == '-' && digits >= 2 ? end + 1 + digits : end;
    }

    private int slashPart(int from) {
        int end = from + t.run(from, PtbText::isAsciiAlnum);
        for (int hyphens = 0; hyphens < 2 && end > from && t.at(end) == '-' && isAsciiLetter(t.at(end + 1)); hyphens++) {
            end = end + 1 + t.run(end + 1, PtbLexicon::isAsciiLetter);
        }
        return end;
    }

    /** A word starting with a letter whose parts are joined by . ! or ? ("dog.com", "Yahoo!Mail"). */
    private int bangWord(int from) {
        if (!isLetter(t.at(from))) {
            return from;
        }
        int end = from + t.run(from, PtbLexicon::isAlnum);
        while (".!?".indexOf(t.at(end)) >= 0 && isLetter(t.at(end + 1))) {
            end = end + 1 + t.run(end + 1, PtbLexicon::isAlnum);
        }
        return end;
    }

    /** Digits with inner , . or : ("1,000.50", "10:30"), or the same led by the separator (".5"). */
    int number(int from) {
        int end = from;
        if (".,:".indexOf(t.at(end)) >= 0 && isDigit(t.at(end + 1))) {
            end++;
        }
        if (!isDigit(t.at(end))) {
            return from;
        }
        end += t.run(end, PtbLexicon::isDigit);
        while (".,:".indexOf(t.at(end)) >= 0 && isDigit(t.at(end + 1))) {
            end = end + 1 + t.run(end + 1, PtbLexicon::isDigit);
        }
        return end;
    }

    /** "1 1/2", which PTB keeps as one token with a no-break space. */
    int fraction(int from) {
        int whole = from + t.run(from, PtbLexicon::isDigit);
        if (whole == from || (t.at(whole) != ' ' && t.at(whole) != PtbText.NBSP)) {
            return from;
        }
        int numerator = t.run(whole + 1, PtbLexicon::isDigit);
        if (numerator == 0 || t.at(whole + 1 + numerator) != '/') {
            return from;
        }
        int denominator = t.run(whole + 2 + numerator, PtbLexicon::isDigit);
        return denominator == 0 ? from : whole + 2 + numerator + denominator;
    }

    /** Capitals joined by & or + ("AT&T", "Q&A"). */
    private int capsAmpersand(int from) {
        int end = from + t.run(from, PtbText::isAsciiUpper);
        int best = from;
        while (end > from && (t.at(end) == '&' || t.at(end) == '+') && isAsciiUpper(t.at(end + 1))) {
            end = end + 1 + t.run(end + 1, PtbText::isAsciiUpper);
            best = end;
        }
        return best;
    }

    /** Capitals before a dollar sign ("US$", "A$"). */
    private int currencyPrefix(int from) {
        int caps = t.run(from, PtbText::isAsciiUpper);
        return caps > 0 && t.at(from + caps) == '$' ? from + caps + 1 : from;
    }

    private int email(int from) {
        int end = from + t.run(from, PtbLexicon::isAlnum);
        while (".-_".indexOf(t.at(end)) >= 0 && isAlnum(t.at(end + 1))) {
            end = end + 1 + t.run(end + 1, PtbLexicon::isAlnum);
        }
        if (t.at(end) != '@' || !isAlnum(t.at(end + 1))) {
            return from;
        }
        end = end + 1 + t.run(end + 1, PtbLexicon::isAlnum);
        while (".-".indexOf(t.at(end)) >= 0 && isAlnum(t.at(end + 1))) {
            end = end + 1 + t.run(end + 1, PtbLexicon::isAlnum);
        }
        return end;
    }

    /** http(s) addresses with a dotted host; trailing sentence punctuation stays outside. */
    private int url(int from) {
        int host = t.matchesIgnoreCase(from, "http://") ? from + 7 : t.matchesIgnoreCase(from, "https://") ? from + 8 : -1;
        if (host < 0) {
            return from;
        }
        int hostEnd = host + t.run(host, c -> isAsciiAlnum(c) || c == '.' || c == '-');
        int dot = t.indexOf(".", host);
        if (dot < 0 || dot >= hostEnd) {
            return from;
        }
        int end = host + t.run(host, c -> !Character.isWhitespace(c) && "\"<>()[]{}".indexOf(c) < 0);
        while (".,;:!?'".indexOf(t.at(end - 1)) >= 0) {
            end--;
        }
        return end;
    }

    /** C++, C# and F#. */
    private int special(int from) {
        for (String word : List.of("c++", "c#", "f#")) {
            if (t.matchesIgnoreCase(from, word)) {
                return from + word.length();
            }
        }
        return from;
    }

    /**
     * O'Neil, l'amour, d'ye, and (with {@code any}) a few listed words and ma'am or qu'il, a vowel on both
     * sides. Only words led by d', l' or o' may go on with hyphens, so the thing rule asks for those alone.
     */
    private int apostropheWord(int from, boolean any) {
        for (String word : APOSTROPHE_WORDS) {
            if (any && matchesApostropheWord(from, word)) {
                return from + word.length();
            }
        }
        int letters = t.run(from, PtbLexicon::isLetter);
        if (letters == 0 || !isApostrophe(t.at(from + letters))) {
            return from;
        }
        char first = t.at(from);
        if (letters == 1 && "dDoOlL".indexOf(first) >= 0) {
            int tail = t.run(from + 2, PtbLexicon::isAlnum);
            return tail >= 2 && !isCliticWord(from + 1, tail) ? from + 2 + tail : from;
        }
        int tail = t.run(from + letters + 1, PtbLexicon::isLetter);
        if (!any || isCliticWord(from + letters, tail)) {
            return from;
        }
        char last = t.at(from + letters - 1);
        char next = t.at(from + letters + 1);
        boolean initial = letters == 1 && tail >= 2 && ((isAsciiUpper(first) && first != 'I' && first != 'Y') || first == 'n');
        boolean vowel = letters >= 2 && tail >= 1 && "aeiouyAEIOUY".indexOf(last) >= 0
                && ("aeiou".indexOf(next) >= 0 || isAsciiUpper(next));
        return initial || vowel ? from + letters + 1 + tail : from;
    }

    private boolean matchesApostropheWord(int from, String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = t.at(from + i);
            char w = word.charAt(i);
            if (w == '\'' ? !isApostrophe(c) : Character.toLowerCase(c) != w) {
                return false;
            }
        }
        return true;
    }

    /** Words that end in an apostrophe: d', l', j', y'all's y', ol'. */
    private int apostropheSuffixed(int from) {
        int letters = t.run(from, PtbLexicon::isLetter);
        char apostrophe = t.at(from + letters);
        if ((apostrophe != '\'' && apostrophe != '\u2019')
                || isCliticWord(from + letters, t.run(from + letters + 1, PtbLexicon::isLetter))) {
            return from;
        }
        String word = t.slice(from, from + letters).toLowerCase(Locale.ROOT);
        char next = t.at(from + letters + 1);
        boolean suffixed = word.equals("d") || word.equals("l") || word.equals("j")
                || (List.of("ol", "dunkin", "somethin").contains(word) && !isLetter(next))
                || (word.equals("y") && isLetter(next));
        return suffixed ? from + letters + 1 : from;
    }

    /**
     * The length of the clitic ('s, 'd, 'm, 'll, 're, 've) at apostrophe {@code i}, or 0. After ' it must
     * not go on with a letter, and 'll, 're and 've need something after them; after ’ nothing is checked.
     */
    int clitic(int i) {
        boolean curly = t.at(i) == '\u2019';
        if (t.at(i) != '\'' && !curly) {
            return 0;
        }
        if (t.matchesIgnoreCase(i + 1, "s") || t.matchesIgnoreCase(i + 1, "d") || t.matchesIgnoreCase(i + 1, "m")) {
            return curly || !isAsciiLetter(t.at(i + 2)) ? 2 : 0;
        }
        boolean two = t.matchesIgnoreCase(i + 1, "ll") || t.matchesIgnoreCase(i + 1, "re") || t.matchesIgnoreCase(i + 1, "ve");
        return two && (curly || (!isAsciiLetter(t.at(i + 3)) && i + 3 < t.length())) ? 3 : 0;
    }

    /** How far a clitic that PTB looks for after a word reaches ('s, 're, ...; n't is found earlier), or 0. */
    private int cliticAhead(int i) {
        if (t.at(i) != '\'' && t.at(i) != '\u2019') {
            return 0;
        }
        for (String clitic : List.of("ll", "re", "ve", "s", "d", "m")) {
            if (t.matchesIgnoreCase(i + 1, clitic)) {
                return 1 + clitic.length();
            }
        }
        return 0;
    }

    /** Whether the {@code length} characters after apostrophe {@code i} are a clitic (s, d, m, ll, re, ve). */
    private boolean isCliticWord(int i, int length) {
        String tail = t.slice(i + 1, i + 1 + length).toLowerCase(Locale.ROOT);
        return (t.at(i) == '\'' || t.at(i) == '\u2019') && List.of("s", "d", "m", "ll", "re", "ve").contains(tail);
    }

    /** The end of 'em, 'cause, 'til, 'till, '90s or a two-digit year ('99 before a space) at {@code from}. */
    int afterApostrophe(int from) {
        for (String word : List.of("em", "cause", "till", "til")) {
            if (t.matchesIgnoreCase(from + 1, word)) {
                return from + 1 + word.length();
            }
        }
        char decade = t.at(from + 1);
        if (decade >= '2' && decade <= '9' && t.at(from + 2) == '0' && (t.at(from + 3) | 0x20) == 's') {
            return from + 4;
        }
        boolean year = isDigit(t.at(from + 1)) && isDigit(t.at(from + 2)) && PtbText.isBreak(t.at(from + 3));
        return year ? from + 3 : from;
    }
}

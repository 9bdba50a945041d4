package ai.glimpse.data;

import static ai.glimpse.data.PtbLexicon.isAsciiLetter;
import static ai.glimpse.data.PtbLexicon.isDigit;
import static ai.glimpse.data.PtbLexicon.isLetter;
import static ai.glimpse.data.PtbText.isApostrophe;
import static ai.glimpse.data.PtbText.isAsciiUpper;
import static ai.glimpse.data.PtbText.isCliticApostrophe;

import java.util.List;
import java.util.Locale;

/**
 * The PTB rules around apostrophes: words that hold one (O'Neil, ma'am, d'ye), words that end in one
 * (y'all's y'), the clitics split off words ('s, 're; n't is split by the scanner) and the tokens that
 * start with one ('em, '90s). Each rule returns where its match would end, or where it started.
 */
final class PtbApostrophes {
    /** Apostrophe words kept whole although no general rule covers them. */
    private static final List<String> LISTED_WORDS = List.of(
            "e'er", "ev'ry", "nat'l", "li'l", "s'mores", "nor'easter", "c'mon", "c'est", "o'o", "cont'd.");
    private static final List<String> CLITICS = List.of("s", "d", "m", "ll", "re", "ve");

    private final PtbText t;

    PtbApostrophes(PtbText text) {
        t = text;
    }

    /**
     * O'Neil, l'amour, d'ye, and (with {@code any}) a few listed words and ma'am or qu'il, a vowel on both
     * sides. Only words led by d', l' or o' may go on with hyphens, so the thing rule asks for those alone.
     */
    int word(int from, boolean any) {
        for (String word : LISTED_WORDS) {
            if (any && matchesListed(from, word)) {
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
        boolean initial = letters == 1 && tail >= 2
                && ((isAsciiUpper(first) && first != 'I' && first != 'Y') || first == 'n');
        boolean vowel = letters >= 2 && tail >= 1 && "aeiouyAEIOUY".indexOf(last) >= 0
                && ("aeiou".indexOf(next) >= 0 || isAsciiUpper(next));
        return initial || vowel ? from + letters + 1 + tail : from;
    }

    private boolean matchesListed(int from, String word) {
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
    int suffixed(int from) {
        int letters = t.run(from, PtbLexicon::isLetter);
        if (!isCliticApostrophe(t.at(from + letters))
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
        String clitic = cliticAfter(i);
        if (clitic == null) {
            return 0;
        }
        int end = i + 1 + clitic.length();
        boolean free = !isAsciiLetter(t.at(end)) && (clitic.length() == 1 || end < t.length());
        return t.at(i) == '\u2019' || free ? end - i : 0;
    }

    /** How far a clitic that PTB looks for after a word reaches ('s, 're, ...; n't is found earlier), or 0. */
    int cliticAhead(int i) {
        String clitic = cliticAfter(i);
        return clitic == null ? 0 : 1 + clitic.length();
    }

    private String cliticAfter(int i) {
        if (isCliticApostrophe(t.at(i))) {
            for (String clitic : CLITICS) {
                if (t.matchesIgnoreCase(i + 1, clitic)) {
                    return clitic;
                }
            }
        }
        return null;
    }

    /** Whether the {@code length} characters after apostrophe {@code i} are a clitic (s, d, m, ll, re, ve). */
    private boolean isCliticWord(int i, int length) {
        String tail = t.slice(i + 1, i + 1 + length).toLowerCase(Locale.ROOT);
        return isCliticApostrophe(t.at(i)) && CLITICS.contains(tail);
    }

    /** The end of 'em, 'cause, 'til, 'till, '90s or a two-digit year ('99 before a space) at {@code from}. */
    int startingWith(int from) {
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

package ai.glimpse.data;

import static ai.glimpse.data.PtbLexicon.isAlnum;
import static ai.glimpse.data.PtbLexicon.isDigit;
import static ai.glimpse.data.PtbLexicon.isLetter;
import static ai.glimpse.data.PtbText.EOF;
import static ai.glimpse.data.PtbText.isAsciiAlnum;
import static ai.glimpse.data.PtbText.isAsciiUpper;

import ai.glimpse.data.PtbLexicon.Abbreviation;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The rules for tokens made of letters and digits: words, numbers, hyphenated and slashed compounds,
 * addresses. Each rule returns where its match at {@code from} would end ({@code from} when it does not
 * match); {@link #longest} takes the longest, as PTB's lexer does.
 */
final class PtbWords {
    private static final String HYPHENS = "-\u2010\u2011\u058A";

    private final PtbText t;
    private final PtbApostrophes apostrophes;
    /**
     * The last chain of {@link #listThing} and of an e-mail name: from where it was scanned and where it
     * ends. A word that starts inside a chain ends its first part where the chain has a joint, so the rest
     * of the scan would be the same; remembering the end keeps "a,b,c,..." from being rescanned at every
     * part (quadratic in the chain's length).
     */
    private final Chain listChain = new Chain();
    private final Chain nameChain = new Chain();

    PtbWords(PtbText text, PtbApostrophes apostrophes) {
        t = text;
        this.apostrophes = apostrophes;
    }

    /** The end of the longest word-like token at {@code from}, which holds a letter or digit. */
    int longest(int from) {
        int end = IntStream.of(thing(from), listThing(from), slashed(from), mixedFraction(from), bangWord(from),
                number(from), capsAmpersand(from), currencyPrefix(from), email(from), url(from), special(from),
                apostrophes.word(from, true), apostrophes.suffixed(from)).max().getAsInt();
        return beforeFinalAbbreviation(from, end);
    }

    /**
     * Where a longer token yields to an abbreviation that may end a sentence. PTB matches "Jr." together
     * with the next two characters (unless both are letters) and prefers it on a tie, so "Jr.b x" and
     * "Jr.-x" start with "Jr." while "Jr.bc", "Jr.-xy" and "Feb.I'm" (a clitic follows) stay whole.
     */
    private int beforeFinalAbbreviation(int from, int end) {
        int reach = end + apostrophes.cliticAhead(end);
        // Only a period within three characters of the reach can win, so only those are looked at: the
        // token's other periods, and the text beyond it, are never scanned (linear in the text's length).
        for (int dot = Math.max(from + 1, reach - 3); dot < end; dot++) {
            char first = t.at(dot + 1);
            char second = t.at(dot + 2);
            boolean lookahead = first != EOF && second != EOF && !(isLetter(first) && isLetter(second));
            if (t.at(dot) == '.' && lookahead
                    && PtbLexicon.abbreviation(t.slice(from, dot)) == Abbreviation.SENTENCE_FINAL) {
                return dot;
            }
        }
        return end;
    }

    /** Letters and digits (or a "d'Arcy" word) joined by hyphens and underscores: "black-and-white". */
    private int thing(int from) {
        int end = Math.max(from + t.run(from, PtbLexicon::isAlnum), apostrophes.word(from, false));
        return hyphenated(end, HYPHENS + "_");
    }

    /**
     * Parts joined by periods or commas, perhaps ending in a period, then hyphenated parts: "U.S.-led",
     * "1,2-3", "dog,x-ray", "kitchen...T-shirt".
     */
    private int listThing(int from) {
        int plain = from + t.run(from, PtbLexicon::isAlnum);
        int end = listChain.endFor(from);
        if (end < 0) {
            end = plain;
            int separators = t.run(end, c -> c == '.' || c == ',');
            while (separators > 0 && isAlnum(t.at(end + separators))) {
                end = end + separators + t.run(end + separators, PtbLexicon::isAlnum);
                separators = t.run(end, c -> c == '.' || c == ',');
            }
            end += separators;
            listChain.remember(from, end);
        }
        boolean hyphen = HYPHENS.indexOf(t.at(end)) >= 0 && isAlnum(t.at(end + 1));
        return end > plain && hyphen ? hyphenated(end, HYPHENS) : from;
    }

    /** Goes on from {@code end} over hyphenated parts (letters and digits, or a d'/l'/o' word). */
    private int hyphenated(int end, String hyphens) {
        while (hyphens.indexOf(t.at(end)) >= 0 && isAlnum(t.at(end + 1))) {
            end = Math.max(end + 1 + t.run(end + 1, PtbLexicon::isAlnum), apostrophes.word(end + 1, false));
        }
        return end;
    }

    /**
     * Two or three ASCII parts joined by slashes, each with up to two "-letters" parts ("and/or",
     * "12/25/2020", "a-b/c"); a day and month may go on with "-" and two or more digits ("1/25-10").
     */
    private int slashed(int from) {
        int end = slashPart(from);
        for (int slashes = 0; slashes < 2 && end > from && t.at(end) == '/'; slashes++) {
            int part = slashPart(end + 1);
            if (part == end + 1) {
                break;
            }
            end = part;
        }
        if (t.at(end) != '-' || !t.slice(from, end).matches("\\d{1,2}/\\d{1,2}")) {
            return end;
        }
        int digits = t.run(end + 1, PtbLexicon::isDigit);
        return digits >= 2 ? end + 1 + digits : end;
    }

    private int slashPart(int from) {
        int end = from + t.run(from, PtbText::isAsciiAlnum);
        for (int hyphens = 0; hyphens < 2 && end > from && t.at(end) == '-'; hyphens++) {
            int letters = t.run(end + 1, PtbLexicon::isAsciiLetter);
            if (letters == 0) {
                break;
            }
            end += 1 + letters;
        }
        return end;
    }

    /** A whole number, a hyphen and a fraction, up to four digits each: "3-1/2". */
    private int mixedFraction(int from) {
        int whole = t.run(from, PtbLexicon::isDigit);
        int numerator = t.run(from + whole + 1, PtbLexicon::isDigit);
        int slash = from + whole + 1 + numerator;
        int denominator = Math.min(4, t.run(slash + 1, PtbLexicon::isDigit));
        boolean fraction = whole > 0 && whole <= 4 && t.at(from + whole) == '-' && numerator > 0 && numerator <= 4
                && t.at(slash) == '/';
        return fraction && denominator > 0 ? slash + 1 + denominator : from;
    }

    /** A word starting with a letter whose parts are joined by . ! or ? ("dog.com", "Yahoo!Mail"). */
    private int bangWord(int from) {
        if (!isLetter(t.at(from))) {
            return from;
        }
        return joined(from + t.run(from, PtbLexicon::isAlnum), ".!?", PtbLexicon::isLetter, PtbLexicon::isAlnum);
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
        return joined(end + t.run(end, PtbLexicon::isDigit), ".,:", PtbLexicon::isDigit, PtbLexicon::isDigit);
    }

    /** "1 1/2", up to four digits each, which PTB keeps as one token with a no-break space. */
    int fraction(int from) {
        int whole = t.run(from, PtbLexicon::isDigit);
        char gap = t.at(from + whole);
        int numerator = t.run(from + whole + 1, PtbLexicon::isDigit);
        int slash = from + whole + 1 + numerator;
        int denominator = Math.min(4, t.run(slash + 1, PtbLexicon::isDigit));
        boolean fraction = whole > 0 && whole <= 4 && (gap == ' ' || gap == PtbText.NBSP) && numerator > 0
                && numerator <= 4 && t.at(slash) == '/';
        return fraction && denominator > 0 ? slash + 1 + denominator : from;
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

    /** An e-mail address: name@host.domain. */
    private int email(int from) {
        int at = nameChain.endFor(from);
        if (at < 0) {
            at = joined(from + t.run(from, PtbLexicon::isAlnum), ".-_", PtbLexicon::isAlnum, PtbLexicon::isAlnum);
            nameChain.remember(from, at);
        }
        if (t.at(at) != '@' || !isAlnum(t.at(at + 1))) {
            return from;
        }
        return joined(at + 1 + t.run(at + 1, PtbLexicon::isAlnum), ".-", PtbLexicon::isAlnum, PtbLexicon::isAlnum);
    }

    /** http(s) addresses with a dotted host; trailing sentence punctuation stays outside. */
    private int url(int from) {
        String scheme = t.matchesIgnoreCase(from, "http://") ? "http://" : "https://";
        if (!t.matchesIgnoreCase(from, scheme)) {
            return from;
        }
        int host = from + scheme.length();
        int hostEnd = host + t.run(host, c -> isAsciiAlnum(c) || c == '.' || c == '-');
        if (t.slice(host, hostEnd).indexOf('.') < 0) {
            return from;
        }
        int end = host + t.run(host, c -> !Character.isWhitespace(c) && "\"<>()[]{}".indexOf(c) < 0);
        while (".,;:!?'".indexOf(t.at(end - 1)) >= 0) {
            end--;
        }
        return end;
    }

    /** Goes on from {@code end} while a joiner is followed by a part that starts with {@code first}. */
    private int joined(int end, String joiners, PtbText.CharTest first, PtbText.CharTest part) {
        while (joiners.indexOf(t.at(end)) >= 0 && first.test(t.at(end + 1))) {
            end = end + 1 + t.run(end + 1, part);
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
     * Where the last chain scanned from {@code from} ended. Words start at letters or digits, and a word
     * that starts after {@code from} but before the end lies inside the same chain.
     */
    private static final class Chain {
        private int from = -1;
        private int end = -1;

        /** The remembered end for a word starting at {@code start}, or -1 when it has to be scanned. */
        int endFor(int start) {
            return start > from && start < end ? end : -1;
        }

        void remember(int start, int chainEnd) {
            from = start;
            end = chainEnd;
        }
    }
}

package ai.glimpse.data;

import static ai.glimpse.data.PtbLexicon.isAlnum;
import static ai.glimpse.data.PtbLexicon.isAsciiLetter;
import static ai.glimpse.data.PtbLexicon.isDigit;
import static ai.glimpse.data.PtbLexicon.isLetter;

import ai.glimpse.data.PtbLexicon.Abbreviation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written scanner that splits text into Penn Treebank tokens the way CoreNLP 3.4.1's
 * {@code PTBTokenizer -preserveLines} does (each input line gives one output line). Like that lexer it
 * takes, at each point, the longest token that any of its rules can match; rules that look past the
 * token (clitics, sentence ends) look across line breaks too, and fail at the very end of the text.
 */
final class PtbScanner {
    private static final char EOF = '\0';
    private static final char NBSP = '\u00A0';
    private static final char SOFT_HYPHEN = '\u00AD';
    /** Words that PTB splits in two; the value is the first part. */
    private static final Map<String, String> SPLIT_WORDS = Map.of(
            "cannot", "can", "gonna", "gon", "gotta", "got", "wanna", "wan", "gimme", "gim", "lemme", "lem");
    /** Apostrophe words kept whole although no general rule covers them. */
    private static final List<String> APOSTROPHE_WORDS = List.of(
            "e'er", "ev'ry", "nat'l", "li'l", "s'mores", "nor'easter", "c'mon", "o'o", "cont'd.");

    private final String s;
    private final List<List<String>> lines = new ArrayList<>();
    private List<String> line = new ArrayList<>();
    private int p;

    private PtbScanner(String text) {
        s = prepare(text);
    }

    /** Tokens of each line of {@code text}, not lower-cased; there is always at least one line. */
    static List<List<String>> scan(String text) {
        PtbScanner scanner = new PtbScanner(text);
        scanner.run();
        return scanner.lines;
    }

    private void run() {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == '\n') {
                lines.add(line);
                line = new ArrayList<>();
                p++;
            } else if (PtbLexicon.isSpace(c) || PtbLexicon.isDeleted(c)) {
                p++;
            } else if (isAlnum(c)) {
                word();
            } else if (c == '\'' || c == '\u2019') {
                apostrophe();
            } else {
                symbol(c);
            }
        }
        lines.add(line);
    }

    // ---- words, numbers and their periods -------------------------------------------------------

    private void word() {
        if (matchesIgnoreCase(p, "n") && isApostrophe(at(p + 1)) && (at(p + 2) | 0x20) == 't'
                && !isLetter(at(p + 3))) {
            emit(p + 3, "n" + written(at(p + 1)) + "t");
            return;
        }
        int end = Math.max(Math.max(thing(p), dottedThing(p)), Math.max(slashed(p), apostropheWord(p, true)));
        end = Math.max(end, Math.max(bangWord(p), number(p)));
        end = Math.max(end, Math.max(capsAmpersand(p), Math.max(email(p), url(p))));
        end = Math.max(end, Math.max(apostropheSuffixed(p), special(p)));
        end = Math.max(end, currencyPrefix(p));
        int fraction = fraction(p);
        if (fraction > end) {
            int digits = p + run(p, PtbLexicon::isDigit);
            emit(fraction, s.substring(p, digits) + NBSP + s.substring(digits + 1, fraction));
            return;
        }
        String token = s.substring(p, end);
        String split = SPLIT_WORDS.get(token.toLowerCase(Locale.ROOT));
        if (split != null) {
            emit(p + split.length(), token.substring(0, split.length()));
        } else if (token.length() > 1 && (at(end - 1) | 0x20) == 'n' && (at(end - 2) | 0x20) != 'n'
                && isApostrophe(at(end)) && (at(end + 1) | 0x20) == 't' && run(p, PtbLexicon::isAsciiLetter) == end - p) {
            emit(end - 1, token.substring(0, token.length() - 1));
        } else if (at(end) == '.') {
            period(token, end);
        } else {
            emit(end, token);
        }
    }

    /** A word followed by a period: abbreviations and initials keep it, sentence ends may add one. */
    private void period(String token, int end) {
        int after = end + 1;
        Abbreviation abbreviation = PtbLexicon.abbreviation(token);
        if (token.length() == 1 && isAsciiLetter(token.charAt(0))) {
            emit(sentenceStarts(after) ? end : after, sentenceStarts(after) ? token : token + ".");
        } else if (isAcronym(token)) {
            emit(after, token + ".");
            if (sentenceStarts(after)) {
                line.add(".");
            }
        } else if (abbreviation == Abbreviation.TITLE
                || (abbreviation == Abbreviation.BEFORE_NUMBER && isDigit(at(skipSpaces(after))))) {
            emit(after, token + ".");
        } else if (abbreviation == Abbreviation.SENTENCE_FINAL) {
            emit(after, token + ".");
            if (sentenceEnds(after)) {
                line.add(".");
            }
        } else if (",;:".indexOf(at(after)) >= 0 && token.indexOf('/') < 0
                && !(isDigit(token.charAt(0)) && token.matches(".*[.,:].*"))) {
            emit(after, token + ".");
        } else {
            emit(end, token);
        }
    }

    /** Letters and digits (or an "O'Neil" word) joined by hyphens and underscores: "black-and-white". */
    private int thing(int from) {
        int end = Math.max(from + run(from, PtbLexicon::isAlnum), apostropheWord(from, false));
        return hyphenated(end, "-_\u2010\u2011\u058A");
    }

    /** A dotted word or a decimal number, possibly followed by hyphenated parts: "a.b-c", "1.2-3". */
    private int dottedThing(int from) {
        return hyphenated(Math.max(dottedWord(from), decimal(from)), "-\u2010\u2011\u058A");
    }

    private int hyphenated(int end, String hyphens) {
        while (hyphens.indexOf(at(end)) >= 0 && isAlnum(at(end + 1))) {
            end = end + 1 + run(end + 1, PtbLexicon::isAlnum);
        }
        return end;
    }

    /** Two or three ASCII parts joined by slashes, each with up to two hyphens: "and/or", "12/25/2020". */
    private int slashed(int from) {
        int end = slashPart(from);
        for (int slashes = 0; slashes < 2 && end > from && at(end) == '/' && slashPart(end + 1) > end + 1; slashes++) {
            end = slashPart(end + 1);
        }
        return end;
    }

    private int slashPart(int from) {
        int end = from + run(from, PtbScanner::isAsciiAlnum);
        for (int hyphens = 0; hyphens < 2 && end > from && at(end) == '-' && isAsciiAlnum(at(end + 1)); hyphens++) {
            end = end + 1 + run(end + 1, PtbScanner::isAsciiAlnum);
        }
        return end;
    }

    /** A word starting with a letter whose parts are joined by periods ("dog.com"). */
    private int dottedWord(int from) {
        return joinedWord(from, ".");
    }

    /** As {@link #dottedWord}, also joining on ! and ? ("Yahoo!Mail"). */
    private int bangWord(int from) {
        return joinedWord(from, ".!?");
    }

    private int joinedWord(int from, String joiners) {
        if (!isLetter(at(from))) {
            return from;
        }
        int end = from + run(from, PtbLexicon::isAlnum);
        while (joiners.indexOf(at(end)) >= 0 && isLetter(at(end + 1))) {
            end = end + 1 + run(end + 1, PtbLexicon::isAlnum);
        }
        return end;
    }

    /** Digits with inner , . or : ("1,000.50", "10:30"), or the same led by the separator (".5"). */
    private int number(int from) {
        return digitGroups(from, ".,:");
    }

    private int decimal(int from) {
        return isDigit(at(from)) ? digitGroups(from, ".,") : from;
    }

    private int digitGroups(int from, String separators) {
        int end = from;
        if (separators.indexOf(at(end)) >= 0 && isDigit(at(end + 1))) {
            end++;
        }
        if (!isDigit(at(end))) {
            return from;
        }
        end += run(end, PtbLexicon::isDigit);
        while (separators.indexOf(at(end)) >= 0 && isDigit(at(end + 1))) {
            end = end + 1 + run(end + 1, PtbLexicon::isDigit);
        }
        return end;
    }

    /** "1 1/2", which PTB keeps as one token with a no-break space. */
    private int fraction(int from) {
        int end = from + run(from, PtbLexicon::isDigit);
        if (end == from) {
            return from;
        }
        boolean gap = at(end) == ' ' || at(end) == NBSP;
        int next = gap ? end + 1 : end;
        int numerator = run(next, PtbLexicon::isDigit);
        if (!gap || numerator == 0 || at(next + numerator) != '/') {
            return from;
        }
        int denominator = run(next + numerator + 1, PtbLexicon::isDigit);
        return denominator == 0 ? from : next + numerator + 1 + denominator;
    }

    /** Capitals joined by & or + ("AT&T", "Q&A"). */
    private int capsAmpersand(int from) {
        int end = from + run(from, c -> c >= 'A' && c <= 'Z');
        int best = from;
        while (end > from && (at(end) == '&' || at(end) == '+') && at(end + 1) >= 'A' && at(end + 1) <= 'Z') {
            end = end + 1 + run(end + 1, c -> c >= 'A' && c <= 'Z');
            best = end;
        }
        return best;
    }

    /** Capitals before a dollar sign ("US$", "A$"). */
    private int currencyPrefix(int from) {
        int caps = run(from, c -> c >= 'A' && c <= 'Z');
        return caps > 0 && at(from + caps) == '$' ? from + caps + 1 : from;
    }

    private int email(int from) {
        int end = from + run(from, PtbLexicon::isAlnum);
        while (".-_".indexOf(at(end)) >= 0 && isAlnum(at(end + 1))) {
            end = end + 1 + run(end + 1, PtbLexicon::isAlnum);
        }
        if (at(end) != '@' || !isAlnum(at(end + 1))) {
            return from;
        }
        end = end + 1 + run(end + 1, PtbLexicon::isAlnum);
        while (".-".indexOf(at(end)) >= 0 && isAlnum(at(end + 1))) {
            end = end + 1 + run(end + 1, PtbLexicon::isAlnum);
        }
        return end;
    }

    /** http(s) addresses with a dotted host; trailing sentence punctuation stays outside. */
    private int url(int from) {
        int host = matchesIgnoreCase(from, "http://") ? from + 7 : matchesIgnoreCase(from, "https://") ? from + 8 : -1;
        int hostEnd = host < 0 ? host : host + run(host, c -> isAsciiAlnum(c) || c == '.' || c == '-');
        if (host < 0 || s.indexOf('.', host) < 0 || s.indexOf('.', host) >= hostEnd) {
            return from;
        }
        int end = host;
        while (end < s.length() && !Character.isWhitespace(at(end)) && "\"<>()[]{}".indexOf(at(end)) < 0) {
            end++;
        }
        while (".,;:!?'".indexOf(at(end - 1)) >= 0) {
            end--;
        }
        return end;
    }

    /** C++, C# and F#, and words PTB splits (cannot, gonna) so that the split can be made. */
    private int special(int from) {
        for (String word : List.of("c++", "c#", "f#")) {
            if (matchesIgnoreCase(from, word)) {
                return from + word.length();
            }
        }
        return from;
    }

    // ---- apostrophes ------------------------------------------------------------------------------

    /** O'Neil, l'amour, d'ye and a few listed words, or (with {@code vowels}) also ma'am and qu'il. */
    private int apostropheWord(int from, boolean vowels) {
        for (String word : APOSTROPHE_WORDS) {
            if (matchesApostropheWord(from, word)) {
                return from + word.length();
            }
        }
        int letters = run(from, PtbLexicon::isLetter);
        if (letters == 0 || !isApostrophe(at(from + letters)) || cliticAt(from + letters)) {
            return from;
        }
        int tail = run(from + letters + 1, PtbLexicon::isLetter);
        char first = at(from);
        char last = at(from + letters - 1);
        char next = at(from + letters + 1);
        boolean initial = letters == 1 && tail >= 2
                && ((first >= 'A' && first <= 'Z' && first != 'I' && first != 'Y') || "nodl".indexOf(first) >= 0);
        boolean vowel = vowels && letters >= 2 && tail >= 1 && "aeiouyAEIOUY".indexOf(last) >= 0
                && ("aeiou".indexOf(next) >= 0 || (next >= 'A' && next <= 'Z'));
        return initial || vowel ? from + letters + 1 + tail : from;
    }

    /** Words that end in an apostrophe: d', l', y'all's y', ol'. */
    private int apostropheSuffixed(int from) {
        int letters = run(from, PtbLexicon::isLetter);
        if ((at(from + letters) != '\'' && at(from + letters) != '\u2019') || cliticAt(from + letters)) {
            return from;
        }
        String word = s.substring(from, from + letters).toLowerCase(Locale.ROOT);
        char next = at(from + letters + 1);
        boolean suffixed = word.equals("d") || word.equals("l")
                || (List.of("ol", "dunkin", "somethin").contains(word) && !isLetter(next))
                || ((word.equals("y") || word.equals("j")) && isLetter(next));
        return suffixed ? from + letters + 1 : from;
    }

    /** The length of the clitic ('s, 'd, 'm, 'll, 're, 've) at apostrophe {@code i}, or 0. */
    private int clitic(int i) {
        boolean curly = at(i) == '\u2019';
        if (at(i) != '\'' && !curly) {
            return 0;
        }
        if (matchesIgnoreCase(i + 1, "s") || matchesIgnoreCase(i + 1, "d") || matchesIgnoreCase(i + 1, "m")) {
            return curly || !isAsciiLetter(at(i + 2)) ? 2 : 0;
        }
        boolean two = matchesIgnoreCase(i + 1, "ll") || matchesIgnoreCase(i + 1, "re") || matchesIgnoreCase(i + 1, "ve");
        return two && (curly || (!isAsciiLetter(at(i + 3)) && i + 3 < s.length())) ? 3 : 0;
    }

    private boolean cliticAt(int i) {
        return clitic(i) > 0;
    }

    /** A token starting with ' or ’: a clitic ('s, n't is found by {@link #word}), 'n', 'em, '90s or a quote. */
    private void apostrophe() {
        char a = (char) (at(p + 1) | 0x20);
        int clitic = clitic(p);
        int listed = listedAfterApostrophe();
        boolean ascii = at(p) == '\'';
        if (ascii && a == 't' && (matchesIgnoreCase(p + 2, "is") || matchesIgnoreCase(p + 2, "was"))) {
            emit(p + 2, "'" + at(p + 1));
        } else if (clitic > 0) {
            emit(p + clitic, "'" + s.substring(p + 1, p + clitic));
        } else if (a == 'n' && (at(p + 2) == '\'' || at(p + 2) == '\u2019')) {
            emit(p + 3, s.substring(p, p + 3));
        } else if (a == 'n' && (!ascii || at(p + 2) == EOF || isBreak(at(p + 2)))) {
            emit(p + 2, s.substring(p, p + 2));
        } else if (listed > p) {
            emit(listed, s.substring(p, listed));
        } else if (!ascii) {
            quotes();
        } else if (at(p + 1) == '\'') {
            emit(p + 2, "''");
        } else if (isAsciiLetter(at(p + 1)) && at(p + 2) != EOF && !Character.isWhitespace(at(p + 2))) {
            emit(p + 1, "`");
        } else {
            emit(p + 1, "'");
        }
    }

    /** 'em, 'cause, 'til, 'till, '90s and two-digit years ('99). */
    private int listedAfterApostrophe() {
        for (String word : List.of("em", "cause", "till", "til")) {
            if (matchesIgnoreCase(p + 1, word) && !isLetter(at(p + 1 + word.length()))) {
                return p + 1 + word.length();
            }
        }
        if (at(p + 1) >= '2' && at(p + 1) <= '9' && at(p + 2) == '0' && (at(p + 3) | 0x20) == 's') {
            return p + 4;
        }
        boolean year = isDigit(at(p + 1)) && isDigit(at(p + 2)) && isBreak(at(p + 3));
        return year ? p + 3 : p;
    }

    // ---- punctuation and symbols ------------------------------------------------------------------

    private void symbol(char c) {
        int numberEnd = "+-".indexOf(c) >= 0 ? number(p + 1) : number(p);
        if (numberEnd > p + 1) {
            emit(numberEnd, s.substring(p, numberEnd));
            return;
        }
        if ("^-<>".indexOf(c) >= 0 && at(p + 1) == '_' && "^-<>".indexOf(at(p + 2)) >= 0) {
            emit(p + 3, s.substring(p, p + 3));
            return;
        }
        int emoticon = emoticon();
        if (emoticon > p) {
            String face = s.substring(p, emoticon);
            emit(emoticon, face.replace("(", "-LRB-").replace(")", "-RRB-"));
            return;
        }
        int same = run(p, x -> x == c);
        switch (c) {
            case '"' -> emit(p + 1, isAsciiAlnum(at(p + 1)) || at(p + 1) == '$' ? "``" : "''");
            case '.' -> dots();
            case '!', '?' -> {
                int end = p + run(p, x -> x == '!' || x == '?');
                emit(end, s.substring(p, end));
            }
            case '-' -> emit(p + same, same == 1 ? "-" : same <= 4 ? "--" : s.substring(p, p + same));
            case '*', '_' -> emit(p + same, s.substring(p, p + same));
            case '#', '@' -> {
                int tag = c == '#' ? run(p + 1, PtbLexicon::isLetter)
                        : isLetter(at(p + 1)) ? run(p + 1, x -> isAlnum(x) || x == '_') : 0;
                int end = same > 1 ? p + same : p + 1 + tag;
                emit(end, s.substring(p, end));
            }
            case '<', '>' -> {
                int tag = c == '<' ? sgml() : p;
                int end = tag > p ? tag : p + Math.min(same, 2);
                emit(end, s.substring(p, end).replace(' ', NBSP));
            }
            case '&' -> entity();
            default -> {
                if (PtbLexicon.isPairingQuote(c)) {
                    quotes();
                } else if (PtbLexicon.scriptDigit(c) > 0 || c == SOFT_HYPHEN) {
                    int end = p + run(p, x -> x == c || (c != SOFT_HYPHEN
                            && PtbLexicon.scriptDigit(x) == PtbLexicon.scriptDigit(c)));
                    emit(end, c == SOFT_HYPHEN ? "-" : s.substring(p, end));
                } else {
                    emit(p + 1, written(c));
                }
            }
        }
    }

    /** One quote character, or two in a row, rewritten to PTB's ` ' `` ''. */
    private void quotes() {
        int end = PtbLexicon.isPairingQuote(at(p + 1)) ? p + 2 : p + 1;
        emit(end, end == p + 2 ? written(at(p)) + written(at(p + 1)) : written(at(p)));
    }

    private void dots() {
        int same = run(p, x -> x == '.');
        int spaced = 1;
        while (spaced < 5 && at(p + 2 * spaced - 1) == ' ' && at(p + 2 * spaced) == '.') {
            spaced++;
        }
        if (same >= 3) {
            emit(p + Math.min(same, 5), "...");
        } else if (same == 1 && spaced >= 3) {
            emit(p + 2 * spaced - 1, "...");
        } else {
            emit(p + 1, ".");
        }
    }

    /** :) ;-) :D =| :'( :3 and the like, when followed by something that is not a letter or digit. */
    private int emoticon() {
        char eyes = at(p);
        if (":;=".indexOf(eyes) < 0) {
            return p;
        }
        String mouths = "()[]{DdPpO@\\|";
        int mouth = "-'o".indexOf(at(p + 1)) >= 0 && mouths.indexOf(at(p + 2)) >= 0 ? p + 2 : p + 1;
        boolean face = mouths.indexOf(at(mouth)) >= 0 || (eyes == ':' && at(mouth) == '3');
        return face && at(mouth + 1) != EOF && !isAsciiAlnum(at(mouth + 1)) ? mouth + 1 : p;
    }

    private int sgml() {
        return sgml(p);
    }

    private boolean sgmlAt(int from) {
        return at(from) == '<' && sgml(from) > from;
    }

    /** The end of the SGML/HTML tag at {@code from} ({@code <b>}, {@code </p>}, {@code <a href="x">}), or from. */
    private int sgml(int from) {
        int end = at(from + 1) == '/' ? from + 2 : from + 1;
        if (s.startsWith("<!--", from)) {
            int close = s.indexOf("-->", from);
            return close < 0 ? from : close + 3;
        }
        if (!isAsciiLetter(at(end))) {
            return from;
        }
        boolean quoted = false;
        for (; end < s.length() && s.charAt(end) >= ' ' && s.charAt(end) < 0x7F; end++) {
            char c = s.charAt(end);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '>') {
                return end + 1;
            } else if (!quoted && (c == '<' || (c == '=' && at(end + 1) != '"'))) {
                return from;
            }
        }
        return from;
    }

    private void entity() {
        for (String[] named : new String[][] {{"&lt;", "<"}, {"&gt;", ">"}}) {
            if (matchesIgnoreCase(p, named[0])) {
                emit(p + named[0].length(), named[1]);
                return;
            }
        }
        int digits = run(p + 2, PtbLexicon::isDigit);
        int end = at(p + 1) == '#' && digits > 0 && at(p + 2 + digits) == ';' ? p + 3 + digits : p + 1;
        emit(end, s.substring(p, end));
    }

    // ---- lookahead ------------------------------------------------------------------------------

    /** After an initial or acronym: spaces, then a sentence opener ("The" and a space, or "Mr."). */
    private boolean sentenceStarts(int from) {
        int word = skipSpaces(from);
        if (word == from) {
            return false;
        }
        int end = word + run(word, PtbLexicon::isLetter);
        String next = s.substring(word, end);
        return (isBreak(at(end)) && PtbLexicon.startsSentence(next))
                || (at(end) == '.' && isBreak(at(end + 1)) && PtbLexicon.startsSentenceAsTitle(next));
    }

    /** After Inc., etc.: the end of the text, or a space followed by a space, a capital or a tag. */
    private boolean sentenceEnds(int from) {
        if (at(from) == EOF || (")!?'\"-.".indexOf(at(from)) >= 0 && at(from + 1) == EOF)) {
            return true;
        }
        char next = at(from + 1);
        return isBreak(at(from)) && (next == EOF || isBreak(next) || Character.isUpperCase(next) || sgmlAt(from + 1));
    }

    private boolean isAcronym(String token) {
        return token.length() >= 3 && token.matches("[A-Za-z](\\.[A-Za-z])+");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void emit(int end, String token) {
        line.add(token);
        p = end;
    }

    private char at(int i) {
        return i < s.length() ? s.charAt(i) : EOF;
    }

    private int run(int from, CharTest test) {
        int end = from;
        while (end < s.length() && test.test(s.charAt(end))) {
            end++;
        }
        return end - from;
    }

    private int skipSpaces(int from) {
        return from + run(from, PtbScanner::isBreak);
    }

    private boolean matchesIgnoreCase(int from, String word) {
        return s.regionMatches(true, from, word, 0, word.length());
    }

    private boolean matchesApostropheWord(int from, String word) {
        if (s.length() < from + word.length() || isLetter(at(from + word.length()))) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = s.charAt(from + i);
            char w = word.charAt(i);
            if (w == '\'' ? !isApostrophe(c) : Character.toLowerCase(c) != w) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBreak(char c) {
        return c == '\n' || PtbLexicon.isSpace(c);
    }

    /** Apostrophes inside words (O'Neil, don't); only ' and ’ also start clitics such as 's. */
    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '\u2019' || c == '\u2018' || c == '`';
    }

    /** How PTB writes a single character: rewritten ("(" is -LRB-, "’" is ') or as itself. */
    private static String written(char c) {
        String rewritten = PtbLexicon.rewrite(c);
        return rewritten != null ? rewritten : String.valueOf(c);
    }

    private static boolean isAsciiAlnum(char c) {
        return isDigit(c) || isAsciiLetter(c);
    }

    /**
     * Replaces the HTML entities that PTB reads as the characters they stand for, and drops soft hyphens
     * next to a letter or digit (PTB joins "ab\u00ADcd" into "abcd").
     */
    private static String prepare(String text) {
        if (text.indexOf('&') < 0 && text.indexOf(SOFT_HYPHEN) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == SOFT_HYPHEN && ((i > 0 && isAlnum(text.charAt(i - 1)))
                    || (i + 1 < text.length() && isAlnum(text.charAt(i + 1))))) {
                continue;
            }
            String replaced = null;
            for (String[] entity : new String[][] {{"&amp;", "&"}, {"&apos;", "'"}, {"&quot;", "\""}, {"&nbsp;", " "}}) {
                if (text.regionMatches(true, i, entity[0], 0, entity[0].length())) {
                    replaced = entity[1];
                    i += entity[0].length() - 1;
                    break;
                }
            }
            out.append(replaced != null ? replaced : String.valueOf(text.charAt(i)));
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface CharTest {
        boolean test(char c);
    }
}

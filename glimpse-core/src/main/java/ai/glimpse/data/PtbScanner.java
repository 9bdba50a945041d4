package ai.glimpse.data;

import static ai.glimpse.data.PtbLexicon.isAlnum;
import static ai.glimpse.data.PtbLexicon.isAsciiLetter;
import static ai.glimpse.data.PtbLexicon.isDigit;
import static ai.glimpse.data.PtbLexicon.isLetter;
import static ai.glimpse.data.PtbText.EOF;
import static ai.glimpse.data.PtbText.NBSP;
import static ai.glimpse.data.PtbText.SOFT_HYPHEN;
import static ai.glimpse.data.PtbText.isApostrophe;
import static ai.glimpse.data.PtbText.isAsciiAlnum;
import static ai.glimpse.data.PtbText.isBreak;
import static ai.glimpse.data.PtbText.isCliticApostrophe;
import static ai.glimpse.data.PtbText.written;

import ai.glimpse.data.PtbLexicon.Abbreviation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written scanner that splits text into Penn Treebank tokens as CoreNLP 3.4.1's
 * {@code PTBTokenizer -preserveLines} does: one list of tokens per input line. Like that lexer it takes
 * the longest token any rule matches; rules that look past a token (clitics, sentence ends) see across
 * line breaks and fail at the very end of the text. Tokens keep their case.
 */
final class PtbScanner {
    /** Words that PTB splits in two; the value is the first part. */
    private static final Map<String, String> SPLIT_WORDS = Map.of(
            "cannot", "can", "gonna", "gon", "gotta", "got", "wanna", "wan", "gimme", "gim", "lemme", "lem");

    private final PtbText t;
    private final PtbApostrophes apostrophes;
    private final PtbWords words;
    private final PtbSymbols symbols;
    private final List<List<String>> lines = new ArrayList<>();
    private List<String> line = new ArrayList<>();
    private int p;

    private PtbScanner(String text) {
        t = new PtbText(text);
        apostrophes = new PtbApostrophes(t);
        words = new PtbWords(t, apostrophes);
        symbols = new PtbSymbols(t);
    }

    /** The tokens of each line of {@code text}; there is always at least one line. */
    static List<List<String>> scan(String text) {
        PtbScanner scanner = new PtbScanner(text);
        scanner.run();
        return scanner.lines;
    }

    private void run() {
        while (p < t.length()) {
            char c = t.at(p);
            if (c == '\n') {
                lines.add(line);
                line = new ArrayList<>();
                p++;
            } else if (PtbLexicon.isSpace(c) || PtbLexicon.isDeleted(c)) {
                p++;
            } else if (isAlnum(c)) {
                word();
            } else if (isCliticApostrophe(c)) {
                apostrophe();
            } else {
                symbol(c);
            }
        }
        lines.add(line);
    }

    private void word() {
        boolean negation = (t.at(p) | 0x20) == 'n' && isApostrophe(t.at(p + 1)) && (t.at(p + 2) | 0x20) == 't';
        if (negation && !isLetter(t.at(p + 3))) {
            emit(p + 3, "n" + written(t.at(p + 1)) + "t");
            return;
        }
        int end = words.longest(p);
        int fraction = words.fraction(p);
        int phone = symbols.phone(p);
        if (phone > Math.max(end, fraction)) {
            emit(phone, t.slice(p, phone).replace(' ', NBSP));
            return;
        }
        if (fraction > end) {
            int whole = p + t.run(p, PtbLexicon::isDigit);
            emit(fraction, t.slice(p, whole) + NBSP + t.slice(whole + 1, fraction));
            return;
        }
        String token = t.slice(p, end);
        String split = SPLIT_WORDS.get(token.toLowerCase(Locale.ROOT));
        boolean beforeNot = token.length() > 1 && (t.at(end - 1) | 0x20) == 'n' && (t.at(end - 2) | 0x20) != 'n'
                && isApostrophe(t.at(end)) && (t.at(end + 1) | 0x20) == 't'
                && t.run(p, PtbLexicon::isAsciiLetter) == end - p;
        if (split != null) {
            emit(p + split.length(), token.substring(0, split.length()));
        } else if (beforeNot) {
            emit(end - 1, token.substring(0, token.length() - 1));
        } else if (t.at(end) == '.') {
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
            boolean split = sentenceStarts(after);
            emit(split ? end : after, split ? token : token + ".");
        } else if (token.length() >= 3 && token.matches("[A-Za-z](\\.[A-Za-z])+")) {
            emit(after, token + ".");
            if (sentenceStarts(after)) {
                line.add(".");
            }
        } else if (abbreviation == Abbreviation.TITLE || (abbreviation == Abbreviation.BEFORE_NUMBER
                && (isDigit(t.at(after)) || (isBreak(t.at(after)) && isDigit(t.at(after + 1)))))) {
            emit(after, token + ".");
        } else if (abbreviation == Abbreviation.SENTENCE_FINAL) {
            emit(after, token + ".");
            boolean company = token.equalsIgnoreCase("co") && t.matchesIgnoreCase(after, " ltd");
            if (sentenceEnds(after) && !company) {
                line.add(".");
            }
        } else if (",;:".indexOf(t.at(after)) >= 0 && keepsPeriodBeforeComma(token)) {
            emit(after, token + ".");
        } else {
            emit(end, token);
        }
    }

    /**
     * Whether PTB keeps the period of {@code token} before , ; or : ("dog.," is "dog." and ","): it does
     * except after numbers with separators ("1,000."), slashed compounds and ma'am-like words.
     */
    private static boolean keepsPeriodBeforeComma(String token) {
        boolean number = token.matches("[0-9]+[.,:][0-9.,:]*");
        return !number && token.indexOf('/') < 0 && !token.matches("..+['\u2019\u2018`].*");
    }

    /** After an initial or acronym: spaces, then a sentence opener ("The" and a space, "Mr.", a tag). */
    private boolean sentenceStarts(int from) {
        int word = from + t.run(from, PtbText::isBreak);
        int end = word + t.run(word, PtbLexicon::isLetter);
        String next = t.slice(word, end);
        return word > from && ((isBreak(t.at(end)) && PtbLexicon.startsSentence(next))
                || (t.at(end) == '.' && isBreak(t.at(end + 1)) && PtbLexicon.startsSentenceAsTitle(next))
                || (symbols.sgml(word) > word && isBreak(t.at(symbols.sgml(word)))));
    }

    /**
     * After Inc., etc.: the end of the text (perhaps after one more symbol), or a space followed by a
     * space, a capital or a tag.
     */
    private boolean sentenceEnds(int from) {
        char first = t.at(from);
        char next = t.at(from + 1);
        boolean closer = !isAlnum(first) && !isBreak(first) && ",;:".indexOf(first) < 0;
        if (t.at(from + t.run(from, PtbLexicon::isDeleted)) == EOF || (closer && next == EOF)) {
            return true;
        }
        return isBreak(first)
                && (next == EOF || isBreak(next) || Character.isUpperCase(next) || symbols.sgml(from + 1) > from + 1);
    }

    /** A token starting with ' or ’: a clitic ('s; n't is found by {@link #word}), 'n', 'em, '90s or a quote. */
    private void apostrophe() {
        char a = (char) (t.at(p + 1) | 0x20);
        int clitic = apostrophes.clitic(p);
        int listed = apostrophes.startingWith(p);
        boolean ascii = t.at(p) == '\'';
        if (ascii && a == 't' && (t.matchesIgnoreCase(p + 2, "is") || t.matchesIgnoreCase(p + 2, "was"))) {
            emit(p + 2, "'" + t.at(p + 1)); // 'tis, 'twas
        } else if (clitic > 0) {
            emit(p + clitic, written(t.at(p)) + t.slice(p + 1, p + clitic));
        } else if (a == 'n' && isCliticApostrophe(t.at(p + 2))) {
            emit(p + 3, t.slice(p, p + 3));
        } else if (a == 'n' && (!ascii || t.at(p + 2) == EOF || isBreak(t.at(p + 2)))) {
            emit(p + 2, t.slice(p, p + 2));
        } else if (listed > p) {
            emit(listed, t.slice(p, listed));
        } else if (!ascii) {
            quotes();
        } else if (t.at(p + 1) == '\'') {
            emit(p + 2, "''");
        } else {
            boolean opening = isAsciiLetter(t.at(p + 1)) && t.at(p + 2) != EOF && !Character.isWhitespace(t.at(p + 2));
            emit(p + 1, opening ? "`" : "'");
        }
    }

    private void symbol(char c) {
        int number = "+-".indexOf(c) >= 0 ? words.number(p + 1) : words.number(p);
        int emoticon = symbols.emoticon(p);
        int phone = c == '(' ? symbols.phone(p) : p;
        int sgml = symbols.sgml(p);
        int same = sameRun(c);
        if (number > p + 1) {
            emit(number, t.slice(p, number));
        } else if ("^-<>".indexOf(c) >= 0 && t.at(p + 1) == '_' && "^-<>".indexOf(t.at(p + 2)) >= 0) {
            emit(p + 3, t.slice(p, p + 3));
        } else if (emoticon > p) {
            emit(emoticon, t.slice(p, emoticon).replace("(", "-LRB-").replace(")", "-RRB-"));
        } else if (phone > p) {
            emit(phone, t.slice(p, phone).replace("(", "-LRB-").replace(")", "-RRB-").replace(' ', NBSP));
        } else if (c == '"') {
            emit(p + 1, isAsciiAlnum(t.at(p + 1)) || t.at(p + 1) == '$' ? "``" : "''");
        } else if (c == '.') {
            int ellipsis = symbols.ellipsis(p);
            emit(ellipsis > p ? ellipsis : p + 1, ellipsis > p ? "..." : ".");
        } else if (c == '!' || c == '?') {
            int end = p + t.run(p, x -> x == '!' || x == '?');
            emit(end, t.slice(p, end));
        } else if (c == '-') {
            emit(p + same, same == 1 ? "-" : same <= 4 ? "--" : t.slice(p, p + same));
        } else if (c == '*' || c == '_' || ((c == '#' || c == '@') && same > 1)) {
            emit(p + same, t.slice(p, p + same));
        } else if (c == '#' || c == '@') {
            int tag = c == '#' ? t.run(p + 1, PtbLexicon::isLetter)
                    : isLetter(t.at(p + 1)) ? t.run(p + 1, x -> isAlnum(x) || x == '_') : 0;
            emit(p + 1 + tag, t.slice(p, p + 1 + tag));
        } else if (sgml > p) {
            emit(sgml, t.slice(p, sgml).replace(' ', NBSP));
        } else if (c == '<' || c == '>') {
            emit(p + Math.min(same, 2), t.slice(p, p + Math.min(same, 2)));
        } else if (c == '&') {
            entity();
        } else if (PtbLexicon.isPairingQuote(c)) {
            quotes();
        } else if (PtbLexicon.scriptDigit(c) > 0 || c == SOFT_HYPHEN) {
            int end = p + t.run(p, x -> x == c
                    || (c != SOFT_HYPHEN && PtbLexicon.scriptDigit(x) == PtbLexicon.scriptDigit(c)));
            emit(end, c == SOFT_HYPHEN ? "-" : t.slice(p, end));
        } else {
            emit(p + 1, written(c));
        }
    }

    /**
     * How many times {@code c} repeats from p on, counted only for the symbols that take their whole run
     * as one token (and up to 2 for &lt; and &gt;): counting a run that is not consumed at every one of its
     * characters would make a long run of brackets or commas quadratic.
     */
    private int sameRun(char c) {
        if (c == '<' || c == '>') {
            return t.at(p + 1) == c ? 2 : 1;
        }
        return "-*_#@".indexOf(c) >= 0 ? t.run(p, x -> x == c) : 1;
    }

    /** One quote character, or two in a row, rewritten to PTB's ` ' `` ''. */
    private void quotes() {
        boolean pair = PtbLexicon.isPairingQuote(t.at(p + 1));
        emit(pair ? p + 2 : p + 1, pair ? written(t.at(p)) + written(t.at(p + 1)) : written(t.at(p)));
    }

    /** &lt; and &gt; (the entities PTB reads inside words were replaced before), &#39;, or a lone &. */
    private void entity() {
        for (String[] named : new String[][] {{"&lt;", "<"}, {"&gt;", ">"}}) {
            if (t.matchesIgnoreCase(p, named[0])) {
                emit(p + named[0].length(), named[1]);
                return;
            }
        }
        int digits = t.run(p + 2, PtbLexicon::isDigit);
        int end = t.at(p + 1) == '#' && digits > 0 && t.at(p + 2 + digits) == ';' ? p + 3 + digits : p + 1;
        emit(end, t.slice(p, end));
    }

    /**
     * Adds a token that ends at {@code end}. A token that takes in a line break (a tag with a quoted value
     * over two lines) is cut there, as the toolkit's split of PTB's output by lines cuts it, so each input
     * line still gives one line of tokens.
     */
    private void emit(int end, String token) {
        int from = token.indexOf('\n') >= 0 ? 0 : -1;
        if (from < 0) {
            line.add(token);
        } else {
            for (int cut = token.indexOf('\n'); cut >= 0; cut = token.indexOf('\n', from)) {
                addPart(token.substring(from, cut));
                lines.add(line);
                line = new ArrayList<>();
                from = cut + 1;
            }
            addPart(token.substring(from));
        }
        p = end;
    }

    private void addPart(String part) {
        if (!part.isEmpty()) {
            line.add(part);
        }
    }
}

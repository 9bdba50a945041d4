package ai.glimpse.data;

import static ai.glimpse.data.PtbLexicon.isAsciiLetter;
import static ai.glimpse.data.PtbText.EOF;
import static ai.glimpse.data.PtbText.isAsciiAlnum;

import java.util.ArrayList;
import java.util.List;

/**
 * The PTB rules for tokens of several symbols: ellipses, emoticons, phone numbers and SGML tags. Each
 * returns where its match at {@code p} would end, or {@code p} when it does not match.
 */
final class PtbSymbols {
    private final PtbText t;
    /** The last search for the end of a comment: where it started and what it found (-1: none). */
    private int commentFrom = -1;
    private int commentClose = -1;
    /** The last search for a line break: where it started and what it found (-1: none). */
    private int breakFrom = -1;
    private int breakAt = -1;

    PtbSymbols(PtbText text) {
        t = text;
    }

    /** An ellipsis takes three to five periods, written together or spaced (". . ."). */
    int ellipsis(int p) {
        int same = t.run(p, 5, c -> c == '.');
        int spaced = 1;
        while (spaced < 5 && t.at(p + 2 * spaced - 1) == ' ' && t.at(p + 2 * spaced) == '.') {
            spaced++;
        }
        if (same >= 3) {
            return p + Math.min(same, 5);
        }
        return same == 1 && spaced >= 3 ? p + 2 * spaced - 1 : p;
    }

    /** :) ;-) :D =| :'( :3 and the like, when followed by something that is not a letter or digit. */
    int emoticon(int p) {
        char eyes = t.at(p);
        if (":;=".indexOf(eyes) < 0) {
            return p;
        }
        String mouths = "()[]{DdPpO@\\|";
        int mouth = "-'o".indexOf(t.at(p + 1)) >= 0 && mouths.indexOf(t.at(p + 2)) >= 0 ? p + 2 : p + 1;
        boolean face = mouths.indexOf(t.at(mouth)) >= 0 || (eyes == ':' && t.at(mouth) == '3');
        return face && t.at(mouth + 1) != EOF && !isAsciiAlnum(t.at(mouth + 1)) ? mouth + 1 : p;
    }

    /**
     * The end of the longest phone number at {@code p}, or p: a lead-in, "(555) " or "555 " (two to four
     * digits and a space or hyphen, perhaps after another such group), then three or four digits, a space
     * or hyphen or nothing, and three to five digits. So "(555) 555-1234", "555 555 1234" and also
     * "100 200 300" are one token each.
     */
    int phone(int p) {
        List<Integer> leads = new ArrayList<>();
        if (t.at(p) == '(') {
            for (int area = 2; area <= 3; area++) {
                if (digits(p + 1) >= area && t.at(p + 1 + area) == ')') {
                    leads.add(p + 2 + area);
                    if (t.at(p + 2 + area) == ' ') {
                        leads.add(p + 3 + area);
                    }
                }
            }
        } else {
            List<Integer> starts = new ArrayList<>(List.of(p));
            starts.addAll(groups(p));
            for (int start : starts) {
                leads.addAll(groups(start));
            }
        }
        int best = p;
        for (int lead : leads) {
            for (int first = 3; first <= Math.min(4, digits(lead)); first++) {
                int second = lead + first + (" -".indexOf(t.at(lead + first)) >= 0 ? 1 : 0);
                for (int next : new int[] {lead + first, second}) {
                    int last = Math.min(digits(next), 5);
                    if (last >= 3) {
                        best = Math.max(best, next + last);
                    }
                }
            }
        }
        return best;
    }

    /** Where groups of two to four digits followed by a space or hyphen, starting at {@code from}, end. */
    private List<Integer> groups(int from) {
        List<Integer> ends = new ArrayList<>();
        for (int length = 2; length <= Math.min(4, digits(from)); length++) {
            if (" -".indexOf(t.at(from + length)) >= 0) {
                ends.add(from + length + 1);
            }
        }
        return ends;
    }

    private int digits(int from) {
        return t.run(from, PtbLexicon::isDigit);
    }

    /**
     * The end of the SGML/HTML tag at {@code from} ({@code <b>}, {@code </p>}, {@code <a href="x">}), or
     * from. A comment ends on its own line; a quoted attribute value may hold any character, line breaks
     * included (PTB then keeps the break inside the token, and the toolkit's split by lines cuts it there).
     */
    int sgml(int from) {
        if (t.at(from) != '<') {
            return from;
        }
        if (t.startsWith("<!--", from)) {
            int close = commentClose(from);
            int lineBreak = nextBreak(from);
            return close < 0 || (lineBreak >= 0 && close > lineBreak) ? from : close + 3;
        }
        int end = t.at(from + 1) == '/' ? from + 2 : from + 1;
        if (!isAsciiLetter(t.at(end))) {
            return from;
        }
        boolean quoted = false;
        for (; t.at(end) != EOF && (quoted || (t.at(end) >= ' ' && t.at(end) < 0x7F)); end++) {
            char c = t.at(end);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '>') {
                return end + 1;
            } else if (!quoted && (c == '<' || (c == '=' && t.at(end + 1) != '"'))) {
                return from;
            }
        }
        return from;
    }

    /**
     * Where the next "-->" at or after {@code from} starts, or -1. Searches move forward through the text,
     * so an answer is reused while it still lies ahead: many "<!--" without a close are not quadratic.
     */
    private int commentClose(int from) {
        boolean known = commentFrom >= 0 && from >= commentFrom && (commentClose < 0 || commentClose >= from);
        if (!known) {
            commentFrom = from;
            commentClose = t.indexOf("-->", from);
        }
        return commentClose;
    }

    /** Where the next line break at or after {@code from} is, or -1; reused as {@link #commentClose} is. */
    private int nextBreak(int from) {
        boolean known = breakFrom >= 0 && from >= breakFrom && (breakAt < 0 || breakAt >= from);
        if (!known) {
            breakFrom = from;
            breakAt = t.indexOf("\n", from);
        }
        return breakAt;
    }
}

package ai.glimpse.data;

import static ai.glimpse.data.PtbLexicon.isAsciiLetter;
import static ai.glimpse.data.PtbText.EOF;
import static ai.glimpse.data.PtbText.isAsciiAlnum;

/**
 * The PTB rules for tokens of several symbols: ellipses, emoticons, phone numbers and SGML tags. Each
 * returns where its match at {@code p} would end, or {@code p} when it does not match.
 */
final class PtbSymbols {
    private final PtbText t;

    PtbSymbols(PtbText text) {
        t = text;
    }

    /** An ellipsis takes three to five periods, written together or spaced (". . ."). */
    int ellipsis(int p) {
        int same = t.run(p, c -> c == '.');
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

    /** The end of a phone number such as "(555) 555-1234" at {@code p} (at most 5 last digits), or p. */
    int phone(int p) {
        int area = t.run(p + 1, PtbLexicon::isDigit);
        int exchange = p + 2 + area + (t.at(p + 2 + area) == ' ' ? 1 : 0);
        int first = t.run(exchange, PtbLexicon::isDigit);
        int last = Math.min(t.run(exchange + first + 1, PtbLexicon::isDigit), 5);
        boolean phone = area >= 2 && area <= 3 && t.at(p + 1 + area) == ')' && first >= 3 && first <= 4
                && (t.at(exchange + first) == '-' || t.at(exchange + first) == ' ') && last >= 3;
        return phone ? exchange + first + 1 + last : p;
    }

    /** The end of the SGML/HTML tag at {@code from} ({@code <b>}, {@code </p>}, {@code <a href="x">}), or from. */
    int sgml(int from) {
        if (t.at(from) != '<') {
            return from;
        }
        if (t.startsWith("<!--", from)) {
            int close = t.indexOf("-->", from);
            return close < 0 ? from : close + 3;
        }
        int end = t.at(from + 1) == '/' ? from + 2 : from + 1;
        if (!isAsciiLetter(t.at(end))) {
            return from;
        }
        boolean quoted = false;
        for (; t.at(end) >= ' ' && t.at(end) < 0x7F; end++) {
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
}

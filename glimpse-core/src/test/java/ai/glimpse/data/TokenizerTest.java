package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the tokenizer against outputs of the coco-caption toolkit's own tokenizer (CoreNLP 3.4.1). */
class TokenizerTest {
    /** A caption and what the toolkit makes of it; see ptb-cases.tsv. */
    private record Case(String input, String expected) {
    }

    private static List<Case> cases() throws IOException {
        return cases("ptb-cases.tsv");
    }

    private static List<Case> cases(String file) throws IOException {
        try (InputStream in = TokenizerTest.class.getResourceAsStream("/ai/glimpse/data/" + file)) {
            List<Case> cases = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    String[] columns = line.split("\t", -1);
                    assertEquals(2, columns.length, "malformed case line: " + line);
                    cases.add(new Case(unescape(columns[0]), unescape(columns[1])));
                }
            }
            return cases;
        }
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
            } else if (text.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(text.charAt(i + 1) == 't' ? '\t' : text.charAt(i + 1));
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void normalizesEveryCaseAsTheToolkitDoes() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 100, "expected at least 100 cases, found " + cases.size());
        List<Executable> checks = new ArrayList<>();
        for (Case c : cases) {
            checks.add(() -> assertEquals(c.expected(), Tokenizer.normalize(c.input()), "caption: " + c.input()));
        }
        assertAll(checks);
    }

    @Test
    void tokensAreTheNormalizedWords() throws IOException {
        for (Case c : cases()) {
            List<String> expected = c.expected().isEmpty() ? List.of() : List.of(c.expected().split(" "));
            assertEquals(expected, Tokenizer.tokens(c.input()), "caption: " + c.input());
        }
    }

    @Test
    void ptbTokensKeepThePunctuation() {
        assertEquals(List.of("a", "woman", "'s", "purse", "-lrb-", "red", "-rrb-", "on", "a", "table", "."),
                Tokenizer.ptbTokens("A woman's purse (red) on a table."));
        assertEquals(List.of("he", "said", "``", "hi", "''", "and", "left", "..."),
                Tokenizer.ptbTokens("He said \"hi\" and left..."));
        assertEquals(List.of("i", "ca", "n't", "believe", "it", "'s", "not", "butter", "!"),
                Tokenizer.ptbTokens("I can't believe it's not butter!"));
        assertEquals(List.of("mr.", "smith", "lives", "in", "the", "u.s."),
                Tokenizer.ptbTokens("Mr. Smith lives in the U.S."));
        assertEquals(List.of("tennis", "--", "the", "sport", ",", "1\u00A01/2", "hours"),
                Tokenizer.ptbTokens("Tennis\u2014the sport, 1 1/2 hours"));
        // An abbreviation that may end a sentence gets an extra "." at the end of the text.
        assertEquals(List.of("made", "by", "acme", "inc.", "."), Tokenizer.ptbTokens("Made by Acme Inc."));
    }

    @Test
    void bracketsSurviveBecauseTheToolkitListsThemInCapitals() {
        assertEquals(List.of("-lrb-", "-rrb-"), Tokenizer.tokens("( )"));
        assertFalse(Tokenizer.PUNCTUATIONS.contains("-lrb-"));
        assertTrue(Tokenizer.PUNCTUATIONS.contains("-LRB-"));
    }

    @Test
    void emptyAndBlankCaptionsHaveNoTokens() {
        assertEquals(List.of(), Tokenizer.tokens(""));
        assertEquals(List.of(), Tokenizer.tokens(" \t "));
        assertEquals("", Tokenizer.normalize(". , ! ?"));
        assertThrows(NullPointerException.class, () -> Tokenizer.tokens(null));
    }

    @Test
    void lineBreaksInsideACaptionAreSpaces() {
        String expected = "a dog on a couch";
        assertEquals(expected, Tokenizer.normalize("A dog\non a couch."));
        assertEquals(expected, Tokenizer.normalize("A dog\r\non a\u2028couch."));
    }

    @Test
    void captionsTokenizedTogetherSeeTheirNeighbours() {
        // The toolkit's single run: "C." before a line starting "A " is split like a sentence end,
        // "U.S." gets an extra period, and "we're" at the very end of the file is not a clitic.
        List<String> captions = List.of("A sign for Vitamin C.", "A man in the U.S.", "The dog's bowl", "we're");
        assertEquals(List.of(List.of("a", "sign", "for", "vitamin", "c"), List.of("a", "man", "in", "the", "u.s."),
                List.of("the", "dog", "'s", "bowl"), List.of("we", "re")), Tokenizer.tokensOfAll(captions));
        assertEquals(List.of("a", "sign", "for", "vitamin", "c."), Tokenizer.tokens("A sign for Vitamin C."));
        assertEquals(List.of("we", "'re"), Tokenizer.tokens("we're"));
        assertEquals(List.of(), Tokenizer.tokensOfAll(List.of()));
        assertEquals(List.of(List.of(), List.of("dog")), Tokenizer.tokensOfAll(List.of("", "dog")));
    }

    /**
     * The oracle corpus in one run, most captions followed by a line starting with a capital, as the
     * toolkit tokenizes a file (ptb-runs.tsv): rules that look past the end of a line see the next caption.
     */
    @Test
    void tokenizesMultiLineRunsAsTheToolkitDoes() throws IOException {
        List<Case> run = cases("ptb-runs.tsv");
        assertTrue(run.size() >= 500, "expected at least 500 lines, found " + run.size());
        List<String> inputs = run.stream().map(Case::input).toList();
        List<List<String>> ptb = PtbScanner.scan(String.join("\n", inputs));
        List<List<String>> scored = Tokenizer.tokensOfAll(inputs);
        assertEquals(run.size(), ptb.size());
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            Case c = run.get(i);
            String next = i + 1 < run.size() ? run.get(i + 1).input() : "(end of the run)";
            List<String> expected = c.expected().isEmpty() ? List.of() : List.of(c.expected().split(" "));
            List<String> tokens = ptb.get(i).stream().map(w -> w.toLowerCase(java.util.Locale.ROOT)).toList();
            List<String> words = scored.get(i);
            checks.add(() -> assertEquals(expected, tokens, "caption: " + c.input() + " / next line: " + next));
            checks.add(() -> assertEquals(expected.stream().filter(w -> !Tokenizer.PUNCTUATIONS.contains(w)).toList(), words,
                    "caption: " + c.input() + " / next line: " + next));
        }
        assertAll(checks);
    }

    @Test
    void anOpenerInAnyCaseAfterItsCapitalEndsTheSentenceOfAnInitial() {
        // CoreNLP 3.4.1 reads "ThE" like "The": only the first letter must be a capital.
        assertEquals(List.of(List.of("vitamin", "c"), List.of("the", "cat", "in", "the", "hat")),
                Tokenizer.tokensOfAll(List.of("Vitamin C.", "ThE CaT iN tHe HaT")));
        assertEquals(List.of(List.of("vitamin", "c."), List.of("the", "end")),
                Tokenizer.tokensOfAll(List.of("Vitamin C.", "tHE end")));
    }

    @Test
    void aCommentOrTagOverTwoCaptionsKeepsEveryCaptionItsOwnTokens() {
        // A comment ends on its own line; a quoted attribute value may run on, and is cut at the break.
        assertEquals(List.of(List.of("a", "<", "b"), List.of("c", ">", "d")),
                Tokenizer.tokensOfAll(List.of("a <!-- b", "c --> d")));
        assertEquals(List.of(List.of("a", "<", "b"), List.of("c"), List.of("d", ">", "e")),
                Tokenizer.tokensOfAll(List.of("a <!-- b", "c", "d --> e")));
        assertEquals(List.of(List.of("x", "<a\u00A0href=\"y"), List.of("z\">", "w")),
                Tokenizer.tokensOfAll(List.of("x <a href=\"y", "z\"> w")));
        assertEquals(List.of("a", "<!--\u00A0b\u00A0-->", "c"), Tokenizer.tokens("a <!-- b --> c"));
    }

    @Test
    void givesTheSameTokensFromManyThreads() throws IOException {
        List<Case> cases = cases();
        List<String> sequential = cases.stream().map(c -> Tokenizer.normalize(c.input())).toList();
        List<String> parallel = cases.parallelStream().map(c -> Tokenizer.normalize(c.input()))
                .collect(Collectors.toList());
        assertEquals(sequential, parallel);
    }

    @Test
    void handlesArbitraryTextWithoutFailing() {
        String alphabet = "aZ09 .,;:!?'\"`-_/\\()[]{}<>@#$%&*+=~^|\t\u00A0\u00AD\u2019\u201C\u2026\u00BD\u00E9\u200B";
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder caption = new StringBuilder();
            for (int i = random.nextInt(16); i > 0; i--) {
                boolean emoji = random.nextInt(20) == 0;
                caption.append(emoji ? "\uD83D\uDE00" : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (String token : Tokenizer.ptbTokens(caption.toString())) {
                assertFalse(token.isEmpty() || token.contains(" "), "token '" + token + "' from: " + caption);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tokenizesAMultiMegabyteCaptionOfOrdinaryWords() {
        // No period anywhere: each word used to search the rest of the text for one (quadratic; 2 MB took
        // minutes). This one is 3.6 MB and takes about a second.
        List<String> words = List.of("a", "dog", "runs", "on", "the", "grass");
        String caption = (String.join(" ", words) + " ").repeat(150_000);
        List<String> tokens = Tokenizer.tokens(caption);
        assertEquals(words.size() * 150_000, tokens.size());
        assertTrue(repeated(words, 150_000).equals(tokens));
    }

    /**
     * Long runs of one pattern, each of which some rule used to rescan from every token on: chains of
     * words joined by commas or periods, runs of one symbol, unclosed comments, soft hyphens inside a word.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dog,cat,", "a_b.", "a-b.", "a.b,", "(", "&", "<<", ":", "http://a ", "<!-- ", "<a b=\""})
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tokenizesLongRunsOfAPatternInLinearTime(String pattern) {
        int copies = 500_000 / pattern.length();
        List<String> one = Tokenizer.ptbTokens(pattern.repeat(2)).subList(0, Tokenizer.ptbTokens(pattern).size());
        // assertTrue: a failure message of a million tokens would help nobody
        assertTrue(repeated(one, copies).equals(Tokenizer.ptbTokens(pattern.repeat(copies))), pattern);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tokenizesLongRunsOfPeriodsAndSoftHyphensInLinearTime() {
        assertTrue(Collections.nCopies(100_000, "...").equals(Tokenizer.ptbTokens(".....".repeat(100_000))));
        assertEquals(List.of("a".repeat(250_000)), Tokenizer.ptbTokens("a\u00AD".repeat(250_000)));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tokenizesManyLinesOfUnclosedCommentsAndQuotesInLinearTime() {
        for (String line : List.of("a <!-- b", "a <a b=\"c", "-->")) {
            List<String> captions = Collections.nCopies(200_000, line);
            List<List<String>> tokens = Tokenizer.tokensOfAll(captions);
            assertEquals(captions.size(), tokens.size(), line);
        }
    }

    private static List<String> repeated(List<String> tokens, int copies) {
        List<String> all = new ArrayList<>(tokens.size() * copies);
        for (int i = 0; i < copies; i++) {
            all.addAll(tokens);
        }
        return all;
    }
}

package ai.glimpse.cli;

import ai.glimpse.data.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code tokenize} verb: normalises captions read from standard input, one per line, exactly as the
 * coco-caption evaluation toolkit does before scoring (see {@link Tokenizer}).
 */
@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Tokenizes captions from standard input as the coco-caption evaluation toolkit does.",
            "Reads UTF-8 text, one caption per line, and prints each one as Penn Treebank tokens (Stanford CoreNLP"
                    + " 3.4.1 rules), in lower case, with the toolkit's punctuation tokens removed, joined by single"
                    + " spaces. A caption with no tokens left gives an empty line. Each line is tokenized on its own."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  $ echo \"A woman's purse (red) on a table.\" | glimpse tokenize",
            "  a woman 's purse -lrb- red -rrb- on a table",
            "",
            "  $ echo \"I can't see the U.S. flag...\" | glimpse tokenize --raw",
            "  i ca n't see the u.s. flag ...",
            "",
            "Brackets stay as -lrb- and -rrb-: the toolkit lists -LRB- in capitals but lower-cases tokens first."
        })
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--raw",
            description = "Print the Penn Treebank tokens before punctuation is removed (still lower case).")
    boolean raw;

    @Spec
    CommandSpec spec;

    /** Where captions are read from; tests replace it. */
    InputStream in = System.in;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String caption = reader.readLine(); caption != null; caption = reader.readLine()) {
            List<String> tokens = raw ? Tokenizer.ptbTokens(caption) : Tokenizer.tokens(caption);
            out.println(String.join(" ", tokens));
        }
        out.flush();
        return Main.OK;
    }
}

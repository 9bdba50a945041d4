package ai.glimpse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Lays out the help of {@code glimpse} and its verbs in {@value #WIDTH} columns, breaking lines only at
 * spaces. picocli's own layout breaks lines wherever Java's line {@link java.text.BreakIterator} allows,
 * which includes after every full stop ("dataset." / "json", "MODEL.log." / "csv", "e." / "g."), so file
 * names and flags came apart. Here each description element is one paragraph; footer lines that fit
 * are kept as written (examples stay pasteable, with {@code \} continuations), longer ones are wrapped.
 * The synopsis lists the required options and the parameters, then {@code [OPTION...]}.
 */
final class HelpText {
    static final int WIDTH = 80;
    /** The widest option column before a description moves to the next line. */
    private static final int NAMES_MAX = 26;

    private HelpText() {
    }

    /** Installs the layout on {@code root} and every verb. */
    static void install(CommandLine root) {
        apply(root);
        root.getSubcommands().values().forEach(HelpText::apply);
    }

    private static void apply(CommandLine cmd) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = cmd.getHelpSectionMap();
        if (!cmd.getSubcommands().isEmpty() || !(cmd.getCommand() instanceof CommandLine.HelpCommand)) {
            sections.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, HelpText::synopsis);
        }
        sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> paragraphs(help.commandSpec().usageMessage().description(), ""));
        sections.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, HelpText::parameters);
        sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpText::options);
        sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> footer(help.commandSpec().usageMessage().footer()));
    }

    /** {@code Usage: glimpse train --captions=FILE --images=DIR --model=FILE [OPTION...]}, wrapped at spaces. */
    static String synopsis(Help help) {
        CommandSpec spec = help.commandSpec();
        List<String> parts = new ArrayList<>();
        Help.IParamLabelRenderer labels = help.createDefaultParamLabelRenderer();
        boolean optional = false;
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            if (option.required()) {
                parts.add(option.longestName() + labels.renderParameterLabel(option, help.colorScheme().ansi(),
                        List.of()).plainString());
            } else {
                optional = true;
            }
        }
        if (optional) {
            parts.add("[OPTION...]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                String label = labels.renderParameterLabel(p, help.colorScheme().ansi(), List.of()).plainString().strip();
                parts.add(p.arity().min() == 0 ? "[" + label + "]" : label);
            }
        }
        if (!spec.subcommands().isEmpty()) {
            parts.add(spec.usageMessage().synopsisSubcommandLabel());
        }
        String head = "Usage: " + spec.qualifiedName() + " ";
        return wrap(head, String.join(" ", parts), " ".repeat(Math.min(head.length(), 24))).substring("Usage: ".length()) + "\n";
    }

    private static String parameters(Help help) {
        List<String[]> rows = new ArrayList<>();
        Help.IParameterRenderer renderer = help.createDefaultParameterRenderer();
        Help.IParamLabelRenderer labels = help.createDefaultParamLabelRenderer();
        for (PositionalParamSpec p : help.commandSpec().positionalParameters()) {
            if (!p.hidden()) {
                rows.add(row(renderer.render(p, labels, help.colorScheme()), p));
            }
        }
        return table(rows);
    }

    private static String options(Help help) {
        CommandSpec spec = help.commandSpec();
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                options.add(option);
            }
        }
        if (spec.usageMessage().sortOptions()) {
            options.sort(Help.createShortOptionArityAndNameComparator());
        }
        Help.IOptionRenderer renderer = help.createDefaultOptionRenderer();
        Help.IParamLabelRenderer labels = help.createDefaultParamLabelRenderer();
        List<String[]> rows = new ArrayList<>();
        for (OptionSpec option : options) {
            rows.add(row(renderer.render(option, labels, help.colorScheme()), option));
        }
        return table(rows);
    }

    /** {names, paragraph, paragraph...} of one option or parameter, from picocli's own rendering of it. */
    private static String[] row(Help.Ansi.Text[][] rendered, ArgSpec arg) {
        Help.Ansi.Text[] first = rendered[0];
        String names;
        if (arg.isOption()) {
            String shortName = first[1].plainString();
            String longName = first[3].plainString().strip();
            names = shortName.isEmpty() ? "    " + longName : shortName + first[2].plainString() + " " + longName;
        } else {
            names = "    " + first[3].plainString().strip();
        }
        List<String> cells = new ArrayList<>();
        cells.add(names);
        for (String paragraph : arg.description()) {
            cells.add(paragraph);
        }
        return cells.toArray(String[]::new);
    }

    /** Names in a column, each description paragraph wrapped beside them at spaces. */
    private static String table(List<String[]> rows) {
        int names = 0;
        for (String[] row : rows) {
            names = Math.max(names, Math.min(NAMES_MAX, row[0].length()));
        }
        String indent = " ".repeat(2 + names + 2);
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            String lead = "  " + row[0];
            boolean beside = row[0].length() <= names;
            if (!beside || row.length == 1) {
                out.append(lead).append('\n');
            }
            for (int i = 1; i < row.length; i++) {
                String first = i == 1 && beside ? lead + " ".repeat(indent.length() - lead.length()) : indent;
                out.append(wrap(first, row[i], indent + "  ")).append('\n');
            }
        }
        return out.toString();
    }

    /** Each element of {@code text} as one wrapped paragraph. */
    private static String paragraphs(String[] text, String indent) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text) {
            out.append(wrap(indent, format(paragraph), indent)).append('\n');
        }
        return out.toString();
    }

    /** Footer lines as written when they fit (examples stay whole), else wrapped at spaces. */
    private static String footer(String[] lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            String text = format(line);
            for (String part : text.split("\n", -1)) {
                String lead = part.substring(0, part.length() - part.stripLeading().length());
                out.append(part.length() <= WIDTH ? part : wrap(part, lead + "  ")).append('\n');
            }
        }
        return out.toString();
    }

    /** A description string as picocli reads it: a format string ("%%" is a per cent sign, "%n" a line break). */
    static String format(String text) {
        try {
            return String.format(java.util.Locale.ROOT, text);
        } catch (java.util.IllegalFormatException e) {
            return text;
        }
    }

    /**
     * {@code text} in lines of at most {@value #WIDTH} characters, broken at spaces only (a word longer than
     * a line keeps a line of its own); its leading spaces are kept, and lines after the first start with
     * {@code indent}.
     */
    static String wrap(String text, String indent) {
        int lead = text.length() - text.stripLeading().length();
        return wrap(text.substring(0, lead), text.substring(lead), indent);
    }

    /** {@code content} wrapped at spaces after {@code first} (kept as it is), later lines after {@code indent}. */
    static String wrap(String first, String content, String indent) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : content.split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(indent);
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(word);
            empty = false;
        }
        out.append(line);
        return out.toString().stripTrailing();
    }
}

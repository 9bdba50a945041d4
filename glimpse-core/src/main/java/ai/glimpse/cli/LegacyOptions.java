package ai.glimpse.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Old spellings of options renamed so that one name means one thing in every verb ({@code --images} is
 * always a folder, {@code --model} always the model file, {@code --json} always a JSON document, {@code
 * --out} always a folder). They still work, unlisted in the help: each one, when met, puts the current
 * name in its place, and picocli reads the value as the current option's (so required options, checks and
 * messages all speak of the current name).
 */
final class LegacyOptions {
    /** Per verb: old name to current name. */
    static final Map<String, Map<String, String>> RENAMED = Map.of(
            "synth", Map.of("--images", "--count"),
            "vocab", Map.of("--out", "--json", "--max-length", "--truncate"),
            "train", Map.of("--out", "--model", "--max-length", "--truncate"));

    private LegacyOptions() {
    }

    /** Adds the hidden old names to the verbs of {@code root}. */
    static void install(CommandLine root) {
        RENAMED.forEach((verb, names) -> {
            CommandLine sub = root.getSubcommands().get(verb);
            if (sub == null) {
                return;
            }
            CommandSpec spec = sub.getCommandSpec();
            names.forEach((old, current) -> {
                if (spec.findOption(old) == null && spec.findOption(current) != null) {
                    spec.addOption(OptionSpec.builder(old).hidden(true).arity("1").type(String.class).paramLabel("VALUE")
                            .description("Old name of " + current + ".")
                            .preprocessor((args, command, option, info) -> {
                                args.push(current);                       // the value, still on the stack, follows it
                                return true;
                            })
                            .build());
                }
            });
        });
    }
}

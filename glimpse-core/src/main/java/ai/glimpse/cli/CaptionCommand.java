package ai.glimpse.cli;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.model.ModelBundle;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glimpse caption}: writes a caption for each image, optionally as a coco-caption results file. */
@Command(name = "caption", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Captions images with a trained model: one line per image (path, caption, log-probability).",
            "Folders are read one level deep. An unreadable image gets one line on stderr; the others are",
            "still captioned and the exit code is 2.",
            "Example: glimpse caption --model pretrained/glimpse-shapes.zip datasets/samples"})
public final class CaptionCommand implements Callable<Integer> {
    private static final Pattern IMAGE_FILE = Pattern.compile("(?i).+\\.(png|jpe?g|bmp|tiff?|webp|gif)");
    /** File names that carry a dataset's numeric image id: COCO_val2014_000000391895, synth_000042, 391895. */
    private static final Pattern NUMBERED = Pattern.compile("(?:COCO_[A-Za-z0-9]+_|synth_)?(\\d{1,18})");

    @Spec
    CommandSpec spec;

    @Mixin
    DecodeOptions decode;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Images, or folders of images.")
    List<Path> inputs;

    @Option(names = "--json", paramLabel = "OUT.json",
            description = "Also write the captions as a coco-caption results file [{\"image_id\", \"caption\"}].")
    Path json;

    @Option(names = "--attention", description = "With --json: add each caption's words, alphas and betas.")
    boolean attention;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SearchStrategy strategy = decode.strategy();
        ModelBundle bundle = ModelBundle.load(decode.model);
        DecodeOptions.checkEncoderWeights(bundle, decode.encoderWeights);
        ImageCaptioner captioner = new ImageCaptioner(bundle, decode.maxLength(bundle), decode.encoderWeights);
        List<Path> files = new ArrayList<>();
        int missing = expand(inputs, files, err);
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode results = mapper.createArrayNode();
        if (json != null) {
            requireDistinctIds(files);
        }
        int failed = captioner.caption(files, strategy, files.size() > 1 ? ConsoleProgress.on(err) : ai.glimpse.Progress.NONE,
                r -> {
                    if (!r.ok()) {
                        err.println("glimpse: " + r.error());
                        return;
                    }
                    Caption c = r.caption();
                    out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", r.file(), c.text(), c.logProb());
                    results.add(resultEntry(mapper, imageId(r.file()), c, attention));
                });
        out.flush();
        if (json != null) {
            AtomicFile.write(json, s -> mapper.writerWithDefaultPrettyPrinter().writeValue(s, results));
            err.println("results: " + json);
        }
        if (missing + failed > 0) {
            err.println("glimpse: " + (missing + failed) + " of " + (files.size() + missing) + " inputs could not be captioned");
            err.flush();
            return Main.BAD_INPUT;
        }
        return Main.OK;
    }

    /** One coco-caption results entry; numeric ids are written as numbers, as COCO's are. */
    static ObjectNode resultEntry(ObjectMapper mapper, Object id, Caption c, boolean attention) {
        ObjectNode e = mapper.createObjectNode();
        String text = id.toString();
        if (id instanceof Long n) {
            e.put("image_id", n);
        } else if (text.matches("[1-9][0-9]{0,17}|0")) {
            e.put("image_id", Long.parseLong(text));
        } else {
            e.put("image_id", text);
        }
        e.put("caption", c.text());
        if (attention) {
            e.put("log_prob", c.logProb());
            e.put("finished", c.finished());
            e.put("grid", c.gridSize());
            e.set("words", mapper.valueToTree(c.words()));
            e.set("alphas", mapper.valueToTree(c.alphas()));
            e.set("betas", mapper.valueToTree(c.betas()));
        }
        return e;
    }

    /**
     * The image id for a results file: the number of a COCO, synth or all-digit file name
     * (COCO_val2014_000000391895.jpg gives 391895), else the file name.
     */
    public static Object imageId(Path file) {
        String name = file.getFileName().toString();
        Matcher m = NUMBERED.matcher(name.replaceFirst("\\.[^.]*$", ""));
        return m.matches() ? (Object) Long.parseLong(m.group(1)) : name;
    }

    /** A results file holds one caption per image id: refuse inputs that would share one. */
    static void requireDistinctIds(List<Path> files) {
        java.util.Map<Object, Path> seen = new java.util.HashMap<>();
        for (Path f : files) {
            Path other = seen.putIfAbsent(imageId(f), f);
            if (other != null && !other.equals(f)) {
                throw new InputException("--json: " + other + " and " + f + " would both be image_id " + imageId(f)
                        + " in the results file");
            }
        }
    }

    /** Adds the images named or found in folders to {@code files}; returns how many inputs do not exist. */
    static int expand(List<Path> inputs, List<Path> files, PrintWriter err) {
        int missing = 0;
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<Path> found = s.filter(f -> Files.isRegularFile(f) && IMAGE_FILE.matcher(f.getFileName().toString()).matches())
                            .sorted().toList();
                    if (found.isEmpty()) {
                        err.println("glimpse: " + p + ": no images in this folder (png, jpg, bmp, tif, webp, gif)");
                        missing++;
                    }
                    files.addAll(found);
                } catch (IOException e) {
                    throw new InputException(p + ": cannot list the folder (" + e.getMessage() + ")");
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                err.println("glimpse: " + p + ": " + InputFiles.noSuchFile(p));
                missing++;
            }
        }
        return missing;
    }
}

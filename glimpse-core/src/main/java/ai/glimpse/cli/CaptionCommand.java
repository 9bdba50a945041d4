package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.Progress;
import ai.glimpse.explain.AttentionJson;
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

/**
 * {@code glimpse caption}: writes a caption for each image, optionally as a coco-caption results file
 * ({@code --json}, when all are done) or as JSON lines written as each image is captioned ({@code --jsonl}).
 */
@Command(name = "caption", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Captions images with a trained model.",
            "Prints one line per image: its path, the caption and the caption's log-probability, separated by tabs."
                    + " Folders are read one level deep. An image that cannot be read gets one line on standard"
                    + " error; the others are still captioned, and the exit code is then 2.",
            "For a large folder, --jsonl writes each result as soon as it is made, so that a run that stops keeps"
                    + " everything done; --json writes one results file at the end (and, if the run fails part way,"
                    + " the results made until then)."},
        footerHeading = "%nExamples:%n",
        footer = {"  glimpse caption --model pretrained/glimpse-shapes.zip datasets/samples",
            "  glimpse caption --model pretrained/glimpse-shapes.zip --beam 1 --jsonl - \\",
            "      datasets/samples > captions.jsonl"})
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

    @Option(names = "--json", paramLabel = "FILE|-",
            description = "Also write the captions as a coco-caption results file, [{\"image_id\", \"caption\"}],"
                    + " when all are done; - for standard output (instead of the lines above).")
    Path json;

    @Option(names = "--jsonl", paramLabel = "FILE|-",
            description = "Also write one line of JSON per image as soon as it is captioned: {\"file\", \"image_id\","
                    + " \"caption\", \"log_prob\"}, or {\"file\", \"error\"} for an image that could not be read;"
                    + " - for standard output (instead of the lines above).")
    Path jsonl;

    @Option(names = "--attention",
            description = "With --json or --jsonl: add each caption's words, finished, grid_size, alphas [T][L] and"
                    + " betas [T], under the names attention.json uses.")
    boolean attention;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (Outputs.isStdout(json) && Outputs.isStdout(jsonl)) {
            throw new InputException("--json - and --jsonl -: only one of them can go to standard output");
        }
        if (attention && json == null && jsonl == null) {
            throw new InputException("--attention adds to the JSON of --json or --jsonl; give one of them");
        }
        SearchStrategy strategy = decode.strategy();
        Outputs.requireWritableFile(json, "--json");
        ModelBundle bundle = DecodeOptions.loadModel(decode.model);
        DecodeOptions.checkEncoderWeights(bundle, decode.encoderWeights);
        ImageCaptioner captioner = new ImageCaptioner(bundle, decode.maxLength(bundle), decode.encoderWeights);
        List<Path> files = new ArrayList<>();
        int missing = expand(inputs, files, err);
        if (json != null) {
            requireDistinctIds(files);
        }
        boolean lines = !Outputs.isStdout(json) && !Outputs.isStdout(jsonl);
        ObjectMapper mapper = Outputs.JSON;
        ArrayNode results = mapper.createArrayNode();
        int failed;
        try (JsonLines stream = jsonl == null ? null : JsonLines.open(jsonl, out, "--jsonl")) {
            failed = captioner.caption(files, strategy, files.size() > 1 ? ConsoleProgress.on(err) : Progress.NONE, r -> {
                if (stream != null) {
                    stream.write(lineEntry(mapper, r, attention));
                }
                if (!r.ok()) {
                    err.println("glimpse: " + r.error());
                    return;
                }
                Caption c = r.caption();
                if (lines) {
                    out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", r.file(), c.text(), c.logProb());
                }
                if (json != null) {
                    results.add(resultEntry(mapper, imageId(r.file()), c, attention));
                }
            });
        } catch (RuntimeException e) {
            if (json != null && !results.isEmpty()) {                  // keep what was done
                Outputs.writeJson(json, out, results);
                err.println("glimpse: stopped after " + results.size() + " of " + files.size() + " images; their captions are in "
                        + (Outputs.isStdout(json) ? "the JSON on standard output" : json));
            }
            throw e;
        }
        out.flush();
        if (json != null) {
            Outputs.writeJson(json, out, results);
            if (!Outputs.isStdout(json)) {
                err.println("results: " + json);
            }
        }
        if (jsonl != null && !Outputs.isStdout(jsonl)) {
            err.println("results: " + jsonl + " (one line per image)");
        }
        if (missing + failed > 0) {
            err.println("glimpse: " + (missing + failed) + " of " + (files.size() + missing) + " inputs could not be captioned");
            err.flush();
            return Main.BAD_INPUT;
        }
        err.flush();
        return Main.OK;
    }

    /** One coco-caption results entry; numeric ids are written as numbers, as COCO's are. */
    static ObjectNode resultEntry(ObjectMapper mapper, Object id, Caption c, boolean attention) {
        ObjectNode e = mapper.createObjectNode();
        putImageId(e, id);
        e.put("caption", c.text());
        if (attention) {
            AttentionJson.putCaption(e, c);
        }
        return e;
    }

    /** One JSON line: the file, its image id, caption and log-probability (and attention); or the file and its error. */
    static ObjectNode lineEntry(ObjectMapper mapper, ImageCaptioner.Result r, boolean attention) {
        ObjectNode e = mapper.createObjectNode();
        e.put("file", r.file().toString());
        if (!r.ok()) {
            e.put("error", r.error());
            return e;
        }
        putImageId(e, imageId(r.file()));
        e.put("caption", r.caption().text());
        if (attention) {
            AttentionJson.putCaption(e, r.caption());
        } else if (Double.isFinite(r.caption().logProb())) {
            e.put("log_prob", r.caption().logProb());
        } else {
            e.putNull("log_prob");
        }
        return e;
    }

    private static void putImageId(ObjectNode e, Object id) {
        String text = id.toString();
        if (id instanceof Long n) {
            e.put("image_id", n);
        } else if (text.matches("[1-9][0-9]{0,17}|0")) {
            e.put("image_id", Long.parseLong(text));
        } else {
            e.put("image_id", text);
        }
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

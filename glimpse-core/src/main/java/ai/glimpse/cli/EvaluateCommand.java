package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.data.CaptionCorpus;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.CorpusReader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.Split;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.eval.AttentionCorrectness;
import ai.glimpse.eval.CaptionScores;
import ai.glimpse.eval.CategoryWords;
import ai.glimpse.eval.CocoCaptionFiles;
import ai.glimpse.eval.CocoEvaluator;
import ai.glimpse.eval.CocoInstances;
import ai.glimpse.eval.CounterfactualSummary;
import ai.glimpse.eval.EvalSet;
import ai.glimpse.eval.FaithfulnessSummary;
import ai.glimpse.eval.Hallucination;
import ai.glimpse.eval.ObjectMentions;
import ai.glimpse.eval.ScoresJson;
import ai.glimpse.explain.CropBox;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.probe.DeletionTest;
import ai.glimpse.probe.PixelBox;
import ai.glimpse.probe.Probes;
import ai.glimpse.probe.RegionMask;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.geom.Rectangle2D;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse evaluate}: the COCO caption metrics of a results file, or of a model on a split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores captions with BLEU, METEOR, ROUGE-L and CIDEr-D, as the coco-caption toolkit does.",
            "Two modes. Results mode scores a results file against reference captions. Model mode captions a split"
                    + " of a dataset with a model, then scores it; with --instances it also measures where the model"
                    + " looked (attention correctness, Liu et al. 2017) and how many objects its captions name.",
            "BLEU-1..4, ROUGE-L and CIDEr-D are computed exactly as the toolkit computes them; METEOR 1.5 only"
                    + " when --meteor-jar points at its jar."},
        footerHeading = "%nExamples:%n",
        footer = {"  glimpse evaluate --results results.json --annotations captions_val2014.json",
            "  glimpse evaluate --model pretrained/glimpse-shapes.zip --split test \\",
            "      --captions work/shapes/dataset.json --images work/shapes/images \\",
            "      --instances work/shapes/annotations/instances_test.json --out work/eval"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--results", paramLabel = "FILE", description = "Results mode: the captions to score,"
            + " [{\"image_id\", \"caption\"}] (what caption --json writes).")
    Path results;

    @Option(names = "--annotations", paramLabel = "FILE", description = "Results mode: the reference captions, in"
            + " the COCO captions layout.")
    Path annotations;

    @Option(names = "--model", paramLabel = "FILE", description = "Model mode: caption a split with this model,"
            + " then score it.")
    Path model;

    @Option(names = "--captions", paramLabel = "FILE", description = "Model mode: the captions file that holds the split.")
    Path captions;

    @Option(names = "--images", paramLabel = "DIR", description = "Model mode: the images folder.")
    Path images;

    @Option(names = "--split", defaultValue = "test", paramLabel = "NAME",
            description = "Model mode: the split to caption (train, val, test). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "N", description = "Model mode: beam width. Default:"
            + " ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--length-penalty", defaultValue = "1.0", paramLabel = "X",
            description = "Model mode: beam search ranks captions by log p / steps^X. Default: ${DEFAULT-VALUE}.")
    double lengthPenalty;

    @Option(names = "--instances", paramLabel = "FILE",
            description = "Model mode: the COCO instances file of the split, to add attention correctness and the"
                    + " objects named.")
    Path instances;

    @Option(names = "--synonym", paramLabel = "WORD=CATEGORY", split = ",",
            description = "With --instances: more words that name a category, e.g. disc=circle.")
    Map<String, String> synonyms = new LinkedHashMap<>();

    @Option(names = "--encoder-weights", paramLabel = "FILE",
            description = "Model mode, for a model on vgg16 or resnet50 features: the encoder's weights file."
                    + " Default: the file it was trained with.")
    Path encoderWeights;

    @Option(names = "--meteor-jar", paramLabel = "FILE", description = "The METEOR 1.5 jar, to add METEOR (not bundled).")
    Path meteorJar;

    @Option(names = "--faithfulness", description = "Model mode: run the deletion test on every word (mask its most"
            + " attended regions, and as many of its least attended as a control) and sum it up by kind of word.")
    boolean faithfulness;

    @Option(names = "--deletion-percent", defaultValue = "20", paramLabel = "X",
            description = "With --faithfulness: the percentage of regions masked, 0 < K <= 50. Default: ${DEFAULT-VALUE}.")
    double deletionPercent;

    @Option(names = "--deletion-scope", defaultValue = "step", paramLabel = "step|prefix",
            description = "With --faithfulness: which steps read the masked regions. Default: ${DEFAULT-VALUE}.")
    String deletionScope;

    @Option(names = "--counterfactuals", description = "With --instances: caption each image again with its objects'"
            + " boxes masked, and with everything outside them masked, and count what is named then.")
    boolean counterfactuals;

    @Option(names = "--mask-fill", defaultValue = "blank", paramLabel = "blank|mean",
            description = "With --counterfactuals: what masked regions become. Default: ${DEFAULT-VALUE}.")
    String maskFill;

    @Option(names = "--mask-shape", defaultValue = "box", paramLabel = "box|outline",
            description = "With --counterfactuals: an object is the cells its box overlaps, or only those its outline"
                    + " (the instances' polygons) touches. Default: ${DEFAULT-VALUE}.")
    String maskShape;

    @Option(names = "--json", paramLabel = "FILE|-",
            description = "Write the scores as JSON; - for standard output (instead of the table).")
    Path json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for scores.json and, in model mode, results.json (the captions made).")
    Path out;

    private AttentionCorrectness.Report attention;
    private ObjectMentions mentions;
    private Hallucination hallucination;
    private FaithfulnessSummary faithfulnessSummary;
    private String faithfulnessHeader;
    private CounterfactualSummary counterfactualSummary;
    private String counterfactualHeader;

    @Override
    public Integer call() {
        if (out != null && !java.nio.file.Files.isDirectory(out) && out.getFileName() != null
                && out.getFileName().toString().endsWith(".json")) {
            throw new InputException("--out " + out + ": --out is a folder (scores.json goes into it); for the scores"
                    + " alone as one file, use --json " + out);
        }
        Outputs.requireWritableFile(json, "--json");
        Outputs.requireWritableFolder(out, "--out");
        CocoEvaluator evaluator = CocoEvaluator.withMeteorJar(meteorJar);
        CaptionScores scores;
        if (results != null || annotations != null) {
            if (results == null || annotations == null || model != null || instances != null) {
                throw new InputException("results mode needs both --results and --annotations (and no --model or --instances)");
            }
            scores = evaluator.evaluate(CocoCaptionFiles.load(results, annotations));
        } else if (model != null) {
            if (captions == null || images == null) {
                throw new InputException("model mode needs --captions and --images besides --model");
            }
            scores = evaluator.evaluate(captionSplit(out == null ? null : out.resolve("results.json")));
        } else {
            throw new InputException("give --results and --annotations, or --model with --captions and --images");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (!Outputs.isStdout(json)) {
            print(scores, evaluator.hasMeteor());
            if (attention != null) {
                stdout.println(mentions.line());
                stdout.println(hallucination.line());
                AttentionCorrectness.lines(attention).forEach(stdout::println);
            }
            if (faithfulnessSummary != null) {
                faithfulnessSummary.lines(faithfulnessHeader).forEach(stdout::println);
            }
            if (counterfactualSummary != null) {
                counterfactualSummary.lines(counterfactualHeader).forEach(stdout::println);
            }
        }
        ObjectNode scoresJson = ScoresJson.toJson(scores);
        if (attention != null) {
            scoresJson.set("attention_correctness", attentionJson(attention));
            ObjectNode named = scoresJson.putObject("objects_named");
            named.put("objects", mentions.objects());
            named.put("named", mentions.named());
            named.put("share", mentions.share());
            named.put("with_colour", mentions.withColour());
            named.put("named_with_colour", mentions.namedWithColour());
            named.put("colour_share", mentions.colourShare());
            ObjectNode chair = scoresJson.putObject("hallucination");
            chair.put("chair_i", hallucination.chairI());
            chair.put("chair_s", hallucination.chairS());
            chair.put("mentions", hallucination.mentions());
            chair.put("hallucinated_mentions", hallucination.hallucinated());
            chair.put("captions", hallucination.captions());
            chair.put("captions_with_hallucination", hallucination.captionsWithHallucination());
        }
        if (faithfulnessSummary != null) {
            scoresJson.set("faithfulness", ProbeJson.faithfulness(faithfulnessSummary, deletionPercent / 100, deletionScope));
        }
        if (counterfactualSummary != null) {
            scoresJson.set("counterfactuals", ProbeJson.counterfactuals(counterfactualSummary, maskFill, maskShape));
        }
        if (out != null) {
            Path scoresFile = out.resolve("scores.json");
            Outputs.writeJson(scoresFile, stdout, scoresJson);
            spec.commandLine().getErr().println("scores: " + scoresFile);
        }
        if (json != null) {
            Outputs.writeJson(json, stdout, scoresJson);
            if (!Outputs.isStdout(json)) {
                spec.commandLine().getErr().println("scores: " + json);
            }
        }
        stdout.flush();
        spec.commandLine().getErr().flush();
        return Main.OK;
    }

    /** Captions the split with the model and returns raw candidates with their references. */
    private EvalSet captionSplit(Path resultsFile) {
        Split wanted = Split.parse(split);
        CaptionCorpus corpus = CorpusReader.read(captions);
        List<CorpusImage> chosen = corpus.split(wanted).stream().filter(i -> !i.captions().isEmpty()).toList();
        if (chosen.isEmpty()) {
            throw new InputException("captions file " + captions + ": no captioned images in the " + wanted.label() + " split");
        }
        SearchStrategy strategy = DecodeOptions.strategy(beam, lengthPenalty);
        if (counterfactuals && instances == null) {
            throw new InputException("--counterfactuals masks the objects' boxes: it needs --instances");
        }
        if (!maskShape.equals("box") && !maskShape.equals("outline")) {
            throw new InputException("--mask-shape must be box or outline, got '" + maskShape + "'");
        }
        DeletionTest.Settings settings;
        RegionMask.Fill fill;
        try {
            settings = new DeletionTest.Settings(deletionPercent / 100, DeletionTest.Scope.parse(deletionScope));
            fill = RegionMask.Fill.parse(maskFill);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        DecodeOptions.requireModelFile(model, "--model");
        ModelBundle bundle = ModelBundle.load(model);
        CocoInstances objects = instances == null ? null : CocoInstances.read(instances);
        Map<String, String> words = new LinkedHashMap<>(CategoryWords.DEFAULT_SYNONYMS);
        synonyms.forEach((w, c) -> {
            String category = c.toLowerCase(Locale.ROOT).strip();
            if (objects != null && !objects.categories().containsValue(category)) {
                throw new InputException("--synonym " + w + "=" + c + ": no category '" + category + "' in " + instances);
            }
            words.put(w.toLowerCase(Locale.ROOT).strip(), category);
        });
        CategoryWords categoryWords = objects == null ? null : new CategoryWords(objects.categories().values(), words);
        AttentionCorrectness correctness = objects == null ? null : new AttentionCorrectness(categoryWords);
        mentions = objects == null ? null : new ObjectMentions(categoryWords);
        hallucination = objects == null ? null : new Hallucination(categoryWords);
        Set<String> colours = new TreeSet<>();
        if (objects != null) {
            objects.images().values().forEach(im -> im.objects().forEach(o -> {
                if (o.colour() != null) {
                    colours.add(o.colour());
                }
            }));
        }
        if (faithfulness) {
            faithfulnessSummary = new FaithfulnessSummary(categoryWords, colours);
            faithfulnessHeader = String.format(Locale.ROOT, "deletion test: each word's %s%% most attended regions masked "
                    + "(the image's mean feature), against as many of its least attended (%s scope); drops of its log-probability",
                    trim(deletionPercent), settings.scope().label());
        }
        if (counterfactuals) {
            counterfactualSummary = new CounterfactualSummary(categoryWords);
            counterfactualHeader = "counterfactuals: images of one category captioned again with the cells their objects' "
                    + (maskShape.equals("box") ? "boxes overlap" : "outlines touch") + " masked, and with every other cell masked ("
                    + fill.label() + " fill); categories named:";
        }
        DecodeOptions.checkEncoderWeights(bundle, encoderWeights);
        ImageCaptioner captioner = new ImageCaptioner(bundle, bundle.config().maxLength(), encoderWeights);
        Probes probes = faithfulness || counterfactuals ? new Probes(captioner.captioner(), bundle.vocabulary(), settings) : null;
        INDArray blank = counterfactuals && fill == RegionMask.Fill.BLANK ? captioner.blankFeatures() : null;
        Map<Path, CorpusImage> byFile = new LinkedHashMap<>();
        chosen.forEach(i -> byFile.put(images.resolve(i.file()), i));
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode resultsJson = mapper.createArrayNode();
        PrintWriter err = spec.commandLine().getErr();
        int failed;
        try {
            failed = captioner.caption(List.copyOf(byFile.keySet()), strategy, ConsoleProgress.on(err), (batch, results) -> {
                List<ImageCaptioner.Result> ok = new ArrayList<>();
                List<CocoInstances.ImageObjects> annotations = new ArrayList<>();
                for (ImageCaptioner.Result r : results) {
                    if (!r.ok()) {
                        err.println("glimpse: " + r.error());
                        continue;
                    }
                    CorpusImage image = byFile.get(r.file());
                    refs.put(image.id(), image.captions());
                    candidates.put(image.id(), r.caption().text());
                    resultsJson.add(CaptionCommand.resultEntry(mapper, image.id(), r.caption(), false));
                    CocoInstances.ImageObjects annotated = null;
                    if (correctness != null) {
                        annotated = objects.images().get(image.id());
                        if (annotated == null) {
                            throw new InputException("instances file " + instances + ": no image with id " + image.id());
                        }
                        correctness.add(r.caption(), annotated, CropBox.of(annotated.width(), annotated.height(), bundle.preprocessing()));
                        mentions.add(r.caption().words(), annotated);
                        hallucination.add(r.caption().words(), annotated);
                    }
                    ok.add(r);
                    annotations.add(annotated);
                }
                if (probes != null && !ok.isEmpty()) {
                    probe(probes, batch, ok, annotations, blank, strategy, bundle.config().gridSize(), bundle.preprocessing());
                }
            });
        } catch (RuntimeException e) {
            keep(resultsFile, resultsJson, chosen.size());                   // the captions made are not lost
            throw e;
        }
        if (failed > 0) {
            keep(resultsFile, resultsJson, chosen.size());
            throw new InputException(failed + " of " + chosen.size() + " " + wanted.label() + " images could not be read");
        }
        if (correctness != null) {
            attention = correctness.report();
        }
        if (resultsFile != null) {
            Outputs.writeJson(resultsFile, spec.commandLine().getOut(), resultsJson);
            err.println("results: " + resultsFile);
        }
        return new EvalSet(refs, candidates);
    }

    /** Writes the captions made so far when the run cannot finish, and says so. */
    private void keep(Path resultsFile, ArrayNode resultsJson, int wanted) {
        if (resultsFile != null && !resultsJson.isEmpty()) {
            Outputs.writeJson(resultsFile, spec.commandLine().getOut(), resultsJson);
            spec.commandLine().getErr().println("glimpse: the " + resultsJson.size() + " of " + wanted
                    + " captions made are in " + resultsFile);
        }
    }

    /** Runs the deletion test and the counterfactual captions of one batch's captioned images. */
    private void probe(Probes probes, ImageCaptioner.Batch batch, List<ImageCaptioner.Result> ok,
            List<CocoInstances.ImageObjects> annotations, INDArray blank, SearchStrategy strategy, int grid,
            ImageOptions input) {
        List<Caption> captions = ok.stream().map(ImageCaptioner.Result::caption).toList();
        if (faithfulnessSummary != null) {
            List<List<DeletionTest.Word>> tests = probes.deletion(batch.features(), captions);
            for (int k = 0; k < ok.size(); k++) {
                List<DeletionTest.Word> t = tests.get(k);
                faithfulnessSummary.add(captions.get(k).words(), t.stream().mapToDouble(DeletionTest.Word::dropTop).toArray(),
                        t.stream().mapToDouble(DeletionTest.Word::dropControl).toArray(), hurt(t), annotations.get(k));
            }
        }
        if (counterfactualSummary != null) {
            List<RegionMask> masks = new ArrayList<>();
            for (CocoInstances.ImageObjects im : annotations) {
                CropBox crop = CropBox.of(im.width(), im.height(), input);
                if (maskShape.equals("outline")) {
                    masks.add(RegionMask.touching(im.objects().stream().map(CocoInstances.Instance::region).toList(), crop, grid));
                    continue;
                }
                List<PixelBox> boxes = im.objects().stream().map(o -> {
                    Rectangle2D b = o.region().getBounds2D();
                    return new PixelBox(b.getX(), b.getY(), b.getWidth(), b.getHeight());
                }).toList();
                masks.add(RegionMask.covering(boxes, crop, grid));
            }
            List<RegionMask> both = new ArrayList<>(masks);
            masks.forEach(m -> both.add(m.inverse()));
            INDArray twice = Nd4j.concat(0, batch.features(), batch.features());
            List<Caption> masked = probes.recaption(twice, both, blank, strategy);
            for (int k = 0; k < ok.size(); k++) {
                counterfactualSummary.add(annotations.get(k), captions.get(k).words(), masked.get(k).words(),
                        masked.get(ok.size() + k).words());
            }
        }
    }

    private static boolean[] hurt(List<DeletionTest.Word> t) {
        boolean[] out = new boolean[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i).topHurtsMore();
        }
        return out;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static ObjectNode attentionJson(AttentionCorrectness.Report r) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("words", r.words());
        node.put("correctness", r.correctness());
        node.put("baseline", r.baseline());
        node.put("peak_in_box", r.peakInBox());
        node.put("peak_chance", r.peakChance());
        node.put("phrase_peak_in_box", r.phrasePeakInBox());
        ObjectNode per = node.putObject("categories");
        r.perCategory().forEach((k, v) -> {
            ObjectNode c = per.putObject(k);
            c.put("words", (int) v[0]);
            c.put("correctness", v[1]);
            c.put("baseline", v[2]);
        });
        return node;
    }

    private void print(CaptionScores scores, boolean meteor) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d images%n", scores.perImage().size());
        for (String metric : CaptionScores.METRICS) {
            if (scores.corpus().containsKey(metric)) {
                out.printf(Locale.ROOT, "%-8s %.4f%n", metric, scores.corpus().get(metric));
            } else if (metric.equals("METEOR") && !meteor) {
                out.printf(Locale.ROOT, "%-8s absent (needs --meteor-jar)%n", metric);
            }
        }
    }
}

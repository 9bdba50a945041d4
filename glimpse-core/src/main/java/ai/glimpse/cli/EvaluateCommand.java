package ai.glimpse.cli;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.data.CaptionCorpus;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.CorpusReader;
import ai.glimpse.data.Split;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.eval.AttentionCorrectness;
import ai.glimpse.eval.CaptionScores;
import ai.glimpse.eval.CategoryWords;
import ai.glimpse.eval.CocoInstances;
import ai.glimpse.explain.CropBox;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.glimpse.eval.CocoCaptionFiles;
import ai.glimpse.eval.CocoEvaluator;
import ai.glimpse.eval.EvalSet;
import ai.glimpse.eval.ObjectMentions;
import ai.glimpse.eval.ScoresJson;
import ai.glimpse.model.ModelBundle;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse evaluate}: the COCO caption metrics of a results file, or of a model on a split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores captions with BLEU-1..4, ROUGE-L and CIDEr-D exactly as the coco-caption toolkit does",
            "(METEOR 1.5 too when --meteor-jar points at its jar). Two modes:",
            "  glimpse evaluate --results RESULTS.json --annotations CAPTIONS.json [--out SCORES.json]",
            "  glimpse evaluate --model M.zip --captions FILE --images DIR [--split test] [--out DIR]"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--results", paramLabel = "RESULTS.json", description = "Captions to score: [{\"image_id\", \"caption\"}].")
    Path results;

    @Option(names = "--annotations", paramLabel = "CAPTIONS.json", description = "References in the COCO captions layout.")
    Path annotations;

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "Caption a split with this model, then score it.")
    Path model;

    @Option(names = "--captions", paramLabel = "FILE", description = "With --model: the captions file holding the split.")
    Path captions;

    @Option(names = "--images", paramLabel = "DIR", description = "With --model: the images folder.")
    Path images;

    @Option(names = "--split", defaultValue = "test", description = "With --model: the split to caption. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "K", description = "With --model: beam width. Default: ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--length-penalty", defaultValue = "1.0", paramLabel = "A",
            description = "With --model: beam length normalisation exponent. Default: ${DEFAULT-VALUE}.")
    double lengthPenalty;

    @Option(names = "--instances", paramLabel = "INSTANCES.json",
            description = "With --model: COCO instances of the split, to add attention correctness (Liu et al. 2017).")
    Path instances;

    @Option(names = "--synonym", paramLabel = "WORD=CATEGORY", split = ",",
            description = "With --instances: extra words that name a category, e.g. disc=circle.")
    Map<String, String> synonyms = new LinkedHashMap<>();

    @Option(names = "--encoder-weights", paramLabel = "FILE",
            description = "With --model on vgg16/resnet50 features: the encoder's weights (default: where they were at training).")
    Path encoderWeights;

    @Option(names = "--meteor-jar", paramLabel = "JAR", description = "The METEOR 1.5 jar, to add METEOR (not bundled).")
    Path meteorJar;

    @Option(names = "--out", paramLabel = "PATH",
            description = "Scores JSON (results mode), or a folder for results.json and scores.json (model mode).")
    Path out;

    private AttentionCorrectness.Report attention;
    private ObjectMentions mentions;

    @Override
    public Integer call() {
        CocoEvaluator evaluator = CocoEvaluator.withMeteorJar(meteorJar);
        CaptionScores scores;
        Path scoresFile = out;
        if (results != null || annotations != null) {
            if (results == null || annotations == null || model != null || instances != null) {
                throw new InputException("results mode needs both --results and --annotations (and no --model or --instances)");
            }
            scores = evaluator.evaluate(CocoCaptionFiles.load(results, annotations));
        } else if (model != null) {
            if (captions == null || images == null) {
                throw new InputException("model mode needs --captions and --images besides --model");
            }
            scoresFile = out == null ? null : out.resolve("scores.json");
            scores = evaluator.evaluate(captionSplit(out == null ? null : out.resolve("results.json")));
        } else {
            throw new InputException("give --results and --annotations, or --model with --captions and --images");
        }
        print(scores, evaluator.hasMeteor());
        if (attention != null) {
            spec.commandLine().getOut().println(mentions.line());
            AttentionCorrectness.lines(attention).forEach(spec.commandLine().getOut()::println);
        }
        if (scoresFile != null) {
            ObjectNode json = ScoresJson.toJson(scores);
            if (attention != null) {
                json.set("attention_correctness", attentionJson(attention));
                ObjectNode named = json.putObject("objects_named");
                named.put("objects", mentions.objects());
                named.put("named", mentions.named());
                named.put("share", mentions.share());
                named.put("with_colour", mentions.withColour());
                named.put("named_with_colour", mentions.namedWithColour());
                named.put("colour_share", mentions.colourShare());
            }
            AtomicFile.write(scoresFile, s -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(s, json));
            spec.commandLine().getOut().println("scores: " + scoresFile);
        }
        spec.commandLine().getOut().flush();
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
        ModelBundle bundle = ModelBundle.load(model);
        CocoInstances objects = instances == null ? null : CocoInstances.read(instances);
        Map<String, String> words = new LinkedHashMap<>(CategoryWords.DEFAULT_SYNONYMS);
        synonyms.forEach((w, c) -> {
            String category = c.toLowerCase(java.util.Locale.ROOT).strip();
            if (objects != null && !objects.categories().containsValue(category)) {
                throw new InputException("--synonym " + w + "=" + c + ": no category '" + category + "' in " + instances);
            }
            words.put(w.toLowerCase(java.util.Locale.ROOT).strip(), category);
        });
        CategoryWords categoryWords = objects == null ? null : new CategoryWords(objects.categories().values(), words);
        AttentionCorrectness correctness = objects == null ? null : new AttentionCorrectness(categoryWords);
        mentions = objects == null ? null : new ObjectMentions(categoryWords);
        DecodeOptions.checkEncoderWeights(bundle, encoderWeights);
        ImageCaptioner captioner = new ImageCaptioner(bundle, bundle.config().maxLength(), encoderWeights);
        Map<Path, CorpusImage> byFile = new LinkedHashMap<>();
        chosen.forEach(i -> byFile.put(images.resolve(i.file()), i));
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode resultsJson = mapper.createArrayNode();
        PrintWriter err = spec.commandLine().getErr();
        int failed = captioner.caption(List.copyOf(byFile.keySet()), strategy, ConsoleProgress.on(err), r -> {
            if (!r.ok()) {
                err.println("glimpse: " + r.error());
                return;
            }
            CorpusImage image = byFile.get(r.file());
            refs.put(image.id(), image.captions());
            candidates.put(image.id(), r.caption().text());
            resultsJson.add(CaptionCommand.resultEntry(mapper, image.id(), r.caption(), false));
            if (correctness != null) {
                CocoInstances.ImageObjects annotated = objects.images().get(image.id());
                if (annotated == null) {
                    throw new InputException("instances file " + instances + ": no image with id " + image.id());
                }
                correctness.add(r.caption(), annotated, CropBox.of(annotated.width(), annotated.height(), bundle.preprocessing()));
                mentions.add(r.caption().words(), annotated);
            }
        });
        if (failed > 0) {
            throw new InputException(failed + " of " + chosen.size() + " " + wanted.label() + " images could not be read");
        }
        if (correctness != null) {
            attention = correctness.report();
        }
        if (resultsFile != null) {
            AtomicFile.write(resultsFile, s -> mapper.writerWithDefaultPrettyPrinter().writeValue(s, resultsJson));
            spec.commandLine().getOut().println("results: " + resultsFile);
        }
        return new EvalSet(refs, candidates);
    }

    private static ObjectNode attentionJson(AttentionCorrectness.Report r) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("words", r.words());
        node.put("correctness", r.correctness());
        node.put("baseline", r.baseline());
        node.put("peakInBox", r.peakInBox());
        node.put("peakChance", r.peakChance());
        node.put("phrasePeakInBox", r.phrasePeakInBox());
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

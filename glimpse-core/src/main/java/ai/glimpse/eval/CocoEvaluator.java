package ai.glimpse.eval;

import ai.glimpse.data.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The COCO caption toolkit's {@code COCOEvalCap.evaluate()} in Java: tokenizes raw references and
 * candidates with {@link Tokenizer#normalize} (the project's one tokenizer, standing in for the
 * toolkit's PTBTokenizer), then scores them with BLEU-1..4, METEOR (only when a runner is given),
 * ROUGE-L and CIDEr-D, and gathers the toolkit-named scores into {@link CaptionScores}.
 */
public final class CocoEvaluator {
    private final Optional<MeteorRunner> meteor;

    /** An evaluator without METEOR: its score is reported as absent. */
    public CocoEvaluator() {
        this(Optional.empty());
    }

    /** An evaluator that runs METEOR through {@code meteor} when present. */
    public CocoEvaluator(Optional<MeteorRunner> meteor) {
        this.meteor = Objects.requireNonNull(meteor, "meteor");
    }

    /** An evaluator with METEOR from {@code meteorJar} ({@code --meteor-jar}), or without it when null. */
    public static CocoEvaluator withMeteorJar(Path meteorJar) {
        return new CocoEvaluator(Optional.ofNullable(meteorJar).map(MeteorRunner::forJar));
    }

    /** Whether METEOR will be computed. */
    public boolean hasMeteor() {
        return meteor.isPresent();
    }

    /** Loads a results file and COCO captions annotations ({@link CocoCaptionFiles#load}) and evaluates them. */
    public CaptionScores evaluate(Path results, Path annotations) {
        return evaluate(CocoCaptionFiles.load(results, annotations));
    }

    /** Tokenizes the raw captions of {@code raw} and evaluates them. */
    public CaptionScores evaluate(EvalSet raw) {
        return evaluateTokenized(tokenize(raw));
    }

    /** Evaluates captions that are already tokens joined by single spaces. */
    public CaptionScores evaluateTokenized(EvalSet tokenized) {
        List<CaptionScorer> scorers = new ArrayList<>(List.of(new Bleu(4)));
        meteor.ifPresent(scorers::add);
        scorers.add(new RougeL());
        scorers.add(new CiderD());
        List<MetricScore> metrics = new ArrayList<>();
        for (CaptionScorer scorer : scorers) {
            metrics.addAll(scorer.score(tokenized));
        }
        return CaptionScores.of(metrics);
    }

    /** The toolkit's tokenization step, as one {@link Tokenizer#tokensOfAll} run per side in image order. */
    public static EvalSet tokenize(EvalSet raw) {
        // The toolkit runs its tokenizer once over all references and once over all candidates, one
        // caption per line in image order; a few PTB rules look across line ends, so do the same.
        List<String> ids = List.copyOf(raw.candidates().keySet());
        List<String> refLines = new ArrayList<>();
        ids.forEach(id -> refLines.addAll(raw.references().get(id)));
        List<List<String>> refTokens = Tokenizer.tokensOfAll(refLines);
        List<List<String>> candTokens = Tokenizer.tokensOfAll(ids.stream().map(raw.candidates()::get).toList());
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        int k = 0;
        for (int i = 0; i < ids.size(); i++) {
            int n = raw.references().get(ids.get(i)).size();
            refs.put(ids.get(i), refTokens.subList(k, k + n).stream().map(t -> String.join(" ", t)).toList());
            cands.put(ids.get(i), String.join(" ", candTokens.get(i)));
            k += n;
        }
        return new EvalSet(refs, cands);
    }
}

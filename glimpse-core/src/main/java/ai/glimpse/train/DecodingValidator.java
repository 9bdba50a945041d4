package ai.glimpse.train;

import ai.glimpse.data.Vocabulary;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.Captioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.eval.CaptionScores;
import ai.glimpse.eval.CocoEvaluator;
import ai.glimpse.eval.EvalSet;
import ai.glimpse.model.CaptionModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates by what the model writes: greedy-decodes the validation images (never teacher-forced
 * argmax) and scores the captions against their references with the COCO toolkit's BLEU-4 and CIDEr-D.
 */
public final class DecodingValidator implements Validator {
    private static final int BATCH = 32;
    private final TrainingSet images;
    private final Vocabulary vocab;
    private final int maxLength;
    private final int limit;

    /** @param limit decode at most this many images (the first ones, for a stable score) */
    public DecodingValidator(TrainingSet images, Vocabulary vocab, int maxLength, int limit) {
        this.images = images;
        this.vocab = vocab;
        this.maxLength = maxLength;
        this.limit = Math.min(limit, images.imageCount());
    }

    @Override
    public String mainMetric() {
        return "CIDEr";
    }

    @Override
    public Map<String, Double> validate(CaptionModel model) {
        Captioner captioner = new Captioner(model, vocab::word, maxLength);
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        for (int from = 0; from < limit; from += BATCH) {
            int n = Math.min(BATCH, limit - from);
            List<Caption> caps = captioner.caption(images.batchInput(from, n), new SearchStrategy.Greedy()); // [n, ...]
            for (int i = 0; i < n; i++) {
                String id = images.image(from + i).id();
                refs.put(id, images.image(from + i).captions());
                candidates.put(id, caps.get(i).text());
            }
        }
        CaptionScores scores = new CocoEvaluator().evaluate(new EvalSet(refs, candidates));
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("Bleu_4", scores.corpus().get("Bleu_4"));
        out.put("CIDEr", scores.corpus().get("CIDEr"));
        return out;
    }
}

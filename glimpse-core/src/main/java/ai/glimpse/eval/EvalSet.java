package ai.glimpse.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The captions one evaluation compares, keyed by image id: the references of each image and the one
 * candidate caption per image, the {@code gts} and {@code res} dictionaries of the COCO caption toolkit.
 *
 * <p>Both maps have the same image ids (the toolkit asserts {@code gts.keys() == res.keys()}), every
 * image has at least one reference, and the iteration order is the candidates' order: per-image scores
 * and corpus sums follow it. Whether the captions are raw or tokenized is the caller's contract: the
 * scorers expect tokens joined by single spaces.
 *
 * @param references reference captions per image id, at least one per image
 * @param candidates the candidate caption per image id (may be empty)
 */
public record EvalSet(Map<String, List<String>> references, Map<String, String> candidates) {
    public EvalSet {
        Objects.requireNonNull(references, "references");
        Objects.requireNonNull(candidates, "candidates");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates to evaluate");
        }
        if (!references.keySet().equals(candidates.keySet())) {
            throw new IllegalArgumentException("references and candidates must cover the same image ids, got "
                    + references.size() + " and " + candidates.size() + " ids that differ");
        }
        Map<String, List<String>> refs = new LinkedHashMap<>();
        Map<String, String> cands = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : candidates.entrySet()) {
            String id = Objects.requireNonNull(e.getKey(), "image id");
            List<String> imageRefs = List.copyOf(references.get(id));
            if (imageRefs.isEmpty()) {
                throw new IllegalArgumentException("image " + id + " has no reference captions");
            }
            refs.put(id, imageRefs);
            cands.put(id, Objects.requireNonNull(e.getValue(), "candidate of image " + id));
        }
        references = Collections.unmodifiableMap(refs);
        candidates = Collections.unmodifiableMap(cands);
    }

    /** Number of images. */
    public int size() {
        return candidates.size();
    }
}

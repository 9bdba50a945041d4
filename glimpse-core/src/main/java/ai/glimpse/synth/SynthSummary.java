package ai.glimpse.synth;

import ai.glimpse.data.Split;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a synth run wrote: images per split, objects per category, and how long it took.
 *
 * @param out          the dataset folder
 * @param config       what was asked for
 * @param imagesPerSplit images of train, val and test, in that order
 * @param objectsPerCategory objects per category name, in category id order (categories without objects included)
 * @param elapsed      wall time of the run
 */
public record SynthSummary(Path out, SynthConfig config, Map<Split, Integer> imagesPerSplit,
        Map<String, Integer> objectsPerCategory, Duration elapsed) {
    public SynthSummary {
        imagesPerSplit = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(imagesPerSplit));
        objectsPerCategory = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(objectsPerCategory));
    }

    /** Counts the splits and objects of {@code images}. */
    static SynthSummary of(Path out, SynthConfig config, List<SynthImage> images, Duration elapsed) {
        Map<Split, Integer> splits = new LinkedHashMap<>();
        for (Split s : List.of(Split.TRAIN, Split.VAL, Split.TEST)) {
            splits.put(s, (int) images.stream().filter(i -> i.split() == s).count());
        }
        Map<String, Integer> objects = new LinkedHashMap<>();
        config.variant().figures().forEach(f -> objects.put(f.noun(), 0));
        for (SynthImage image : images) {
            image.scene().objects().forEach(o -> objects.merge(o.figure().noun(), 1, Integer::sum));
        }
        return new SynthSummary(out, config, splits, objects, elapsed);
    }

    /** Total number of objects (COCO instance annotations). */
    public int objects() {
        return objectsPerCategory.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Human-readable lines for the end of {@code glimpse synth}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        int total = imagesPerSplit.values().stream().mapToInt(Integer::intValue).sum();
        lines.add(String.format(Locale.ROOT, "wrote %d images of %d px (variant %s, seed %d) to %s",
                total, config.size(), config.variant().label(), config.seed(), out));
        StringBuilder splits = new StringBuilder("  splits:");
        imagesPerSplit.forEach((s, n) -> splits.append(' ').append(s.label()).append(' ').append(n));
        lines.add(splits.toString());
        StringBuilder categories = new StringBuilder(String.format(Locale.ROOT, "  objects: %d in %d categories (",
                objects(), objectsPerCategory.size()));
        List<String> parts = new ArrayList<>();
        objectsPerCategory.forEach((name, n) -> parts.add(name + " " + n));
        lines.add(categories.append(String.join(", ", parts)).append(')').toString());
        lines.add(String.format(Locale.ROOT, "  captions: %d; time %.1f s (%.0f images/s)",
                total * CaptionGrammar.CAPTIONS_PER_IMAGE, elapsed.toMillis() / 1000.0,
                total / Math.max(1e-3, elapsed.toMillis() / 1000.0)));
        return lines;
    }
}

package ai.glimpse.synth;

import ai.glimpse.data.Split;
import java.util.List;
import java.util.Objects;

/**
 * One planned image of a synthetic dataset: its COCO id, file name, split, scene and reference captions.
 *
 * @param id       the COCO image id, 1-based
 * @param fileName the PNG's name inside {@code images/}
 * @param split    train, val or test
 * @param scene    what the picture shows
 * @param captions five distinct reference captions
 */
public record SynthImage(int id, String fileName, Split split, Scene scene, List<String> captions) {
    public SynthImage {
        if (id < 1) {
            throw new IllegalArgumentException("image ids start at 1, got " + id);
        }
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(scene, "scene");
        captions = List.copyOf(captions);
    }
}

package ai.glimpse.synth;

import java.util.List;
import java.util.Objects;

/**
 * A synthetic picture before it is drawn: a square image of {@code size} pixels, a background, and
 * objects whose boxes lie inside the image and do not overlap.
 *
 * @param size        the image's width and height in pixels
 * @param background  the ground texture
 * @param textureSeed the seed of the background texture's noise
 * @param objects     one to three objects, in the order they were placed
 */
public record Scene(int size, Background background, long textureSeed, List<SceneObject> objects) {
    public Scene {
        Objects.requireNonNull(background, "background");
        objects = List.copyOf(objects);
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("a scene needs at least one object");
        }
        for (int i = 0; i < objects.size(); i++) {
            Box box = objects.get(i).box();
            if (!box.insideSquare(size)) {
                throw new IllegalArgumentException("object " + i + " at " + box + " is outside the " + size + " px image");
            }
            for (int j = 0; j < i; j++) {
                if (box.closerThan(objects.get(j).box(), 0)) {
                    throw new IllegalArgumentException("objects " + j + " and " + i + " overlap");
                }
            }
        }
    }
}

package ai.glimpse.synth;

/**
 * What an object in a scene is: a geometric {@link Shape} or an {@link Animal}. Each figure is one COCO
 * category; its noun is the category name, so captions and instance annotations share one word.
 */
public sealed interface Figure permits Shape, Animal {

    /** The singular noun, which is also the COCO category name, e.g. {@code circle}, {@code wolf}. */
    String noun();

    /** The plural noun, e.g. {@code circles}, {@code wolves}. */
    String plural();

    /** The COCO category id, 1-based within the figure's own kind. */
    int categoryId();

    /** The COCO supercategory, {@code shape} or {@code animal}. */
    String supercategory();
}

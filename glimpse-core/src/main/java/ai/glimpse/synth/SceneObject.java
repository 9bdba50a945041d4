package ai.glimpse.synth;

import java.util.Objects;

/**
 * One object in a scene: what it is, its colour, its size class and the outline it is drawn with.
 *
 * @param figure  the shape or animal; its noun is the COCO category
 * @param colour  the flat colour it is filled with
 * @param size    the size class captions may name ({@link Size#LARGE} for animals)
 * @param outline the drawn polygon(s) in pixels
 */
public record SceneObject(Figure figure, Colour colour, Size size, Outline outline) {
    public SceneObject {
        Objects.requireNonNull(figure, "figure");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(outline, "outline");
    }

    /** The tight bounding box of the drawn outline. */
    public Box box() {
        return outline.bounds();
    }

    /** Whether the two objects look the same apart from where they are (figure, colour and size). */
    public boolean looksLike(SceneObject other) {
        return figure == other.figure && colour == other.colour && size == other.size;
    }
}

package ai.glimpse.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * A spatial relation of one object (the subject) to another, read from the centres of their boxes in
 * image coordinates (y grows downwards): the axis along which the centres are further apart decides
 * between left/right and above/below, and "next to" needs the horizontal offset to dominate clearly.
 */
public enum Relation {
    LEFT_OF(List.of("to the left of", "left of")),
    RIGHT_OF(List.of("to the right of", "right of")),
    ABOVE(List.of("above")),
    BELOW(List.of("below", "under")),
    NEXT_TO(List.of("next to", "beside"));

    /** "Next to" holds when the horizontal offset is at least this many times the vertical one. */
    public static final double NEXT_TO_RATIO = 1.25;

    private static final List<String> SIDE_BY_SIDE = List.of("next to each other", "side by side");
    private static final List<String> STACKED = List.of("one above the other");

    private final List<String> phrases;

    Relation(List<String> phrases) {
        this.phrases = phrases;
    }

    /** The wordings captions use between the subject and the object, e.g. {@code to the left of}. */
    public List<String> phrases() {
        return phrases;
    }

    /** The relations that hold for {@code subject} against {@code object}: the dominant axis's one, and maybe {@link #NEXT_TO}. */
    public static List<Relation> holding(Box subject, Box object) {
        double dx = object.centreX() - subject.centreX();
        double dy = object.centreY() - subject.centreY();
        List<Relation> result = new ArrayList<>(2);
        if (Math.abs(dx) >= Math.abs(dy)) {
            result.add(dx > 0 ? LEFT_OF : RIGHT_OF);
            if (Math.abs(dx) >= NEXT_TO_RATIO * Math.abs(dy)) {
                result.add(NEXT_TO);
            }
        } else {
            result.add(dy > 0 ? ABOVE : BELOW);
        }
        return result;
    }

    /**
     * The relations that hold for every subject box against every object box (a relation between
     * groups of look-alike objects must hold for each member), in enum order.
     */
    public static List<Relation> holdingForAll(List<Box> subjects, List<Box> objects) {
        List<Relation> common = new ArrayList<>(List.of(values()));
        for (Box s : subjects) {
            for (Box o : objects) {
                common.retainAll(holding(s, o));
            }
        }
        return common;
    }

    /**
     * Wordings for where two look-alike objects are relative to each other: "next to each other" as for
     * {@link #NEXT_TO}, "side by side" whenever the horizontal offset is the larger, and "one above the
     * other" when the vertical one is.
     */
    public static List<String> pairPhrases(Box a, Box b) {
        double dx = Math.abs(a.centreX() - b.centreX());
        double dy = Math.abs(a.centreY() - b.centreY());
        if (dx >= NEXT_TO_RATIO * dy) {
            return SIDE_BY_SIDE;
        }
        return dx >= dy ? List.of("side by side") : STACKED;
    }
}

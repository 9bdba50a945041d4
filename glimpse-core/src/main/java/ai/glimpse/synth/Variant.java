package ai.glimpse.synth;

import ai.glimpse.InputException;
import java.util.List;
import java.util.Locale;

/**
 * The kind of dataset to make: coloured {@code shapes} on varied backgrounds, or the {@code snow}
 * variant whose dogs and wolves are correlated with grass and snow in train and val, and the other way
 * round in test.
 */
public enum Variant {
    SHAPES,
    SNOW;

    /** Parses {@code shapes} or {@code snow} (any case), as given to {@code --variant}. */
    public static Variant parse(String name) {
        for (Variant v : values()) {
            if (v.label().equalsIgnoreCase(name.strip())) {
                return v;
            }
        }
        throw new InputException("--variant " + name + ": unknown variant (expected shapes or snow)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The figures this variant draws, one COCO category each, in category id order. */
    public List<Figure> figures() {
        return this == SHAPES ? List.of(Shape.values()) : List.of(Animal.values());
    }
}

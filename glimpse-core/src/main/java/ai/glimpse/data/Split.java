package ai.glimpse.data;

import ai.glimpse.InputException;
import java.util.Locale;

/** The part of a dataset an image belongs to. {@code RESTVAL} is Karpathy's extra training images. */
public enum Split {
    TRAIN, RESTVAL, VAL, TEST, NONE;

    /** Parses a split name as written in files and on the command line ("train", "restval", ...). */
    public static Split parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException("unknown split '" + name + "' (expected train, restval, val or test)");
        }
    }

    /** Whether images of this split may be trained on when {@code wanted} is asked for (restval counts as train). */
    public boolean servesAs(Split wanted) {
        return this == wanted || (wanted == TRAIN && this == RESTVAL);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

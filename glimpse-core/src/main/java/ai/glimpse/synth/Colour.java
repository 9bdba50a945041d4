package ai.glimpse.synth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The flat colours objects are painted in: six saturated ones for shapes and two fur colours for the
 * animals. A shape colour is never used on a background of its own family (no green on grass).
 */
public enum Colour {
    RED(0xDC2828, true),
    ORANGE(0xF58C14, true),
    YELLOW(0xF0D21E, true),
    GREEN(0x28AA3C, true),
    BLUE(0x2850DC, true),
    PURPLE(0x8C32B4, true),
    GREY(0x7C7C80, false),
    BROWN(0x7A5030, false);

    private static final List<Colour> SHAPE_COLOURS = Arrays.stream(values()).filter(c -> c.forShapes).toList();
    private static final List<Colour> FUR_COLOURS = Arrays.stream(values()).filter(c -> !c.forShapes).toList();

    private final int rgb;
    private final boolean forShapes;

    Colour(int rgb, boolean forShapes) {
        this.rgb = rgb;
        this.forShapes = forShapes;
    }

    /** The colour as {@code 0xRRGGBB}. */
    public int rgb() {
        return rgb;
    }

    public int red() {
        return (rgb >> 16) & 0xFF;
    }

    public int green() {
        return (rgb >> 8) & 0xFF;
    }

    public int blue() {
        return rgb & 0xFF;
    }

    /** The adjective in captions, e.g. {@code red}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The colours shapes may have on {@code background}, in enum order. */
    public static List<Colour> forShapesOn(Background background) {
        return SHAPE_COLOURS.stream().filter(c -> !c.clashesWith(background)).toList();
    }

    /** The fur colours of the animals, in enum order. */
    public static List<Colour> furColours() {
        return FUR_COLOURS;
    }

    /** Whether this colour belongs to the background's own colour family and would hide on it. */
    public boolean clashesWith(Background background) {
        return switch (background) {
            case GRASS -> this == GREEN;
            case WATER -> this == BLUE;
            case SAND -> this == YELLOW;
            case SNOW, PLAIN -> false;
        };
    }
}

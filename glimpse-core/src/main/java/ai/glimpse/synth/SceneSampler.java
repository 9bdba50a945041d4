package ai.glimpse.synth;

import ai.glimpse.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random scenes for a variant: which objects, what colour and size, where (never overlapping,
 * kept a margin away from the edges and from each other), and on which background. In the snow
 * variant the background follows from the animal and the split, so that train and val teach a
 * shortcut that test punishes.
 */
public final class SceneSampler {
    /** Largest number of objects in a shapes scene. */
    public static final int MAX_OBJECTS = 3;
    /** Chance that a later object copies the shape and colour of an earlier one, so that size matters. */
    static final double LOOK_ALIKE_CHANCE = 0.2;
    /** Margin to the image edges and between objects, as a fraction of the image side. */
    static final double MARGIN = 0.04;
    /** Placement attempts for one object before the scene is drawn again from scratch. */
    private static final int PLACEMENT_TRIES = 64;

    private final Variant variant;
    private final int size;
    private final double margin;

    public SceneSampler(Variant variant, int size) {
        this.variant = variant;
        this.size = size;
        this.margin = Math.max(1.0, MARGIN * size);
    }

    /** A random scene for an image of the given split, every choice taken from {@code random}. */
    public Scene sample(SplittableRandom random, Split split) {
        return variant == Variant.SHAPES ? shapes(random) : snow(random, split);
    }

    /** The background of an animal in the snow variant: wolves on snow and dogs on grass, except in test. */
    public static Background snowBackground(Animal animal, Split split) {
        boolean wolfOnSnow = split != Split.TEST;
        return (animal == Animal.WOLF) == wolfOnSnow ? Background.SNOW : Background.GRASS;
    }

    private Scene shapes(SplittableRandom random) {
        Background background = pick(random, List.of(Background.values()));
        List<Colour> colours = Colour.forShapesOn(background);
        int count = 1 + random.nextInt(MAX_OBJECTS);
        long textureSeed = random.nextLong();
        while (true) {
            List<SceneObject> objects = new ArrayList<>(count);
            List<Box> slots = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                Shape shape;
                Colour colour;
                if (k > 0 && random.nextDouble() < LOOK_ALIKE_CHANCE) {
                    SceneObject earlier = objects.get(random.nextInt(k));
                    shape = (Shape) earlier.figure();
                    colour = earlier.colour();
                } else {
                    shape = pick(random, List.of(Shape.values()));
                    colour = pick(random, colours);
                }
                Size objectSize = pick(random, List.of(Size.values()));
                double side = objectSize.fraction() * size * (1 + Size.JITTER * (2 * random.nextDouble() - 1));
                Box slot = place(random, side, side, slots);
                if (slot == null) {
                    break;
                }
                slots.add(slot);
                objects.add(new SceneObject(shape, colour, objectSize,
                        shape.outline(slot.centreX(), slot.centreY(), side)));
            }
            if (objects.size() == count) {
                return new Scene(size, background, textureSeed, objects);
            }
        }
    }

    private Scene snow(SplittableRandom random, Split split) {
        Animal animal = random.nextBoolean() ? Animal.DOG : Animal.WOLF;
        Colour colour = pick(random, Colour.furColours());
        boolean facingLeft = random.nextBoolean();
        long textureSeed = random.nextLong();
        double width = size * (0.55 + 0.2 * random.nextDouble());
        Box slot = place(random, width, width * animal.aspect(), List.of());
        if (slot == null) {
            throw new IllegalStateException("an animal of " + width + " px does not fit a " + size + " px image");
        }
        Outline outline = animal.outline(slot.x(), slot.y(), width, facingLeft);
        return new Scene(size, snowBackground(animal, split), textureSeed,
                List.of(new SceneObject(animal, colour, Size.LARGE, outline)));
    }

    /**
     * A random slot of the given size inside the margins that keeps a margin away from every taken
     * slot, or null when {@value #PLACEMENT_TRIES} tries found none.
     */
    private Box place(SplittableRandom random, double width, double height, List<Box> taken) {
        double freeX = size - 2 * margin - width;
        double freeY = size - 2 * margin - height;
        if (freeX < 0 || freeY < 0) {
            return null;
        }
        for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
            Box slot = new Box(margin + freeX * random.nextDouble(), margin + freeY * random.nextDouble(), width, height);
            if (taken.stream().noneMatch(t -> t.closerThan(slot, margin))) {
                return slot;
            }
        }
        return null;
    }

    private static <T> T pick(SplittableRandom random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}

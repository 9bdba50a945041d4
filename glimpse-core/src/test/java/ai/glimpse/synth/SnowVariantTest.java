package ai.glimpse.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.data.Split;
import ai.glimpse.synth.SynthFiles.Img;
import ai.glimpse.synth.SynthFiles.Obj;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dog-and-wolf variant: one animal per image, background correlated with the animal except in test. */
class SnowVariantTest {
    @TempDir
    static Path tmp;
    static Map<Integer, Img> images;
    static Path dir;

    @BeforeAll
    static void generate() throws IOException {
        dir = tmp.resolve("snow");
        SynthFiles.generate(dir, 40, 64, 7, Variant.SNOW);
        images = SynthFiles.load(dir);
    }

    @Test
    void trainAndValPutWolvesOnSnowAndDogsOnGrassAndTestTheReverse() {
        assertEquals(40, images.size());
        int[] seen = new int[4];
        for (Img image : images.values()) {
            assertEquals(1, image.objects().size(), "one animal per image");
            String animal = image.objects().get(0).category();
            boolean test = image.split().equals("test");
            String expected = animal.equals("wolf") == !test ? "snow" : "grass";
            assertEquals(expected, image.background(), animal + " in " + image.split());
            seen[(test ? 2 : 0) + (animal.equals("wolf") ? 1 : 0)]++;
        }
        assertTrue(seen[0] > 0 && seen[1] > 0, "train and val have dogs and wolves");
        assertTrue(seen[2] + seen[3] == 4, "10% of 40 images are test images");
        assertEquals(Background.GRASS, SceneSampler.snowBackground(Animal.WOLF, Split.TEST));
        assertEquals(Background.SNOW, SceneSampler.snowBackground(Animal.DOG, Split.TEST));
        assertEquals(Background.SNOW, SceneSampler.snowBackground(Animal.WOLF, Split.VAL));
        assertEquals(Background.GRASS, SceneSampler.snowBackground(Animal.DOG, Split.TRAIN));
    }

    @Test
    void categoriesAreDogAndWolf() throws IOException {
        JsonNode categories = SynthFiles.read(dir.resolve("annotations/instances_train.json")).get("categories");
        assertEquals(2, categories.size());
        assertEquals("dog", categories.get(0).get("name").asText());
        assertEquals(1, categories.get(0).get("id").asInt());
        assertEquals("wolf", categories.get(1).get("name").asText());
        assertEquals("animal", categories.get(1).get("supercategory").asText());
    }

    @Test
    void captionsNameTheAnimalItsColourAndTheRightGround() {
        for (Img image : images.values()) {
            Obj animal = image.objects().get(0);
            String other = animal.category().equals("dog") ? "wolf" : "dog";
            assertEquals(5, new HashSet<>(image.captions()).size(), image.captions().toString());
            for (String caption : image.captions()) {
                List<String> words = List.of(caption.toLowerCase().replaceAll("[^a-z ]", "").split(" "));
                assertTrue(words.contains(animal.category()), caption);
                assertFalse(words.contains(other), caption);
                assertFalse(words.contains(animal.colour().equals("grey") ? "brown" : "grey"), caption);
                String wrongGround = image.background().equals("snow") ? "grass" : "snow";
                assertFalse(words.contains(wrongGround), caption);
                assertTrue(words.contains(image.background()), "names the ground: " + caption);
            }
        }
    }

    @Test
    void pixelsShowTheAnimalOnItsGround() throws IOException {
        for (Img image : images.values()) {
            BufferedImage png = ImageIO.read(dir.resolve("images").resolve(image.file()).toFile());
            PixelCheck.assertObjectsDrawn(png, image);
            PixelCheck.assertBackgroundFamily(png, image);
        }
    }

    @Test
    void dogAndWolfLookAlmostAlike() {
        Outline dog = Animal.DOG.outline(10, 10, 100, false);
        Outline wolf = Animal.WOLF.outline(10, 10, 100, false);
        assertEquals(1, dog.polygons().size(), "one outline, no holes");
        assertEquals(1, wolf.polygons().size(), "one outline, no holes");
        assertEquals(100, dog.bounds().width(), 1e-9);
        assertEquals(10, wolf.bounds().x(), 1e-9);
        assertEquals(Animal.WOLF.aspect() * 100, wolf.bounds().height(), 0.1);
        assertEquals(100, dog.bounds().width(), 1e-9);
        assertEquals(10, dog.bounds().y(), 1e-9);
        double ratio = wolf.area() / dog.area();
        assertTrue(ratio > 0.85 && ratio < 1.2, "similar area: " + ratio);
        assertNotEquals(dog.area(), wolf.area());
        Outline mirrored = Animal.DOG.outline(10, 10, 100, true);
        assertEquals(dog.area(), mirrored.area(), 1e-6);
        assertEquals(dog.bounds().x(), mirrored.bounds().x(), 1e-9);
    }
}

package ai.glimpse.train;

import ai.glimpse.Progress;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Split;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Six 16 px images of coloured blocks, two captions each, loaded as a training set (captions of at most 6 words). */
record TinyTrainingSet(TrainingSet set, Vocabulary vocab) {
    static final ImageOptions IMAGES = new ImageOptions(16, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS);

    /** Writes the images into {@code dir} and loads them. */
    static TinyTrainingSet write(Path dir) throws IOException {
        String[] colours = {"red", "blue", "green"};
        Color[] rgb = {Color.RED, Color.BLUE, Color.GREEN};
        List<CorpusImage> images = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(rgb[i % 3]);
            g.fillRect(i % 2 * 8, 0, 8, 16);
            g.dispose();
            String name = "img" + i + ".png";
            ImageIO.write(img, "png", dir.resolve(name).toFile());
            images.add(new CorpusImage(String.valueOf(i), name, 16, 16, Split.TRAIN,
                    List.of("a " + colours[i % 3] + " block on the " + (i % 2 == 0 ? "left" : "right"),
                            colours[i % 3] + " block")));
        }
        Vocabulary vocab = Vocabulary.build(images.stream().flatMap(im -> im.captions().stream())
                .map(Tokenizer::tokens).toList(), 1);
        return new TinyTrainingSet(TrainingSet.load(images, dir, new ImageLoader(IMAGES), vocab, 6, "train", Progress.NONE), vocab);
    }
}

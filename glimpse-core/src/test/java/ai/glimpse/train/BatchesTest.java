package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.Progress;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Split;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.TrainingStep;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Image-grouped batches: every caption once per epoch, each image encoded once per batch and wired to its captions. */
class BatchesTest {
    @TempDir
    Path dir;

    @Test
    void anEpochVisitsEveryCaptionOnceWithEachImagesCaptionsInAtMostTwoBatches() throws Exception {
        TrainingSet data = set(7);
        Batches batches = new Batches(data, model(), 4, 9);
        int[] order = batches.order(0);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        int[] all = new int[data.captionCount()];
        Arrays.setAll(all, i -> i);
        assertArrayEquals(all, sorted, "a permutation of the captions");

        Map<Integer, Set<Integer>> batchesOfImage = new HashMap<>();
        for (int i = 0; i < order.length; i++) {
            batchesOfImage.computeIfAbsent(data.imageOf(order[i]), k -> new HashSet<>()).add(i / 4);
        }
        batchesOfImage.forEach((image, in) -> assertTrue(in.size() <= 2, "image " + image + " spread over " + in));
        assertArrayEquals(order, batches.order(0), "same seed and epoch, same order");
        assertFalse(Arrays.equals(order, batches.order(1)), "another epoch, another order");
    }

    @Test
    void captionsPerImageTakesThatManyOfEachImagesCaptionsAFreshChoiceEachEpoch() throws Exception {
        TrainingSet data = set(9);                                        // 1, 2 or 3 captions per image: 18 in all
        Batches one = new Batches(data, model(), 4, 9, 1);
        assertEquals(9, one.captionsPerEpoch());
        assertEquals(3, one.stepsPerEpoch());
        Batches two = new Batches(data, model(), 4, 9, 2);
        assertEquals(3 * 1 + 6 * 2, two.captionsPerEpoch());
        assertEquals(data.captionCount(), new Batches(data, model(), 4, 9, 0).captionsPerEpoch());
        Set<Integer> seen = new HashSet<>();
        for (int epoch = 0; epoch < 12; epoch++) {
            int[] order = one.order(epoch);
            assertEquals(9, order.length);
            int[] images = Arrays.stream(order).map(data::imageOf).sorted().toArray();
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, images, "one caption of every image");
            Arrays.stream(order).forEach(seen::add);
            TrainingStep.Batch batch = one.batch(order, 0, epoch);
            assertEquals(4, batch.input().size(0), "a batch of 4 captions holds 4 distinct images");
        }
        assertTrue(seen.size() > 14, "over 12 epochs most of the 18 captions are drawn, got " + seen.size());
        assertArrayEquals(one.order(3), one.order(3), "same seed and epoch, same choice");
    }

    @Test
    void aBatchUnrollsOnlyTheStepsItsLongestCaptionNeeds() throws Exception {
        TrainingSet data = set(12);
        ModelConfig mc = model();                                     // max length 6: 7 steps
        Batches batches = new Batches(data, mc, 3, 5);
        int[] order = batches.order(0);
        int shorter = 0;
        for (int index = 0; index < batches.stepsPerEpoch(); index++) {
            TrainingStep.Batch batch = batches.batch(order, index, index);
            int t = batch.steps();
            int longest = 0;
            for (int r = index * 3; r < Math.min(order.length, index * 3 + 3); r++) {
                longest = Math.max(longest, Math.min(mc.steps(), data.caption(order[r]).length - 1));
            }
            assertTrue(t >= longest, "batch " + index + " unrolls " + t + " < " + longest);
            assertTrue(t == mc.steps() || t % Batches.STEP_QUANTUM == 0 && t - longest < Batches.STEP_QUANTUM,
                    "batch " + index + " unrolls " + t + " for a longest caption of " + longest);
            assertEquals(t, batch.mask().size(1));
            assertEquals(t, batch.drop().size(1));
            if (t < mc.steps()) {
                shorter++;
            }
        }
        assertTrue(shorter > 0, "short captions are batched together");
    }

    @Test
    void aBatchEncodesEachImageOnceAndPointsEveryCaptionAtIt() throws Exception {
        TrainingSet data = set(7);
        ModelConfig mc = model();
        Batches batches = new Batches(data, mc, 4, 9);
        int[] order = batches.order(2);
        int seen = 0;
        for (int index = 0; index < batches.stepsPerEpoch(); index++) {
            TrainingStep.Batch batch = batches.batch(order, index, index);
            INDArray images = batch.input();                              // [N, 3, S, S]
            int[] imageOf = batch.imageOf();                              // [B]
            int[][] inputs = batch.inputs();                              // [B, T]
            long b = inputs.length;
            long n = images.size(0);
            assertEquals(b, imageOf.length);
            Set<Integer> distinct = new HashSet<>();
            boolean[] used = new boolean[(int) n];
            for (int r = 0; r < b; r++) {
                int k = order[index * 4 + r];
                distinct.add(data.imageOf(k));
                int slot = imageOf[r];
                assertTrue(slot >= 0 && slot < n, "one image per caption");
                used[slot] = true;
                // image i is filled with grey level 10 * (i + 1), so the slot's pixels name the image
                double grey = images.slice(slot).meanNumber().doubleValue() * 255;
                assertEquals(10 * (data.imageOf(k) + 1), grey, 0.5, "caption " + k + " reads its own image");
                assertEquals(data.caption(k)[1], inputs[r][1], "caption " + k + "'s first word");
            }
            assertEquals(distinct.size(), n, "each image of the batch is encoded once");
            for (int s = 0; s < n; s++) {
                assertTrue(used[s], "no image without a caption");
            }
            seen += (int) b;
        }
        assertEquals(data.captionCount(), seen);
    }

    private ModelConfig model() {
        return ModelConfig.small(8, List.of(4), 40, 4, 4, 4, 0.3, 1.0, 6);
    }

    /** Images with 1, 2 or 3 captions each, filled with distinct greys. */
    private TrainingSet set(int count) throws Exception {
        List<CorpusImage> images = new ArrayList<>();
        String[] words = {"red", "blue", "green", "grey", "dark", "light", "pale"};
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            int v = 10 * (i + 1);
            g.setColor(new Color(v, v, v));
            g.fillRect(0, 0, 8, 8);
            g.dispose();
            String name = "img" + i + ".png";
            ImageIO.write(img, "png", dir.resolve(name).toFile());
            List<String> captions = new ArrayList<>();
            for (int c = 0; c <= i % 3; c++) {                          // 1 to 3 captions of 1 to 8 words
                String caption = words[(i + c) % words.length] + " square number " + c + " of many more words";
                captions.add(String.join(" ", Arrays.asList(caption.split(" ")).subList(0, 1 + (i * 3 + c) % 8)));
            }
            images.add(new CorpusImage(String.valueOf(i), name, 8, 8, Split.TRAIN, captions));
        }
        Vocabulary vocab = Vocabulary.build(images.stream().flatMap(im -> im.captions().stream())
                .map(Tokenizer::tokens).toList(), 1);
        ImageLoader loader = new ImageLoader(new ImageOptions(8, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS));
        return TrainingSet.load(images, dir, loader, vocab, 6, "train", Progress.NONE);
    }
}

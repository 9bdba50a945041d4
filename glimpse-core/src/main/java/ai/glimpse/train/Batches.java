package ai.glimpse.train;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.model.BoxSupervision;
import ai.glimpse.model.HostCopy;
import ai.glimpse.model.TrainingStep;
import ai.glimpse.model.WarmupStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts a {@link TrainingSet} into padded teacher-forcing batches. An epoch visits every caption once,
 * image by image, each image's captions together, so a batch of B captions holds about B / 5 distinct
 * images and the small CNN encodes each of them once (see {@link TrainingStep.Batch}).
 * Batches are also homogeneous in length, as in the paper authors' own code (arctic-captions groups
 * captions of equal length): the images are ordered by their longest caption (ties broken at random),
 * cut into batches, and the full batches shuffled. A batch then unrolls only as many steps as its
 * longest caption needs (rounded up to a multiple of {@link #STEP_QUANTUM}), which halves the decoder's
 * work on typical data without changing the loss: padded steps are masked out of it. The caption order
 * of an epoch and the dropout masks of a step depend only on (seed, epoch) and (seed, step), so a
 * resumed run sees exactly the batches an uninterrupted one would.
 */
public final class Batches {
    /** Unrolled lengths are rounded up to a multiple of this, so few distinct graphs are built. */
    public static final int STEP_QUANTUM = 4;

    private final TrainingSet data;
    private final ModelConfig model;
    private final int batchSize;
    private final long seed;
    private final int captionsPerImage;                                    // 0: all
    private final int captionsPerEpoch;
    private final int[] longestOfImage;                                    // steps of each image's longest caption
    private final AttentionBoxes boxes;                                    // null: no attention supervision

    /** Every caption once per epoch. */
    public Batches(TrainingSet data, ModelConfig model, int batchSize, long seed) {
        this(data, model, batchSize, seed, 0);
    }

    /**
     * At most {@code captionsPerImage} of each image's captions per epoch (0: all), a fresh random
     * choice every epoch. With 1, a batch of B captions encodes B distinct images: the CNN learns from
     * five times as many images per step, at five times the CNN's cost.
     */
    public Batches(TrainingSet data, ModelConfig model, int batchSize, long seed, int captionsPerImage) {
        this(data, model, batchSize, seed, captionsPerImage, null);
    }

    /** As {@link #Batches(TrainingSet, ModelConfig, int, long, int)}, each batch carrying its captions' attention boxes (or none when null). */
    public Batches(TrainingSet data, ModelConfig model, int batchSize, long seed, int captionsPerImage, AttentionBoxes boxes) {
        if (captionsPerImage < 0) {
            throw new IllegalArgumentException("captions per image must be >= 0, got " + captionsPerImage);
        }
        this.data = data;
        this.model = model;
        this.batchSize = batchSize;
        this.seed = seed;
        this.captionsPerImage = captionsPerImage;
        this.boxes = boxes;
        this.captionsPerEpoch = IntStream.range(0, data.imageCount()).map(i -> taken(data.captionsOf(i).length)).sum();
        this.longestOfImage = IntStream.range(0, data.imageCount())
                .map(i -> IntStream.of(data.captionsOf(i)).map(this::stepsOf).max().orElse(0)).toArray();
    }

    /** How many of an image's {@code n} captions an epoch takes. */
    private int taken(int n) {
        return captionsPerImage == 0 ? n : Math.min(n, captionsPerImage);
    }

    /** Captions in one epoch. */
    public int captionsPerEpoch() {
        return captionsPerEpoch;
    }

    /** Steps in one epoch; the last batch may be smaller. */
    public int stepsPerEpoch() {
        return (captionsPerEpoch + batchSize - 1) / batchSize;
    }

    /**
     * The caption order of an epoch, drawn from (seed, epoch): images in a random order, stably sorted
     * by their longest caption, each image's captions (shuffled, the first captionsPerImage of them
     * kept) together; then the full batches of that sequence in a random order, the short remainder last.
     */
    public int[] order(int epoch) {
        Random rng = new Random(seed * 31 + epoch);
        int[] images = IntStream.of(shuffle(identity(data.imageCount()), rng)).boxed()
                .sorted(Comparator.comparingInt(i -> longestOfImage[i]))   // stable: ties keep the random order
                .mapToInt(Integer::intValue).toArray();
        int[] sorted = new int[captionsPerEpoch];
        int n = 0;
        for (int image : images) {
            int[] mine = shuffle(data.captionsOf(image), rng);
            for (int j = 0; j < taken(mine.length); j++) {
                sorted[n++] = mine[j];
            }
        }
        int full = sorted.length / batchSize;
        int[] batchOrder = shuffle(identity(full), rng);
        int[] order = new int[sorted.length];
        for (int i = 0; i < full; i++) {
            System.arraycopy(sorted, batchOrder[i] * batchSize, order, i * batchSize, batchSize);
        }
        System.arraycopy(sorted, full * batchSize, order, full * batchSize, sorted.length - full * batchSize);
        return order;
    }

    /** Decoder steps caption k needs: its words and {@code <end>}, at most the model's steps. */
    private int stepsOf(int k) {
        return Math.min(model.steps(), data.caption(k).length - 1);
    }

    /** Steps a batch of captions unrolls: its longest caption's, rounded up to the quantum, at most the model's. */
    int unrolledSteps(int longest) {
        return Math.min(model.steps(), (longest + STEP_QUANTUM - 1) / STEP_QUANTUM * STEP_QUANTUM);
    }

    private static int[] identity(int n) {
        return IntStream.range(0, n).toArray();
    }

    private static int[] shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Batch {@code index} of an epoch's order, at global step {@code step}. */
    public TrainingStep.Batch batch(int[] order, int index, long step) {
        int from = index * batchSize;
        int b = Math.min(batchSize, order.length - from);
        int longest = 1;
        int[] imageOf = new int[b];                                        // caption r -> slot of its image
        List<Integer> distinct = new ArrayList<>();                        // slot -> image index
        Map<Integer, Integer> slot = new HashMap<>();
        for (int r = 0; r < b; r++) {
            longest = Math.max(longest, stepsOf(order[from + r]));
            int image = data.imageOf(order[from + r]);
            imageOf[r] = slot.computeIfAbsent(image, i -> {
                distinct.add(i);
                return distinct.size() - 1;
            });
        }
        int t = unrolledSteps(longest);
        int per = data.inputSize();
        int n = distinct.size();
        float[] input = new float[n * per];                                // [N, 3, S, S] or [N, L, D]
        for (int i = 0; i < n; i++) {
            data.copyInput(distinct.get(i), input, i * per);
        }
        int[][] inputs = new int[b][t];                                    // [B, T], padded with 0
        int[][] targets = new int[b][t];                                   // [B, T]
        float[][] mask = new float[b][t];                                  // [B, T]
        for (int r = 0; r < b; r++) {
            int k = order[from + r];
            int[] ids = data.caption(k);                                   // <start> w.. <end>
            for (int j = 0; j + 1 < ids.length && j < t; j++) {
                inputs[r][j] = ids[j];
                targets[r][j] = ids[j + 1];
                mask[r][j] = 1f;
            }
        }
        BoxSupervision supervision = null;
        if (boxes != null) {
            float[] inside = new float[b * t * boxes.regions()];            // [B, T, L]
            for (int r = 0; r < b; r++) {
                boxes.fill(order[from + r], r, t, inside);
            }
            supervision = new BoxSupervision(HostCopy.array(inside, b, t, boxes.regions()), boxes.weight());
        }
        return new TrainingStep.Batch(HostCopy.array(input, inputShape(n)), imageOf, inputs, targets,
                Nd4j.createFromArray(mask), model.dropout() > 0 ? dropMask(b, t, step) : null, supervision);
    }

    /** Distinct images in each of the encoder warm-up's batches: the batch size, or all images when fewer. */
    public int warmupImages() {
        return Math.min(batchSize, data.imageCount());
    }

    /**
     * The encoder warm-up's batch {@code index} (0-based): {@link #warmupImages()} distinct images, taken
     * as passes over the training images in a fresh order each pass (the remainder of a pass is skipped),
     * and which words their captions use: the words the captioning steps' word loss targets (every
     * caption's words and {@code <end>}, so the detectors see the same targets in both phases). A function of the seed and the index, so a resumed warm-up
     * draws the same batches.
     */
    public WarmupStep.Batch warmupBatch(long index) {
        if (!data.holdsPixels()) {
            throw new IllegalStateException("the encoder warm-up needs images, not cached features");
        }
        int n = warmupImages();
        long perPass = data.imageCount() / n;
        long pass = index / perPass;
        int from = (int) (index % perPass) * n;
        int[] images = shuffle(identity(data.imageCount()), new Random(seed * 1_000_033L + 7919L * (pass + 1)));
        int per = data.inputSize();
        int k = model.vocabSize();
        float[] input = new float[n * per];                                // [N, 3, S, S]
        float[] present = new float[n * k];                                // [N, K]
        for (int i = 0; i < n; i++) {
            int image = images[from + i];
            data.copyInput(image, input, i * per);
            for (int c : data.captionsOf(image)) {
                int[] ids = data.caption(c);                               // <start> w.. <end>
                for (int j = 1; j < ids.length && j <= model.steps(); j++) { // the teacher-forced targets
                    present[i * k + ids[j]] = 1f;
                }
            }
        }
        return new WarmupStep.Batch(HostCopy.array(input, inputShape(n)), HostCopy.array(present, n, k));
    }

    /** The shape of n images' inputs: [n, 3, S, S] or [n, L, D]. */
    private long[] inputShape(int n) {
        long[] one = data.inputShape();
        long[] shape = new long[one.length + 1];
        shape[0] = n;
        System.arraycopy(one, 0, shape, 1, one.length);
        return shape;
    }

    /** Inverted dropout multipliers [B, T, m]: 0 with probability p, else 1 / (1 - p). */
    private INDArray dropMask(int b, int t, long step) {
        double p = model.dropout();
        float keep = (float) (1 / (1 - p));
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + step);
        float[] m = new float[b * t * model.embedDim()];
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < p ? 0f : keep;
        }
        return HostCopy.array(m, b, t, model.embedDim());
    }
}

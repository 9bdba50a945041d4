package ai.glimpse.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.Progress;
import ai.glimpse.model.FrozenArchitecture;
import ai.glimpse.model.FrozenEncoder;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.train.CacheKey;
import ai.glimpse.train.FeatureCache;
import ai.glimpse.train.FeatureSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The features job's cache against the one {@code glimpse train} builds on one machine. With train's
 * captions file the job encodes train's images in train's batches: the same rows bit for bit under the
 * same key, train finds them all, and a few training steps on each cache give the same model. Over every
 * image of the folder (other batches), rows agree within the half precision the cache stores; the broken
 * file gets an error row and no cache row.
 */
class FeaturesJobTest {
    private static final Pattern COMPUTED = Pattern.compile("\\((\\d+) computed now\\)");

    @TempDir
    Path dir;

    @Test
    void sparkFeaturesTrainExactlyAsTheSingleMachineCache() throws Exception {
        Path synth = dir.resolve("synth");
        Path images = Fixtures.synth(synth, 24, 5);
        Fixtures.broken(images);
        Path weights = Fixtures.vgg16Weights(dir.resolve("vgg16.zip"), 32, 3);
        Path everyImage = dir.resolve("every-image-cache");
        Fixtures.Run all = Fixtures.glimpseSpark(List.of("features", "--master", "local[2]", "--encoder", "vgg16",
                "--encoder-weights", weights.toString(), "--image-size", "32", "--images", images.toString(),
                "--out", dir.resolve("all").toString(), "--feature-cache", everyImage.toString(), "--chunk", "16"));
        assertEquals(2, all.code(), "the broken image makes it exit 2: " + all.err());
        assertTrue(all.err().contains("24 encoded and 1 failed in this run"), all.err());
        assertTrue(all.err().contains("24 images (24 added now)"), all.err());

        Path sparkCache = dir.resolve("spark-cache");
        Fixtures.Run job = Fixtures.glimpseSpark(List.of("features", "--master", "local[2]", "--encoder", "vgg16",
                "--encoder-weights", weights.toString(), "--image-size", "32", "--images", images.toString(),
                "--captions", synth.resolve("dataset.json").toString(), "--val-images", "0",
                "--out", dir.resolve("features").toString(), "--feature-cache", sparkCache.toString(), "--chunk", "16"));
        assertEquals(0, job.code(), job.err());

        Fixtures.Run fromSpark = train(images, synth, weights, sparkCache, dir.resolve("a/model.zip"));
        assertEquals(0, computed(fromSpark), "train found every image in the Spark job's cache: " + fromSpark.err());
        Fixtures.Run single = train(images, synth, weights, dir.resolve("single-cache"), dir.resolve("b/model.zip"));
        assertTrue(computed(single) > 10, "train encoded its images itself: " + single.err());

        FrozenEncoder encoder = FrozenEncoder.load(FrozenArchitecture.VGG16, weights, 32);
        CacheKey key = CacheKey.of(encoder, ShippedEncoder.preprocessing(encoder));
        FeatureCache spark = FeatureCache.open(sparkCache, key, List.of(), refuse(), Progress.NONE);
        FeatureCache local = FeatureCache.open(dir.resolve("single-cache"), key, List.of(), refuse(), Progress.NONE);
        FeatureCache every = FeatureCache.open(everyImage, key, List.of(), refuse(), Progress.NONE);
        assertEquals(computed(single), spark.size(), "with --captions, the images train encodes");
        assertEquals(24, every.size());
        assertThrows(IllegalArgumentException.class, () -> every.row("broken.png"));
        for (String file : imageNames(images)) {
            if (file.equals("broken.png")) {
                continue;
            }
            float[] any = every.read(every.row(file));
            float[] want;
            try {
                want = local.read(local.row(file));
            } catch (IllegalArgumentException notTrainedOn) {
                continue;                                   // a validation or test image: train encoded its train split
            }
            assertArrayEquals(want, spark.read(spark.row(file)), 0f, file + ": in train's batches, bit for bit");
            float scale = 0;                                 // in other batches: the encoder's float rounding, halved
            for (float w : want) {
                scale = Math.max(scale, Math.abs(w));
            }
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], any[i], scale * 0x1p-10f, file + " value " + i);
            }
        }

        Map<String, INDArray> a = ModelBundle.load(dir.resolve("a/model.zip")).model().params().asMap();
        Map<String, INDArray> b = ModelBundle.load(dir.resolve("b/model.zip")).model().params().asMap();
        assertEquals(b.keySet(), a.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(b.get(name).data().asFloat(), a.get(name).data().asFloat(), 0f, name);
        }

    }

    private static Fixtures.Run train(Path images, Path synth, Path weights, Path cache, Path out) {
        Fixtures.Run r = Fixtures.glimpse(List.of("train", "--captions", synth.resolve("dataset.json").toString(),
                "--images", images.toString(), "--encoder", "vgg16", "--encoder-weights", weights.toString(),
                "--image-size", "32", "--feature-cache", cache.toString(), "--out", out.toString(), "--embed-dim", "8",
                "--hidden-dim", "8", "--attention-dim", "6", "--min-freq", "1", "--max-length", "8", "--batch-size", "4",
                "--max-steps", "4", "--val-images", "0", "--seed", "3"));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private static int computed(Fixtures.Run train) {
        Matcher m = COMPUTED.matcher(train.err());
        assertTrue(m.find(), train.err());
        return Integer.parseInt(m.group(1));
    }

    private static List<String> imageNames(Path images) throws java.io.IOException {
        try (Stream<Path> s = Files.list(images)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** A source that fails: opening the caches must compute nothing. */
    private static FeatureSource refuse() {
        return new FeatureSource() {
            @Override
            public float[] compute(List<String> files) {
                throw new AssertionError("nothing should be computed: " + files);
            }

            @Override
            public int batchSize() {
                return 1;
            }
        };
    }
}

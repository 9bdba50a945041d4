package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.model.FrozenArchitecture;
import ai.glimpse.model.FrozenEncoder;
import ai.glimpse.model.InputConvention;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files through the loader, a frozen VGG16 and the cache: computed once, equal to encoding them directly. */
class EncoderFeaturesTest {
    @TempDir
    Path dir;

    @Test
    void cachedFeaturesAreTheEncodersWithinHalfPrecision() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        List<String> files = List.of("a.png", "b.png", "c.png");
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 36; y++) {
                for (int x = 0; x < 40; x++) {
                    img.setRGB(x, y, (x * 6 + i * 80) << 16 | (y * 7) << 8 | (i * 90 + x * y) & 0xff);
                }
            }
            ImageIO.write(img, "png", images.resolve(files.get(i)).toFile());
        }
        FrozenEncoder enc = FrozenEncoder.of(FrozenArchitecture.VGG16,
                VGG16.builder().numClasses(10).inputShape(new int[] {3, 32, 32}).seed(3).build().init(),
                32, InputConvention.CAFFE, "bytes=0,sha256=test", "zoo");
        ImageOptions options = ImageOptions.of(32);
        ImageLoader loader = new ImageLoader(options);
        CacheKey key = CacheKey.of(enc, options);
        assertEquals(new CacheKey("vgg16@16", "bytes=0,sha256=test", 32,
                "resize=shorter_side_center_crop,normalise=imagenet,input=caffe-bgr", 4, 512), key);

        int[] calls = {0};
        FeatureSource encoding = FeatureSource.of(enc, loader, images, 2);
        FeatureSource counted = new FeatureSource() {
            @Override
            public float[] compute(List<String> batch) {
                calls[0]++;
                return encoding.compute(batch);
            }

            @Override
            public int batchSize() {
                return encoding.batchSize();
            }
        };
        FeatureCache cache = FeatureCache.open(dir.resolve("cache"), key, files, counted, Progress.NONE);
        assertEquals(2, calls[0], "3 images in batches of 2");
        for (String f : files) {
            float[] want = enc.encode(loader.load(images.resolve(f)).data(), 1);       // [1, 4, 512]
            float[] got = cache.read(cache.row(f));
            float max = 0;
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], Math.abs(want[i]) * 0x1p-11f + 1e-6f, f + " value " + i);
                max = Math.max(max, want[i]);
            }
            assertTrue(max > 0, "non-trivial features");
        }
        FeatureCache again = FeatureCache.open(dir.resolve("cache"), key, files, counted, Progress.NONE);
        assertEquals(2, calls[0], "nothing computed the second time");
        assertEquals(0, again.computed());

        InputException missing = assertThrows(InputException.class, () -> FeatureCache.open(dir.resolve("cache"), key,
                List.of("a.png", "gone.png"), counted, Progress.NONE));
        assertTrue(missing.getMessage().startsWith(images.resolve("gone.png").toString()), missing.getMessage());
        assertEquals(3, FeatureCache.open(dir.resolve("cache"), key, files, counted, Progress.NONE).size(),
                "the failed extension left the cache as it was");
        assertThrows(IllegalArgumentException.class, () -> FeatureSource.of(enc,
                new ImageLoader(new ImageOptions(32, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS)), images, 2));
        assertThrows(IllegalArgumentException.class, () -> FeatureSource.of(enc, new ImageLoader(ImageOptions.of(64)), images, 2));
    }
}

package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Zoo VGG16 and ResNet-50 with random weights, saved as DL4J zips and loaded back: the cut graph gives
 * the full graph's activations at the feature layer, in [N, L, D], and wrong files are refused by name.
 */
class FrozenEncoderTest {
    @TempDir
    static Path dir;
    static ComputationGraph vgg;          // built for 32 px images: the head stays small, the convs are VGG16's
    static Path vggZip;
    static ComputationGraph resnet;       // built for 224 px
    static Path resnetZip;

    @BeforeAll
    static void saveZooModels() throws IOException {
        vgg = VGG16.builder().numClasses(10).inputShape(new int[] {3, 32, 32}).seed(7).build().init();
        vggZip = dir.resolve("vgg16.zip");
        ModelSerializer.writeModel(vgg, vggZip.toFile(), false);
        // He initialisation keeps 50 random layers' activations finite (the zoo's default overflows).
        resnet = ResNet50.builder().numClasses(10).seed(7).weightInit(new WeightInitRelu()).build().init();
        resnetZip = dir.resolve("resnet50.zip");
        ModelSerializer.writeModel(resnet, resnetZip.toFile(), false);
    }

    /** Random ImageNet-normalised images, [n, 3, s, s]. */
    private static float[] images(int n, int s, long seed) {
        Random rng = new Random(seed);
        float[] x = new float[n * 3 * s * s];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    /** [N, D, G, G] activations as [N, L, D] floats, L row-major. */
    private static float[] asRegions(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c').data().asFloat();
    }

    private static void assertClose(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        float scale = 0;
        for (float w : want) {
            assertTrue(Float.isFinite(w), "finite activations");
            scale = Math.max(scale, Math.abs(w));
        }
        assertTrue(scale > 0, "non-trivial activations");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5f * scale, "value " + i);
        }
    }

    @Test
    void vgg16CutEqualsTheFullGraphAtConv5_3() {
        FrozenEncoder enc = FrozenEncoder.load(FrozenArchitecture.VGG16, vggZip, 32, InputConvention.IMAGENET);
        assertEquals("16", enc.featureVertex(), "the 13th convolution, conv5_3 with its ReLU");
        assertEquals("vgg16@16", enc.description());
        assertEquals(FrozenEncoder.fingerprint(vggZip), enc.weightsFingerprint());
        assertEquals(4, enc.regions());
        assertEquals(512, enc.featureDim());
        assertFalse(enc.graph().getConfiguration().getVertices().containsKey("17"), "no pool5, no fc layers");
        assertEquals(14_714_688, enc.graph().numParams(), "VGG16's convolution parameters only");

        float[] x = images(2, 32, 1);
        float[] features = enc.encode(x, 2);                                           // [2, 4, 512]
        INDArray full = vgg.feedForward(Nd4j.create(x, new long[] {2, 3, 32, 32}, 'c'), false).get("16");
        assertClose(asRegions(full), features);
        for (float f : features) {
            assertTrue(f >= 0, "after the ReLU");
        }
    }

    @Test
    void caffeConventionFeedsTheGraphBgrPixelsMinusTheMeanPixel() {
        FrozenEncoder enc = FrozenEncoder.of(FrozenArchitecture.VGG16, vgg, 32, InputConvention.CAFFE, "test", "zoo");
        float[] x = images(1, 32, 2);
        float[] caffe = InputConvention.CAFFE.fromImagenet(x, 1, 32);
        INDArray full = vgg.feedForward(Nd4j.create(caffe, new long[] {1, 3, 32, 32}, 'c'), false).get("16");
        assertClose(asRegions(full), enc.encode(x, 1));
    }

    @Test
    void caffeConversionByHand() {
        // Mid-grey (0.5 in every channel) normalised, at pixel 0 of a 1x1 image, R G B.
        float[] x = {(0.5f - 0.485f) / 0.229f, (0.5f - 0.456f) / 0.224f, (0.5f - 0.406f) / 0.225f};
        float[] bgr = InputConvention.CAFFE.fromImagenet(x, 1, 1);
        assertArrayEquals(new float[] {127.5f - 103.939f, 127.5f - 116.779f, 127.5f - 123.68f}, bgr, 1e-3f);
        assertEquals(x, InputConvention.IMAGENET.fromImagenet(x, 1, 1));
    }

    @Test
    void vgg16BuiltFor32PixelsGives14x14x512At224() {
        FrozenEncoder enc = FrozenEncoder.of(FrozenArchitecture.VGG16, vgg, 224, InputConvention.CAFFE, "test", "zoo");
        assertEquals(14, enc.gridSize());
        assertEquals(196, enc.regions());
        float[] features = enc.encode(images(1, 224, 3), 1);                           // [1, 196, 512]
        assertEquals(196 * 512, features.length);
        assertEquals(28, FrozenEncoder.of(FrozenArchitecture.VGG16, vgg, 448, InputConvention.CAFFE, "test", "zoo").gridSize());
    }

    @Test
    void resnet50CutEqualsTheFullGraphAfterTheLastBlock() {
        FrozenEncoder enc = FrozenEncoder.load(FrozenArchitecture.RESNET50, resnetZip, 224, InputConvention.IMAGENET);
        assertEquals("res5c_branch", enc.featureVertex(), "the ReLU after the last residual addition");
        // The zoo's ResNet-50 also halves the map in its first residual stage: 4 x 4 at 224 px
        // (rounded up from 3.5), 7 x 7 at 448; Keras's (He et al.'s) gives 7 x 7 and 14 x 14.
        assertEquals(4, enc.gridSize());
        assertEquals(7, FrozenEncoder.of(FrozenArchitecture.RESNET50, resnet, 448, InputConvention.CAFFE, "t", "zoo").gridSize());
        assertEquals(2048, enc.featureDim());
        assertFalse(enc.graph().getConfiguration().getVertices().containsKey("avgpool"));
        assertFalse(enc.graph().getConfiguration().getVertices().containsKey("output"));

        float[] x = images(1, 224, 4);
        float[] features = enc.encode(x, 1);                                           // [1, 16, 2048]
        INDArray full = resnet.feedForward(Nd4j.create(x, new long[] {1, 3, 224, 224}, 'c'), false).get("res5c_branch");
        assertArrayEquals(new long[] {1, 2048, 4, 4}, full.shape());
        assertClose(asRegions(full), features);
    }

    /** Opening a named pipe waits for a writer: the weights file is checked to be a regular file first. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS,
            threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void refusesANamedPipeInsteadOfWaitingOnIt() throws Exception {
        Path pipe = ai.glimpse.InputFilesTest.fifo(Files.createTempDirectory(dir, "pipe"), "weights.h5");
        assertRefused("weights file " + pipe + ": is a named pipe (FIFO), not a regular file",
                () -> FrozenEncoder.load(FrozenArchitecture.VGG16, pipe, 224));
    }

    @Test
    void refusesWhatIsNotTheRightModel() throws IOException {
        assertRefused("weights file " + dir.resolve("none.zip") + ": no such file",
                () -> FrozenEncoder.load(FrozenArchitecture.VGG16, dir.resolve("none.zip"), 224));
        assertRefused("weights file " + dir + ": is a folder, not a file",
                () -> FrozenEncoder.load(FrozenArchitecture.VGG16, dir, 224));
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertRefused("weights file " + text + ": neither a DL4J model zip nor a Keras .h5 file",
                () -> FrozenEncoder.load(FrozenArchitecture.VGG16, text, 224));
        Path zip = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("not a model".getBytes());
        }
        InputException e = assertThrows(InputException.class, () -> FrozenEncoder.load(FrozenArchitecture.VGG16, zip, 224));
        assertTrue(e.getMessage().startsWith("weights file " + zip + ": not a DL4J ComputationGraph zip ("), e.getMessage());
        Path h5 = dir.resolve("broken.h5");
        Files.write(h5, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0});
        e = assertThrows(InputException.class, () -> FrozenEncoder.load(FrozenArchitecture.VGG16, h5, 224));
        assertTrue(e.getMessage().startsWith("weights file " + h5 + ": cannot import it as a Keras functional model ("),
                e.getMessage());

        assertRefused("weights file " + resnetZip + ": not a VGG16 (found 53 convolution layers, VGG16 has 13)",
                () -> FrozenEncoder.load(FrozenArchitecture.VGG16, resnetZip, 224));
        assertRefused("weights file zoo: not a ResNet-50 (found 13 convolution layers ending with 512 channels,"
                + " ResNet-50 has 53 ending with 2048)",
                () -> FrozenEncoder.of(FrozenArchitecture.RESNET50, vgg, 224, InputConvention.CAFFE, "t", "zoo"));
        assertRefused("vgg16 needs an image size that is a multiple of 16 (e.g. 224 or 448), got 100",
                () -> FrozenEncoder.load(FrozenArchitecture.VGG16, vggZip, 100));
        assertRefused("resnet50 needs an image size that is a multiple of 32 (e.g. 224 or 448), got 240",
                () -> FrozenEncoder.load(FrozenArchitecture.RESNET50, resnetZip, 240));
        assertRefused("vgg16 needs an image size that is a multiple of 16 (e.g. 224 or 448), got 0",
                () -> FrozenEncoder.of(FrozenArchitecture.VGG16, vgg, 0, InputConvention.CAFFE, "t", "zoo"));
        FrozenEncoder enc = FrozenEncoder.of(FrozenArchitecture.VGG16, vgg, 32, InputConvention.IMAGENET, "test", "zoo");
        assertRefused("vgg16 encoder: expected 2 images of 3 x 32 x 32 (6144 values), got 3072 values",
                () -> enc.encode(new float[3 * 32 * 32], 2));
    }

    @Test
    void architectureOfAModelConfigEncoder() {
        assertEquals(FrozenArchitecture.VGG16, FrozenArchitecture.of(ai.glimpse.config.ModelConfig.Encoder.VGG16));
        assertEquals(FrozenArchitecture.RESNET50, FrozenArchitecture.of(ai.glimpse.config.ModelConfig.Encoder.RESNET50));
        assertThrows(IllegalArgumentException.class, () -> FrozenArchitecture.of(ai.glimpse.config.ModelConfig.Encoder.SMALL));
        assertEquals("resnet50", FrozenArchitecture.RESNET50.label());
        assertEquals(2048, FrozenArchitecture.RESNET50.featureDim());
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(InputException.class, call).getMessage());
    }
}

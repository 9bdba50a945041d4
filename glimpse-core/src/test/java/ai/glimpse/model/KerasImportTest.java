package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Keras VGG16 .h5 (channels last, as {@code keras.applications} saves it, written by the test with
 * random weights) loads through DL4J's Keras import, is cut at block5_conv3, and gives the features a
 * plain reference implementation of VGG16's convolutions computes from the same weights.
 */
class KerasImportTest {
    @TempDir
    Path dir;

    @Test
    void kerasVgg16GivesTheReferenceFeatures() {
        Path h5 = dir.resolve("vgg16_notop.h5");
        KerasVgg16File keras = new KerasVgg16File();
        keras.write(h5, 0, 11);                                    // input (None, None, 3), Keras's default
        FrozenEncoder enc = FrozenEncoder.load(FrozenArchitecture.VGG16, h5, 32);
        assertEquals("block5_conv3", enc.featureVertex());
        assertEquals(2, enc.gridSize());
        assertEquals(InputConvention.CAFFE, enc.convention());

        Random rng = new Random(5);
        float[] x = new float[3 * 32 * 32];                        // [1, 3, 32, 32], ImageNet-normalised RGB
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] got = enc.encode(x, 1);                            // [1, 4, 512]
        float[] want = reference(keras.weights, InputConvention.CAFFE.fromImagenet(x, 1, 32), 32);
        assertEquals(want.length, got.length);
        float scale = 0;
        for (float w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        assertTrue(scale > 0);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4f * scale, "feature " + i);
        }
    }

    /**
     * VGG16 up to conv5_3 with its ReLU, straight from the definition: 3x3 convolutions with zero
     * padding and ReLU, 2x2 max pooling after blocks 1 to 4, Keras kernels [3, 3, in, out].
     *
     * @param chw one image, [3, S, S]
     * @return [L, D], regions row-major
     */
    private static float[] reference(Map<String, float[][]> weights, float[] chw, int side) {
        int channels = 3;
        float[] hwc = new float[side * side * 3];                 // [S, S, 3]
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < side * side; p++) {
                hwc[p * 3 + c] = chw[c * side * side + p];
            }
        }
        int conv = 0;
        for (Map.Entry<String, float[][]> e : weights.entrySet()) {
            String name = e.getKey();
            if (conv > 0 && name.endsWith("_conv1")) {
                hwc = pool(hwc, side, channels);
                side /= 2;
            }
            float[] kernel = e.getValue()[0];
            float[] bias = e.getValue()[1];
            int out = bias.length;
            float[] next = new float[side * side * out];           // [s, s, out]
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    float[] acc = bias.clone();
                    for (int ky = 0; ky < 3; ky++) {
                        int iy = y + ky - 1;
                        for (int kx = 0; kx < 3 && iy >= 0 && iy < side; kx++) {
                            int ix = x + kx - 1;
                            if (ix < 0 || ix >= side) {
                                continue;
                            }
                            for (int i = 0; i < channels; i++) {
                                float v = hwc[(iy * side + ix) * channels + i];
                                int k = ((ky * 3 + kx) * channels + i) * out;
                                for (int o = 0; o < out; o++) {
                                    acc[o] += v * kernel[k + o];
                                }
                            }
                        }
                    }
                    for (int o = 0; o < out; o++) {
                        next[(y * side + x) * out + o] = Math.max(0f, acc[o]);
                    }
                }
            }
            hwc = next;
            channels = out;
            conv++;
        }
        return hwc;
    }

    private static float[] pool(float[] hwc, int side, int channels) {
        int half = side / 2;
        float[] out = new float[half * half * channels];
        for (int y = 0; y < half; y++) {
            for (int x = 0; x < half; x++) {
                for (int c = 0; c < channels; c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            m = Math.max(m, hwc[((2 * y + dy) * side + 2 * x + dx) * channels + c]);
                        }
                    }
                    out[(y * half + x) * channels + c] = m;
                }
            }
        }
        return out;
    }
}

package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code small} encoder: a compact CNN trained end to end with the decoder. Each block is a 3x3
 * convolution (same padding), 2x2 max pooling, optionally a per-image layer norm, and ReLU, so an
 * S-pixel image becomes an (S / 2^blocks)-square map whose cells are the regions the decoder attends
 * over. This class holds the parameters and their names; {@link EncoderEngine} runs it.
 */
public final class SmallCnnEncoder {
    static final double NORM_EPS = 1e-5;
    /**
     * Initial shift of the last layer's layer norm when the model has the spatial softmax: only responses
     * 1.5 standard deviations above the image's mean pass the final ReLU (about 7% of them), so a
     * region's feature starts sparse and the softmax over regions has few strong cells to pick. Dense
     * features let the textured background swamp the few cells an object covers in a mean over regions:
     * on the single-shape images of the synthetic set, a classifier of this CNN's mean feature stayed at
     * chance for 150 steps of 32 images with shift 0, reached 56% with -1.5, and 83% with -1.5 and the
     * spatial softmax (max pooling instead of the mean: 93%).
     */
    static final double SPARSE_SHIFT = -1.5;
    static final String COORD_W = "enc.coord.W";

    private SmallCnnEncoder() {
    }

    /** Adds the conv weights ([3, 3, in, out], He uniform) and zero biases. */
    static void init(ModelConfig c, ParameterSet p, SplittableRandom rng) {
        long in = 3;
        for (int i = 0; i < c.cnnChannels().size(); i++) {
            long out = c.cnnChannels().get(i);
            p.addUniform(weight(i), Math.sqrt(6.0 / (9 * in)), rng, 3, 3, in, out);
            p.addConstant(bias(i), 0, out);
            addNorm(c, p, "enc.conv" + i, out, c.gridConvs() == 0 && i == c.cnnChannels().size() - 1);
            in = out;
        }
        for (int j = 0; j < c.gridConvs(); j++) {
            p.addUniform(gridWeight(j), Math.sqrt(6.0 / (9 * in)), rng, 3, 3, in, in);
            p.addConstant(gridBias(j), 0, in);
            addNorm(c, p, "enc.grid" + j, in, j == c.gridConvs() - 1);
        }
    }

    /**
     * The first convolution's weights for the two coordinate channels ([3, 3, 2, C_0], He uniform over the
     * five input channels), kept apart from the colour weights so models without them load unchanged.
     */
    static void initCoordinates(ModelConfig c, ParameterSet p, SplittableRandom rng) {
        p.addUniform(COORD_W, Math.sqrt(6.0 / (9 * 5)), rng, 3, 3, 2, c.cnnChannels().get(0));
    }

    /** [1, 2, S, S]: each pixel's column and row, scaled to [-1, 1]. */
    static INDArray coordinateChannels(int size) {
        INDArray xy = Nd4j.create(DataType.FLOAT, 1, 2, size, size);
        for (int r = 0; r < size; r++) {
            for (int col = 0; col < size; col++) {
                xy.putScalar(new long[] {0, 0, r, col}, size == 1 ? 0 : 2.0 * col / (size - 1) - 1);
                xy.putScalar(new long[] {0, 1, r, col}, size == 1 ? 0 : 2.0 * r / (size - 1) - 1);
            }
        }
        return xy;
    }

    private static void addNorm(ModelConfig c, ParameterSet p, String layer, long channels, boolean last) {
        if (c.cnnLayerNorm()) {
            p.addConstant(layer + ".gain", 1, channels);
            p.addConstant(layer + ".shift", last && c.spatialSoftmax() ? SPARSE_SHIFT : 0, channels);
        }
    }

    static String weight(int block) {
        return "enc.conv" + block + ".W";
    }

    static String bias(int block) {
        return "enc.conv" + block + ".b";
    }

    static String gridWeight(int layer) {
        return "enc.grid" + layer + ".W";
    }

    static String gridBias(int layer) {
        return "enc.grid" + layer + ".b";
    }
}

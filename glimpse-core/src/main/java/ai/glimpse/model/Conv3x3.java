package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The small encoder's 3x3 convolution with stride 1 and same padding over channels-last maps, forward
 * and backward through libnd4j's conv2d and conv2d_bp (oneDNN's direct convolution for float in this
 * build): y[n, r, q, o] = b[o] + sum_{i, j, k} x[n, r + i - 1, q + j - 1, k] W[i, j, k, o], zero outside
 * the map. Weights stay in the bundle's layout [kH, kW, in, out]. Measured here for the shapes demo's four
 * layers at N = 6 in float: channels last and channels first cost about the same (17-18 ms forward and
 * 35-37 ms backward against 17 and 34 ms), so the engine keeps channels last, where its heap kernels run
 * along contiguous rows and the last map is already [N, L, D]; im2col with oneDNN's sgemm was slower (for
 * example 8 ms against 5 ms for the 16-to-32 layer's forward product alone).
 *
 * <p>The first layer needs no input gradient, which conv2d_bp computes anyway (for three input channels
 * its slowest part), so its weight gradient is one forward convolution instead ({@link #weightGradient}):
 * 3.6 ms against conv2d_bp's 10 ms at N = 6, 44 against 65 ms at N = 32.
 */
final class Conv3x3 {
    /** conv2d's integer arguments: kernel 3x3, stride 1, no explicit padding, dilation 1, same mode, NHWC, [kH, kW, in, out]. */
    private static final int[] ARGS = {3, 3, 1, 1, 0, 0, 1, 1, 1, 1, 0};

    private Conv3x3() {
    }

    /** What {@link #backward} returns: dL/dx [N, h, w, in], dL/dW [3, 3, in, out], dL/db [out]. */
    record Gradients(INDArray input, INDArray weight, INDArray bias) {
    }

    /** y [N, h, w, out] of x [N, h, w, in], W [3, 3, in, out] and b [out] (null: no bias). */
    static INDArray forward(INDArray x, INDArray w, INDArray b) {
        return forward(x, w, b, Nd4j.createUninitialized(x.dataType(), new long[] {x.size(0), x.size(1), x.size(2), w.size(3)}, 'c'));
    }

    /** The same into y [N, h, w, out], a row-major array; returns y. */
    static INDArray forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
        run("conv2d", in, new INDArray[] {y}, ARGS);
        return y;
    }

    /** Gradients of the loss given dL/dy [N, h, w, out], for the x, W and b of the forward pass. */
    static Gradients backward(INDArray x, INDArray w, INDArray b, INDArray dy) {
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');             // [N, h, w, in]
        INDArray dw = Nd4j.createUninitialized(w.dataType(), w.shape(), 'c');             // [3, 3, in, out]
        INDArray db = Nd4j.createUninitialized(b.dataType(), b.shape(), 'c');             // [out]
        run("conv2d_bp", new INDArray[] {x, w, b, dy}, new INDArray[] {dx, dw, db}, ARGS);
        return new Gradients(dx, dw, db);
    }

    /**
     * The input laid out for {@link #weightGradient}: x [N, h, w, in] (and, when not null, channels that
     * every image shares, [1, h, w, extra], after its own) as [in + extra, h + 2, w + 2, N], zero-padded by
     * one cell, the channels as the batch and the images as the channels.
     */
    static INDArray planes(FeatureMap x, FeatureMap shared) {
        int extra = shared == null ? 0 : shared.c;
        FeatureMap planes = FeatureMap.zeros(x.type(), x.c + extra, x.h + 2, x.w + 2, x.n); // [in + extra, h + 2, w + 2, N]
        planes.eachImage(k -> {                                            // k: an input channel
            for (int r = 0; r < x.h; r++) {
                for (int q = 0; q < x.w; q++) {
                    int to = planes.at(k, r + 1, q + 1);
                    for (int n = 0; n < x.n; n++) {
                        planes.set(to + n, k < x.c ? x.get(x.at(n, r, q) + k) : shared.get(shared.at(0, r, q) + k - x.c));
                    }
                }
            }
        });
        return planes.toNd4j();
    }

    /**
     * dL/dW [3, 3, in, out] without dL/dx: dW[i, j, k, o] = sum_{n, r, q} x[n, r + i - 1, q + j - 1, k]
     * dy[n, r, q, o] is the valid convolution of {@link #planes} [in, h + 2, w + 2, N] with dy laid out
     * [h, w, N, out] as its kernel, which gives [in, 3, 3, out].
     */
    static INDArray weightGradient(INDArray planes, INDArray dyByPosition) {
        long in = planes.size(0);
        long out = dyByPosition.size(3);
        INDArray dw = Nd4j.createUninitialized(planes.dataType(), new long[] {in, 3, 3, out}, 'c'); // [in, 3, 3, out]
        int h = (int) dyByPosition.size(0);
        int w = (int) dyByPosition.size(1);
        run("conv2d", new INDArray[] {planes, dyByPosition}, new INDArray[] {dw}, h, w, 1, 1, 0, 0, 1, 1, 0, 1, 0);
        return dw.permute(1, 2, 0, 3).dup('c');                           // [3, 3, in, out]
    }

    private static void run(String op, INDArray[] inputs, INDArray[] outputs, int... args) {
        Nd4j.getExecutioner().exec(DynamicCustomOp.builder(op)
                .addInputs(inputs).addOutputs(outputs).addIntegerArguments(args).build());
    }
}

package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The small encoder's 3x3 convolution with stride 1 and same padding over channels-last maps, forward
 * and backward through libnd4j's conv2d and conv2d_bp (oneDNN's direct convolution for float in this
 * build): y[n, r, q, o] = b[o] + sum_{i, j, k} x[n, r + i - 1, q + j - 1, k] W[i, j, k, o], zero outside
 * the map. Weights stay in the bundle's layout [kH, kW, in, out]. Measured here for the shapes demo's four
 * layers at N = 6 in float: channels last took 19 ms forward and 37 ms backward against 29 and 60 ms for
 * channels first, and im2col with oneDNN's sgemm was slower still (for example 8 ms against 5 ms for
 * the 16-to-32 layer's forward product alone).
 */
final class Conv3x3 {
    /** conv2d's integer arguments: kernel 3x3, stride 1, no explicit padding, dilation 1, same mode, NHWC, [kH, kW, in, out]. */
    private static final int[] ARGS = {3, 3, 1, 1, 0, 0, 1, 1, 1, 1, 0};

    private Conv3x3() {
    }

    /** What {@link #backward} returns: dL/dx [N, h, w, in], dL/dW [3, 3, in, out], dL/db [out] (null without bias). */
    record Gradients(INDArray input, INDArray weight, INDArray bias) {
    }

    /** y [N, h, w, out] of x [N, h, w, in], W [3, 3, in, out] and b [out] (null: no bias). */
    static INDArray forward(INDArray x, INDArray w, INDArray b) {
        INDArray y = Nd4j.createUninitialized(x.dataType(), new long[] {x.size(0), x.size(1), x.size(2), w.size(3)}, 'c'); // [N, h, w, out]
        INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
        run("conv2d", in, new INDArray[] {y});
        return y;
    }

    /** Gradients of the loss given dL/dy [N, h, w, out], for the x, W and b of the forward pass. */
    static Gradients backward(INDArray x, INDArray w, INDArray b, INDArray dy) {
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');             // [N, h, w, in]
        INDArray dw = Nd4j.createUninitialized(w.dataType(), w.shape(), 'c');             // [3, 3, in, out]
        if (b == null) {
            run("conv2d_bp", new INDArray[] {x, w, dy}, new INDArray[] {dx, dw});
            return new Gradients(dx, dw, null);
        }
        INDArray db = Nd4j.createUninitialized(b.dataType(), b.shape(), 'c');             // [out]
        run("conv2d_bp", new INDArray[] {x, w, b, dy}, new INDArray[] {dx, dw, db});
        return new Gradients(dx, dw, db);
    }

    private static void run(String op, INDArray[] inputs, INDArray[] outputs) {
        Nd4j.getExecutioner().exec(DynamicCustomOp.builder(op)
                .addInputs(inputs).addOutputs(outputs).addIntegerArguments(ARGS).build());
    }
}

package ai.glimpse.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LSTM cell's elementwise part given its pre-activations z = W x + U h + b [B, 4H] in the order
 * i, f, g, o (as PyTorch's LSTMCell): c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c').
 * One object serves one batch and keeps, per step, what the backward pass needs. {@link JavaLstmCell}
 * runs it on the Java heap in float, {@link Nd4jLstmCell} in ND4J ops of any precision.
 */
interface LstmCell {

    /** New state of step t from pre-activations [B, 4H] (plus the bias [4H] when not null) and c_{t-1} [B, H]. */
    State forward(int t, INDArray gates, INDArray bias, INDArray c, boolean keep);

    /** Given dL/dh_t and dL/dc_t [B, H]: dL/dz [B, 4H] and dL/dc_{t-1} [B, H]. */
    Gradients backward(int t, INDArray dh, INDArray dc);

    record State(INDArray h, INDArray c) {
    }

    record Gradients(INDArray gates, INDArray c) {
    }

    /** The implementation for this precision and backend, as {@link SoftAttention#create}. */
    static LstmCell create(org.nd4j.linalg.api.buffer.DataType type, int hidden, HostBuffers buffers) {
        return SoftAttention.javaKernels(type) ? new JavaLstmCell(hidden, buffers == null ? new HostBuffers() : buffers)
                : new Nd4jLstmCell(hidden);
    }
}

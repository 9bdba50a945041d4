package ai.glimpse.model;

/**
 * The rectifier of each conv layer, y = max(x, 0), and its backward pass dx = dy where y > 0, else 0,
 * in place on the heap: the forward pass overwrites its input (the layer norm keeps what it needs, the
 * pooling its winners) and the backward pass its incoming gradient.
 */
final class Relu {
    private Relu() {
    }

    /** max(x, 0) in place; returns x, now y. */
    static FeatureMap forward(FeatureMap x) {
        x.eachImage(image -> {
            int from = image * x.imageSize();
            int to = from + x.imageSize();
            if (x.f != null) {
                for (int i = from; i < to; i++) {
                    x.f[i] = Math.max(x.f[i], 0f);
                }
            } else {
                for (int i = from; i < to; i++) {
                    x.d[i] = Math.max(x.d[i], 0.0);
                }
            }
        });
        return x;
    }

    /** dL/dx in place of dL/dy, given the forward pass's output y; returns dy, now dx. */
    static FeatureMap backward(FeatureMap y, FeatureMap dy) {
        dy.eachImage(image -> {
            int from = image * dy.imageSize();
            int to = from + dy.imageSize();
            if (dy.f != null) {
                for (int i = from; i < to; i++) {
                    dy.f[i] = y.f[i] > 0 ? dy.f[i] : 0f;
                }
            } else {
                for (int i = from; i < to; i++) {
                    dy.d[i] = y.d[i] > 0 ? dy.d[i] : 0.0;
                }
            }
        });
        return dy;
    }
}

package ai.glimpse.model;

/**
 * The pixel values a frozen encoder's weights were trained on. Glimpse's {@link
 * ai.glimpse.data.ImageLoader} gives RGB normalised with the ImageNet mean and standard deviation
 * (torchvision's convention); a frozen encoder converts that to its weights' convention first.
 */
public enum InputConvention {
    /**
     * Caffe's: BGR order, values 0..255 minus the mean pixel (B 103.939, G 116.779, R 123.68). The VGG16
     * and ResNet-50 weights of Keras applications and of the DL4J zoo expect this (DL4J's own pipeline
     * gets there with its BGR image loader and {@code VGG16ImagePreProcessor}).
     */
    CAFFE("caffe-bgr"),
    /** RGB, {@code (x - mean) / std} per channel: the loader's output, passed on unchanged. */
    IMAGENET("imagenet-rgb");

    private static final float[] MEAN_RGB = {0.485f, 0.456f, 0.406f};
    private static final float[] STD_RGB = {0.229f, 0.224f, 0.225f};
    private static final float[] CAFFE_MEAN_BGR = {103.939f, 116.779f, 123.68f};

    private final String label;

    InputConvention(String label) {
        this.label = label;
    }

    /** A short name, part of the feature cache's key. */
    public String label() {
        return label;
    }

    /**
     * Converts ImageNet-normalised RGB images to this convention.
     *
     * @param images {@code n * 3 * side * side} values, [N, 3, S, S] RGB, {@code (x - mean) / std}
     * @return a new array in this convention, [N, 3, S, S] (BGR for {@link #CAFFE}), or {@code images} itself
     */
    public float[] fromImagenet(float[] images, int n, int side) {
        if (this == IMAGENET) {
            return images;
        }
        int plane = side * side;
        float[] out = new float[images.length];                             // [N, 3, S, S], BGR
        for (int i = 0; i < n; i++) {
            for (int rgb = 0; rgb < 3; rgb++) {
                int bgr = 2 - rgb;
                float scale = 255f * STD_RGB[rgb];                              // x01 = x * std + mean
                float shift = 255f * MEAN_RGB[rgb] - CAFFE_MEAN_BGR[bgr];
                int from = (i * 3 + rgb) * plane;
                int to = (i * 3 + bgr) * plane;
                for (int p = 0; p < plane; p++) {
                    out[to + p] = images[from + p] * scale + shift;
                }
            }
        }
        return out;
    }
}

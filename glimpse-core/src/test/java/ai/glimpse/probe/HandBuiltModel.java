package ai.glimpse.probe;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.model.CaptionModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A decoder whose answers can be worked out by hand: 2x2 regions of 2 features, no memory (every weight
 * of the LSTM and the initial state is 0, so h stays 0), attention energy e_i = 10 tanh(3 a_i0) (the first
 * feature says "look here"), gate beta = sigmoid(20), and one word, {@value #WORD}, whose logit is
 * 5 tanh(z_1): it depends on the second feature of the attended regions alone. Every other logit is 0.
 */
final class HandBuiltModel {
    static final int WORD = 4;
    static final int VOCAB = 6;
    static final ModelConfig CONFIG = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 2, 2, VOCAB, 2, 1, 1, 0.0, 0.0, 3);

    private HandBuiltModel() {
    }

    static CaptionModel build() {
        CaptionModel model = CaptionModel.initialise(CONFIG, 1);
        for (String name : model.params().names()) {
            model.params().get(name).assign(0);
        }
        set(model, "att.Wa", 0, 0, 3);                                  // [D, A]: energy from feature 0
        set(model, "att.w", 0, 0, 10);                                  // [A, 1]
        model.params().get("dec.beta.b").assign(20);                   // beta = sigmoid(20), about 1
        set(model, "dec.out.Lz", 1, 0, 1);                              // [D, m]: deep unit 0 = tanh(z_1)
        set(model, "dec.out.Lo", 0, WORD, 5);                           // [m, K]
        return model;
    }

    private static void set(CaptionModel model, String name, int row, int col, double value) {
        INDArray p = model.params().get(name);
        p.putScalar(new long[] {row, col}, value);
    }

    /** Features [1, 4, 2]: region {@code object} holds [1, 1], the others [0, 0]. */
    static INDArray oneObject(int object) {
        float[] f = new float[8];
        f[object * 2] = 1;
        f[object * 2 + 1] = 1;
        return Nd4j.create(f, new long[] {1, 4, 2}, 'c');
    }

    /** The word's log-probability for features [4][2], worked out in double precision. */
    static double logProb(double[][] feats) {
        double beta = 1 / (1 + Math.exp(-20));
        double[] e = new double[4];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 4; i++) {
            e[i] = 10 * Math.tanh(3 * feats[i][0]);
            max = Math.max(max, e[i]);
        }
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            e[i] = Math.exp(e[i] - max);
            sum += e[i];
        }
        double z1 = 0;
        for (int i = 0; i < 4; i++) {
            z1 += e[i] / sum * feats[i][1];
        }
        double logit = 5 * Math.tanh(beta * z1);
        return logit - Math.log(VOCAB - 1 + Math.exp(logit));
    }
}

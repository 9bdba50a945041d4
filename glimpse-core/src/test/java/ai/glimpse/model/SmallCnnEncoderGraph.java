package ai.glimpse.model;

import static ai.glimpse.model.SmallCnnEncoder.*;

import ai.glimpse.config.ModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** {@link SmallCnnEncoder} as a SameDiff graph (libnd4j's convolution and pooling ops), the oracle of {@link EncoderEngine}. */
final class SmallCnnEncoderGraph {
    private SmallCnnEncoderGraph() {
    }

    /**
     * Layer norm of x [B, C, h, w] per image over (C, h, w), then a per-channel gain and shift; the
     * identity when the model has none.
     */
    private static SDVariable norm(ModelGraph g, ModelConfig c, String layer, SDVariable x, long channels) {
        if (!c.cnnLayerNorm()) {
            return x;
        }
        SDVariable centred = x.sub(x.mean(true, 1, 2, 3));                // [B, C, h, w]
        SDVariable variance = centred.mul(centred).mean(true, 1, 2, 3);   // [B, 1, 1, 1]
        SDVariable normed = centred.mul(variance.add(NORM_EPS).pow(-0.5)); // [B, C, h, w]
        return normed.mul(g.param(layer + ".gain").reshape(1, channels, 1, 1))
                .add(g.param(layer + ".shift").reshape(1, channels, 1, 1)); // [B, C, h, w]
    }

    /** images [B, 3, S, S] in [0, 1] to features [B, L, D]. */
    static SDVariable encode(ModelGraph g, ModelConfig c, SDVariable images) {
        Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        SDVariable x = images.sub(0.5);                                   // [B, 3, S, S], centred
        for (int i = 0; i < c.cnnChannels().size(); i++) {
            x = g.sd().cnn().conv2d(x, g.param(weight(i)), g.param(bias(i)), conv); // [B, C_i, s, s]
            if (i == 0 && c.coordinates()) {
                SDVariable xy = g.sd().constant(coordinateChannels(c.imageSize()).castTo(g.type())); // [1, 2, S, S]
                x = x.add(g.sd().cnn().conv2d(xy, g.param(COORD_W), conv));  // [B, C_0, S, S], the same map for every image
            }
            x = g.sd().cnn().maxPooling2d(x, pool);                       // [B, C_i, s/2, s/2]
            x = norm(g, c, "enc.conv" + i, x, c.cnnChannels().get(i));    // [B, C_i, s/2, s/2]
            x = g.sd().nn().relu(x, 0);                                   // [B, C_i, s/2, s/2], = pool(relu(x)) without norm
        }
        for (int j = 0; j < c.gridConvs(); j++) {
            x = g.sd().cnn().conv2d(x, g.param(gridWeight(j)), g.param(gridBias(j)), conv); // [B, D, G, G]
            x = norm(g, c, "enc.grid" + j, x, c.featureDim());             // [B, D, G, G]
            x = g.sd().nn().relu(x, 0);                                   // [B, D, G, G]
        }
        SDVariable flat = x.reshape(-1, c.featureDim(), c.regions());     // [B, D, L], row-major cells
        if (c.spatialSoftmax()) {
            SDVariable rows = flat.reshape(-1, c.regions());              // [B*D, L]
            SDVariable weights = g.sd().nn().softmax(rows);               // [B*D, L], per channel over regions
            flat = rows.mul(weights).mul(c.regions())                     // L * softmax_i(x_i) * x_i
                    .reshape(-1, c.featureDim(), c.regions());            // [B, D, L]
        }
        return flat.permute(0, 2, 1);                                     // [B, L, D]
    }
}

package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The graphs a decoder runs: {@link #encode} once per image (features, their attention projection and
 * the initial LSTM state) and {@link #step} once per word, over any number N of rows (images, or images
 * times beams). Both call the same {@link AttentionDecoder#step} as training, on the model's own arrays.
 */
public final class InferenceGraph {
    private static final String IN_IMAGES = "images";
    private static final String IN_FEATURES = "features";
    private static final String FEATS = "enc.feats";
    private static final String PROJ = "enc.proj";
    private static final String H0 = "enc.h0";
    private static final String C0 = "enc.c0";
    private static final String S_FEATS = "step.feats";
    private static final String S_PROJ = "step.proj";
    private static final String S_H = "step.h";
    private static final String S_C = "step.c";
    private static final String S_PREV = "step.prev";
    private static final String S_LOGP = "step.logp";
    private static final String S_H1 = "step.h1";
    private static final String S_C1 = "step.c1";
    private static final String S_ALPHA = "step.alpha";
    private static final String S_BETA = "step.beta";

    private final SameDiff sd;
    private final boolean takesImages;

    /** What {@link #encode} returns: features [N, L, D], projection [N, L, A], h0 and c0 [N, H]. */
    public record Encoded(INDArray feats, INDArray projected, INDArray h, INDArray c) {
    }

    /** What {@link #step} returns: log-probabilities [N, K], new state [N, H], alpha [N, L], beta [N, 1]. */
    public record StepResult(INDArray logProbs, INDArray h, INDArray c, INDArray alpha, INDArray beta) {
    }

    public InferenceGraph(CaptionModel model) {
        ModelConfig c = model.config();
        ModelGraph g = new ModelGraph(model.params(), DataType.FLOAT);
        this.sd = g.sd();
        this.takesImages = model.takesImages();
        SDVariable feats = takesImages
                ? SmallCnnEncoder.encode(g, c, g.input(IN_IMAGES, -1, 3, c.imageSize(), c.imageSize())) // [N, L, D]
                : g.input(IN_FEATURES, -1, c.regions(), c.featureDim());   // [N, L, D]
        feats = feats.add(FEATS, 0.0);                                     // [N, L, D], named output
        BahdanauAttention.project(g, c, feats).rename(PROJ);               // [N, L, A]
        AttentionDecoder.State init = AttentionDecoder.initialState(g, feats);
        init.h().rename(H0);                                               // [N, H]
        init.c().rename(C0);                                               // [N, H]

        SDVariable sFeats = g.input(S_FEATS, -1, c.regions(), c.featureDim()); // [N, L, D]
        SDVariable sProj = g.input(S_PROJ, -1, c.regions(), c.attentionDim()); // [N, L, A]
        AttentionDecoder.State state = new AttentionDecoder.State(
                g.input(S_H, -1, c.hiddenDim()), g.input(S_C, -1, c.hiddenDim())); // [N, H] each
        SDVariable prev = sd.placeHolder(S_PREV, DataType.INT32, -1);      // [N]
        AttentionDecoder.Step step = AttentionDecoder.step(g, c, sFeats, sProj, state,
                AttentionDecoder.embed(g, c, prev));                       // prev embedding [N, m]
        sd.nn().logSoftmax(S_LOGP, AttentionDecoder.logits(g, step.deepOutput())); // [N, K]
        step.state().h().rename(S_H1);
        step.state().c().rename(S_C1);
        step.alpha().rename(S_ALPHA);                                      // [N, L]
        step.beta().rename(S_BETA);                                        // [N, 1]
    }

    /** Runs the encoder: images [N, 3, S, S] (small encoder) or cached features [N, L, D]. */
    public Encoded encode(INDArray input) {
        Map<String, INDArray> out = sd.output(Map.of(takesImages ? IN_IMAGES : IN_FEATURES, input), FEATS, PROJ, H0, C0);
        return new Encoded(out.get(FEATS), out.get(PROJ), out.get(H0), out.get(C0));
    }

    /** One decoding step for N rows given the previous words [N] (int). */
    public StepResult step(INDArray feats, INDArray projected, INDArray h, INDArray c, INDArray prevWords) {
        Map<String, INDArray> out = sd.output(Map.of(S_FEATS, feats, S_PROJ, projected, S_H, h, S_C, c, S_PREV, prevWords),
                S_LOGP, S_H1, S_C1, S_ALPHA, S_BETA);
        return new StepResult(out.get(S_LOGP), out.get(S_H1), out.get(S_C1), out.get(S_ALPHA), out.get(S_BETA));
    }
}

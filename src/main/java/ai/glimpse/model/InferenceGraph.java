package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    private static final String COV0 = "enc.coverage0";
    private static final String S_FEATS = "step.feats";
    private static final String S_PROJ = "step.proj";
    private static final String S_H = "step.h";
    private static final String S_C = "step.c";
    private static final String S_COV = "step.coverage";
    private static final String S_PREV = "step.prev";
    private static final String S_LOGP = "step.logp";
    private static final String S_H1 = "step.h1";
    private static final String S_C1 = "step.c1";
    private static final String S_COV1 = "step.coverage1";
    private static final String S_ALPHA = "step.alpha";
    private static final String S_BETA = "step.beta";

    private final SameDiff sd;
    private final boolean takesImages;
    private final boolean coverage;

    /**
     * A decoder's state for N rows: LSTM hidden state and memory [N, H], and the attention each region
     * has received so far [N, L] when the model's attention reads it (null otherwise).
     */
    public record State(INDArray h, INDArray c, INDArray coverage) {
        /** Each row repeated {@code times} times in place (row i to rows i*times .. i*times + times - 1). */
        public State repeat(int times) {
            return new State(h.repeat(0, times), c.repeat(0, times), coverage == null ? null : coverage.repeat(0, times));
        }

        /** The state of the given rows, in that order. */
        public State rows(int[] rows) {
            return new State(Nd4j.pullRows(h, 1, rows), Nd4j.pullRows(c, 1, rows),
                    coverage == null ? null : Nd4j.pullRows(coverage, 1, rows));
        }
    }

    /** What {@link #encode} returns: features [N, L, D], projection [N, L, A], the initial state. */
    public record Encoded(INDArray feats, INDArray projected, State state) {
    }

    /** What {@link #step} returns: log-probabilities [N, K], the new state, alpha [N, L], beta [N, 1]. */
    public record StepResult(INDArray logProbs, State state, INDArray alpha, INDArray beta) {
    }

    public InferenceGraph(CaptionModel model) {
        ModelConfig c = model.config();
        ModelGraph g = new ModelGraph(model.params(), DataType.FLOAT);
        this.sd = g.sd();
        this.takesImages = model.takesImages();
        this.coverage = c.coverage();
        SDVariable feats = takesImages
                ? SmallCnnEncoder.encode(g, c, g.input(IN_IMAGES, -1, 3, c.imageSize(), c.imageSize())) // [N, L, D]
                : g.input(IN_FEATURES, -1, c.regions(), c.featureDim());   // [N, L, D]
        feats = feats.add(FEATS, 0.0);                                     // [N, L, D], named output
        BahdanauAttention.project(g, c, feats).rename(PROJ);               // [N, L, A]
        AttentionDecoder.State init = AttentionDecoder.initialState(g, c, feats);
        init.h().rename(H0);                                               // [N, H]
        init.c().rename(C0);                                               // [N, H]
        if (coverage) {
            init.coverage().rename(COV0);                                  // [N, L], zeros
        }

        SDVariable sFeats = g.input(S_FEATS, -1, c.regions(), c.featureDim()); // [N, L, D]
        SDVariable sProj = g.input(S_PROJ, -1, c.regions(), c.attentionDim()); // [N, L, A]
        AttentionDecoder.State state = new AttentionDecoder.State(
                g.input(S_H, -1, c.hiddenDim()), g.input(S_C, -1, c.hiddenDim()), // [N, H] each
                coverage ? g.input(S_COV, -1, c.regions()) : null);        // [N, L]
        SDVariable prev = sd.placeHolder(S_PREV, DataType.INT32, -1);      // [N]
        AttentionDecoder.Step step = AttentionDecoder.step(g, c, sFeats, sProj, state,
                AttentionDecoder.embed(g, c, prev));                       // prev embedding [N, m]
        sd.nn().logSoftmax(S_LOGP, AttentionDecoder.logits(g, step.deepOutput())); // [N, K]
        step.state().h().rename(S_H1);
        step.state().c().rename(S_C1);
        if (coverage) {
            step.state().coverage().rename(S_COV1);                        // [N, L]
        }
        step.alpha().rename(S_ALPHA);                                      // [N, L]
        step.beta().rename(S_BETA);                                        // [N, 1]
    }

    /** Runs the encoder: images [N, 3, S, S] (small encoder) or cached features [N, L, D]. */
    public Encoded encode(INDArray input) {
        List<String> outputs = new ArrayList<>(List.of(FEATS, PROJ, H0, C0));
        if (coverage) {
            outputs.add(COV0);
        }
        Map<String, INDArray> out = sd.output(Map.of(takesImages ? IN_IMAGES : IN_FEATURES, input), outputs);
        return new Encoded(out.get(FEATS), out.get(PROJ), new State(out.get(H0), out.get(C0), coverage ? out.get(COV0) : null));
    }

    /** One decoding step for N rows in state {@code s} given the previous words [N] (int). */
    public StepResult step(INDArray feats, INDArray projected, State s, INDArray prevWords) {
        Map<String, INDArray> in = new HashMap<>(Map.of(S_FEATS, feats, S_PROJ, projected, S_H, s.h(), S_C, s.c(), S_PREV, prevWords));
        List<String> outputs = new ArrayList<>(List.of(S_LOGP, S_H1, S_C1, S_ALPHA, S_BETA));
        if (coverage) {
            in.put(S_COV, s.coverage());
            outputs.add(S_COV1);
        }
        Map<String, INDArray> out = sd.output(in, outputs);
        State next = new State(out.get(S_H1), out.get(S_C1), coverage ? out.get(S_COV1) : null);
        return new StepResult(out.get(S_LOGP), next, out.get(S_ALPHA), out.get(S_BETA));
    }
}

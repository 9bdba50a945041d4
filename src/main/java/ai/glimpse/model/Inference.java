package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The decoder at inference time, on the same step function as training ({@link DecoderEngine#step}):
 * {@link #encode} once per image (features, their attention projection, the initial state), then a
 * {@link Session} that steps any number of rows (images, or images times beams) reading the images'
 * features in place, one word at a time. Not thread-safe: one session runs at a time per object.
 */
public final class Inference {
    private final CaptionModel model;
    private final DecoderEngine engine;
    private final EncoderGraph encoder;
    private final HostBuffers buffers = new HostBuffers();

    public Inference(CaptionModel model) {
        this.model = model;
        this.engine = new DecoderEngine(model);
        this.encoder = model.takesImages() ? new EncoderGraph(model, DataType.FLOAT) : null;
    }

    /** A decoder's state for N rows: h, c [N, H] and the coverage [N, L] (null when the model has none). */
    public record State(INDArray h, INDArray c, INDArray coverage) {
        /** Each row repeated {@code times} times in place (row i to rows i*times .. i*times + times - 1). */
        public State repeat(int times) {
            return new State(h.repeat(0, times), c.repeat(0, times), coverage == null ? null : coverage.repeat(0, times));
        }

        /** The state of the given rows, in that order (beam search follows each beam's parent). */
        public State rows(int[] rows) {
            return new State(Nd4j.pullRows(h, 1, rows), Nd4j.pullRows(c, 1, rows),
                    coverage == null ? null : Nd4j.pullRows(coverage, 1, rows));
        }
    }

    /** What {@link #encode} returns: features [N, L, D], projections [N, L, A], the initial state. */
    public record Encoded(INDArray feats, INDArray projected, State state) {
        public int images() {
            return (int) feats.size(0);
        }
    }

    /** One step's log-probabilities [N, K], the new state, alpha [N, L] and beta [N, 1]. */
    public record StepResult(INDArray logProbs, State state, INDArray alpha, INDArray beta) {
    }

    /** Runs the encoder: images [N, 3, S, S] (small encoder) or cached features [N, L, D]. */
    public Encoded encode(INDArray input) {
        INDArray feats = HostCopy.rowMajor(encoder == null ? input.castTo(DataType.FLOAT) : encoder.features(input)); // [N, L, D]
        DecoderEngine.Init init = engine.initialState(feats);
        INDArray coverage = model.config().coverage() ? Nd4j.zeros(DataType.FLOAT, feats.size(0), model.config().regions()) : null;
        return new Encoded(feats, engine.project(feats), new State(init.h(), init.c(), coverage));
    }

    /** A session over rows whose images are {@code imageOf} (indices into the encoded batch). */
    public Session start(Encoded enc, int[] imageOf) {
        return new Session(enc, imageOf);
    }

    /** Steps of the rows of one search. */
    public final class Session {
        private final int rows;
        private final SoftAttention attention;
        private final LstmCell cell;
        private final INDArray stacked;

        private Session(Encoded enc, int[] imageOf) {
            ModelConfig c = model.config();
            this.rows = imageOf.length;
            this.attention = SoftAttention.create(enc.feats(), enc.projected(), imageOf, engine.attentionWeights(), false, buffers);
            this.cell = LstmCell.create(DataType.FLOAT, c.hiddenDim(), buffers);
            this.stacked = engine.stackedWeights();                        // [D + H, 4H]
        }

        /** One step of every row in state {@code s} given the previous words [rows]. */
        public StepResult step(State s, int[] prevWords) {
            ModelConfig c = model.config();
            int d = c.featureDim();
            INDArray x = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, d + c.hiddenDim()}, 'c'); // [R, D + H]
            x.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + c.hiddenDim())).assign(s.h());
            INDArray emb = engine.embed(prevWords);                        // [R, m]
            INDArray gates = engine.embeddingGates(emb);                   // [R, 4H]
            LstmCell.State next = engine.step(0, attention, cell, stacked, x, gates, s.c(), s.coverage(), false);
            INDArray z = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)); // [R, D]
            INDArray logp = DecoderEngine.logSoftmaxRows(engine.logits(engine.deepOutput(emb, next.h(), z))); // [R, K]
            INDArray alpha = attention.alpha(0);                           // [R, L]
            INDArray coverage = s.coverage() == null ? null : s.coverage().add(alpha); // [R, L]
            return new StepResult(logp, new State(next.h(), next.c(), coverage), alpha, attention.beta(0));
        }
    }
}

package ai.glimpse.model;

import ai.glimpse.config.ModelConfig;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The decoder at inference time, on the same step function as training ({@link DecoderEngine#step}):
 * {@link #encode} once per image (features, their attention projection, the initial state), then a
 * {@link Session} that steps any number of rows (images, or images times beams) reading the images'
 * features in place, one word at a time. A step's input row is [E y_{t-1} | z_t | h_{t-1}], multiplied by
 * [W; U] in one product; its arrays live in an ND4J workspace and what it returns is on the Java heap,
 * so a step allocates no native memory.
 *
 * <p>It copies the LSTM's and the deep output's weights into stacked matrices when it is created: make
 * a new one after the weights change. Not thread-safe: one session steps at a time per object.
 */
public final class Inference {
    private final CaptionModel model;
    private final DecoderEngine engine;
    private final EncoderEngine encoder;
    private final HostBuffers buffers = new HostBuffers();
    private final INDArray gateWeights;                                    // [m + D + H, 4H] = [W; U]
    /** gateWeights transposed, [4H, m + D + H], made when a step first has {@link #ROWS_FOR_TRANSPOSED} rows. */
    private INDArray gateWeightsT;
    private final INDArray outWeights;                                     // [D + H, m] = [L_z; L_h]

    /**
     * From this many rows on a step multiplies by the transposed [W; U]: at the paper's sizes the bench's
     * 32-row decode step took 25.6-26.3 ms with it against 36.3-40.2 ms (two runs each, alternated). For
     * 1 and 5 rows (greedy and beam 5 of one image) the two layouts measured the same within the noise
     * (three runs each), so fewer rows keep [in, out], which earlier measurements had preferred.
     */
    static final int ROWS_FOR_TRANSPOSED = 8;

    public Inference(CaptionModel model) {
        this.model = model;
        this.engine = new DecoderEngine(model);
        this.encoder = model.takesImages() ? new EncoderEngine(model) : null;
        ParameterSet p = model.params();
        this.gateWeights = Nd4j.vstack(p.get(AttentionDecoder.LSTM_W), p.get(AttentionDecoder.LSTM_U)).castTo(DataType.FLOAT);
        this.outWeights = Nd4j.vstack(p.get(AttentionDecoder.OUT_LZ), p.get(AttentionDecoder.OUT_LH)).castTo(DataType.FLOAT);
    }

    private INDArray gateWeightsT() {
        if (gateWeightsT == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                gateWeightsT = gateWeights.transpose().dup('c');          // [4H, m + D + H]
            }
        }
        return gateWeightsT;
    }

    /**
     * A decoder's state for N rows on the Java heap, row-major: h and c [N, H] and the coverage [N, L]
     * (null when the model has none).
     */
    public record State(int rows, float[] h, float[] c, float[] coverage) {
        /** Each row repeated {@code times} times in place (row i to rows i*times .. i*times + times - 1). */
        public State repeat(int times) {
            int[] from = new int[rows * times];
            for (int r = 0; r < from.length; r++) {
                from[r] = r / times;
            }
            return rows(from);
        }

        /** The state of the given rows, in that order (beam search follows each beam's parent). */
        public State rows(int[] from) {
            return new State(from.length, pick(h, from), pick(c, from), coverage == null ? null : pick(coverage, from));
        }

        private float[] pick(float[] x, int[] from) {
            int width = x.length / rows;
            float[] out = new float[from.length * width];
            for (int r = 0; r < from.length; r++) {
                System.arraycopy(x, from[r] * width, out, r * width, width);
            }
            return out;
        }
    }

    /** What {@link #encode} returns: features [N, L, D], projections [N, L, A], the initial state. */
    public record Encoded(INDArray feats, INDArray projected, State state) {
        public int images() {
            return (int) feats.size(0);
        }
    }

    /** One step's log-probabilities [N][K], the new state, alpha [N][L] and beta [N]. */
    public record StepResult(float[][] logProbs, State state, float[][] alpha, float[] beta) {
    }

    /** Runs the encoder: images [N, 3, S, S] (small encoder) or cached features [N, L, D]. */
    public Encoded encode(INDArray input) {
        return encodeFeatures(features(input));
    }

    /** The region features [N, L, D] of images [N, 3, S, S] (small encoder), or cached features as they are. */
    public INDArray features(INDArray input) {
        return HostCopy.rowMajor(encoder == null ? input.castTo(DataType.FLOAT)
                : encoder.forward(input.castTo(DataType.FLOAT), false).features()); // [N, L, D]
    }

    /**
     * Prepares region features [N, L, D] for decoding: their attention projection and the initial state.
     * Features changed on purpose (regions masked to test an explanation) decode through here too. A
     * row-major float array is not copied: sessions read it at every step, so it must stay unchanged (and
     * outside a workspace that closes) while they run.
     */
    public Encoded encodeFeatures(INDArray feats) {
        INDArray f = HostCopy.rowMajor(feats.castTo(DataType.FLOAT));     // [N, L, D]
        int n = (int) f.size(0);
        DecoderEngine.Init init = engine.initialState(f);
        float[] coverage = model.config().coverage() ? new float[n * model.config().regions()] : null;
        return new Encoded(f, engine.project(f),
                new State(n, HostCopy.toHeap(init.h(), null), HostCopy.toHeap(init.c(), null), coverage));
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

        private Session(Encoded enc, int[] imageOf) {
            this(SoftAttention.create(enc.feats(), enc.projected(), imageOf, engine.attentionWeights(), false, buffers), imageOf.length);
        }

        private Session(SoftAttention attention, int rows) {
            this.rows = rows;
            this.attention = attention;
            this.cell = LstmCell.create(DataType.FLOAT, model.config().hiddenDim(), buffers);
        }

        /**
         * A session over other rows of the same images ({@code imageOf}: indices into the encoded batch),
         * sharing this one's per-image arrays: a search steps only the rows still searching.
         */
        public Session forRows(int[] imageOf) {
            return new Session(attention.forRows(imageOf), imageOf.length);
        }

        /** One step of every row in state {@code s} given the previous words [rows]. */
        public StepResult step(State s, int[] prevWords) {
            if (s.rows() != rows || prevWords.length != rows) {
                throw new IllegalArgumentException("a session of " + rows + " rows got a state of " + s.rows()
                        + " and " + prevWords.length + " words");
            }
            ModelConfig c = model.config();
            int m = c.embedDim();
            int d = c.featureDim();
            int h = c.hiddenDim();
            int l = c.regions();
            int width = m + d + h;
            try (MemoryWorkspace ws = Workspace.open("glimpse-decode")) {
                float[] emb = HostCopy.rows(engine.param(AttentionDecoder.EMBED), prevWords, null); // [R, m]
                float[] row = buffers.get("decode.x", rows * width);       // [R, m + D + H]: [E y | z (later) | h]
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(emb, r * m, row, r * width, m);
                    System.arraycopy(s.h(), r * h, row, r * width + m + d, h);
                }
                INDArray x = HostCopy.array(Arrays.copyOf(row, rows * width), rows, width); // [R, m + D + H]
                INDArray gates = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, 4L * h}, 'c'); // [R, 4H]
                LstmCell.State next = engine.step(0, attention, cell,
                        new DecoderEngine.StepBuffers(x, m, rows >= ROWS_FOR_TRANSPOSED ? gateWeightsT() : gateWeights,
                                rows >= ROWS_FOR_TRANSPOSED, gates, false, engine.param(AttentionDecoder.LSTM_B)),
                        HostCopy.array(s.c(), rows, h), s.coverage() == null ? null : HostCopy.array(s.coverage(), rows, l), false);
                float[] hNew = HostCopy.toHeap(next.h(), null);            // [R, H]
                INDArray zh = x.get(NDArrayIndex.all(), NDArrayIndex.interval(m, width)); // [R, D + H]
                HostCopy.fromHeap(hNew, zh.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + h))); // [z_t | h_t]
                // a contiguous copy: oneDNN took 0.9-1.2 ms for this product of 5 rows read in place from x
                // (spaced rows), 0.2-0.4 ms for the copy and the product together
                INDArray deep = DecoderEngine.deepActivation(Gemm.ab(zh.dup('c'), outWeights),
                        x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, m))); // [R, m]
                INDArray logp = DecoderEngine.logSoftmaxRows(engine.logits(deep)); // [R, K]
                float[] alpha = HostCopy.toHeap(attention.alpha(0), null);   // [R, L]
                float[] coverage = null;
                if (s.coverage() != null) {
                    coverage = s.coverage().clone();
                    for (int k = 0; k < coverage.length; k++) {
                        coverage[k] += alpha[k];
                    }
                }
                State state = new State(rows, hNew, HostCopy.toHeap(next.c(), null), coverage);
                return new StepResult(split(HostCopy.toHeap(logp, null), rows), state, split(alpha, rows),
                        HostCopy.toHeap(attention.beta(0), null));
            }
        }
    }

    /** A row-major [rows, n] block as rows. */
    private static float[][] split(float[] x, int rows) {
        int n = x.length / rows;
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(x, r * n, (r + 1) * n);
        }
        return out;
    }
}

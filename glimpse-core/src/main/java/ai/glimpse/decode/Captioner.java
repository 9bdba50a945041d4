package ai.glimpse.decode;

import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes captions for a batch of images with a model: runs the encoder once, then the model's step
 * function word by word under a {@link SearchStrategy}. Training's validation, the {@code caption}
 * command and evaluation all decode through here.
 */
public final class Captioner {
    /** Fixed ids of the special tokens, as every Glimpse vocabulary lays them out. */
    public static final int START = 1;
    public static final int END = 2;

    private final Inference inference;
    private final IntFunction<String> words;
    private final int maxLength;
    private final LogProbCeiling ceiling;

    /**
     * @param model     the model to run
     * @param words     maps a word id to its text
     * @param maxLength most words in a caption (the {@code <end>} step comes on top)
     */
    public Captioner(CaptionModel model, IntFunction<String> words, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("max length must be >= 1, got " + maxLength);
        }
        this.inference = new Inference(model);
        this.ceiling = LogProbCeiling.of(model);
        this.words = words;
        this.maxLength = maxLength;
    }

    /**
     * Captions for each row of {@code input} (images [N, 3, S, S] or features [N, L, D]), one per row, in
     * order. Beam search runs the beams of all images in one step call per word, stops an image once no
     * live beam can beat its best finished caption (the same answer as running to the maximum length),
     * and returns the best longest beam, unfinished, when none said {@code <end>}; {@code Beam(1, 0)} is
     * greedy. The rules are spelled out on {@code BeamSearch}.
     */
    public List<Caption> caption(INDArray input, SearchStrategy strategy) {
        return caption(inference.encode(input), strategy);
    }

    /**
     * The same, telling {@code onEach} (image index, caption) each image's caption as soon as its search
     * ends, on this thread, while the other images' go on: a server can answer the short captions of a
     * batch before its long ones.
     */
    public List<Caption> caption(INDArray input, SearchStrategy strategy, BiConsumer<Integer, Caption> onEach) {
        return caption(inference.encode(input), strategy, onEach);
    }

    /** Captions for images already encoded ({@link #inference()}), e.g. from region features changed on purpose. */
    public List<Caption> caption(Inference.Encoded enc, SearchStrategy strategy) {
        return caption(enc, strategy, (image, caption) -> { });
    }

    /** Captions for images already encoded, each told to {@code onEach} as soon as its search ends. */
    public List<Caption> caption(Inference.Encoded enc, SearchStrategy strategy, BiConsumer<Integer, Caption> onEach) {
        if (strategy instanceof SearchStrategy.Beam beam) {
            return new BeamSearch(inference, words, maxLength, beam, ceiling).run(enc,
                    (image, hypotheses) -> onEach.accept(image, hypotheses.get(0)));
        }
        return greedy(enc, onEach);
    }

    /** The model's inference engine (encoding, sessions), for callers that prepare features themselves. */
    public Inference inference() {
        return inference;
    }

    /** Greedy search: at most maxLength words, then one more step that counts only if it says {@code <end>}. */
    private List<Caption> greedy(Inference.Encoded enc, BiConsumer<Integer, Caption> onEach) {
        int n = enc.images();
        List<Partial> rows = new ArrayList<>(n);
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            rows.add(new Partial());
            prev[i] = START;
        }
        int[] active = new int[n];                                         // images still writing, in order
        for (int i = 0; i < n; i++) {
            active[i] = i;
        }
        Inference.Session session = inference.start(enc, active);
        Inference.State state = enc.state();                               // of the active images
        for (int t = 0; t <= maxLength && active.length > 0; t++) {
            int[] activePrev = new int[active.length];
            for (int j = 0; j < active.length; j++) {
                activePrev[j] = prev[active[j]];
            }
            Inference.StepResult r = session.step(state, activePrev);
            float[][] logp = r.logProbs();                                // [active][K]
            float[][] alpha = r.alpha();                                  // [active][L]
            float[] beta = r.beta();                                      // [active]
            int[] still = new int[active.length];                         // positions in active of those still writing
            int open = 0;
            for (int j = 0; j < active.length; j++) {
                int i = active[j];
                Partial row = rows.get(i);
                int word = argMax(logp[j]);
                if (t == maxLength && word != END) {
                    row.closed = true;                                     // out of words: unfinished
                    onEach.accept(i, row.toCaption());
                    continue;
                }
                row.add(word == END ? null : words.apply(word), logp[j][word], alpha[j], beta[j]);
                row.closed = word == END;
                row.finished = word == END;
                prev[i] = word;
                if (!row.closed) {
                    still[open++] = j;
                } else {
                    onEach.accept(i, row.toCaption());
                }
            }
            state = r.state();
            if (open < active.length && open > 0) {                        // step only the images still writing
                int[] kept = Arrays.copyOf(still, open);
                int[] next = new int[open];
                for (int j = 0; j < open; j++) {
                    next[j] = active[kept[j]];
                }
                state = state.rows(kept);
                session = session.forRows(next);
                active = next;
            } else if (open == 0) {
                active = new int[0];
            }
        }
        return rows.stream().map(Partial::toCaption).toList();             // the step at maxLength closed every row
    }

    static int argMax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    /** A caption being written: its words and, per step, alpha and beta. */
    private static final class Partial {
        final List<String> words = new ArrayList<>();
        final List<float[]> alphas = new ArrayList<>();
        final List<Float> betas = new ArrayList<>();
        double logProb;
        boolean closed;
        boolean finished;

        void add(String word, double logp, float[] alpha, float beta) {
            if (word != null) {
                words.add(word);
            }
            logProb += logp;
            alphas.add(alpha);
            betas.add(beta);
        }

        Caption toCaption() {
            float[] b = new float[betas.size()];
            for (int k = 0; k < b.length; k++) {
                b[k] = betas.get(k);
            }
            return new Caption(words, logProb, alphas.toArray(float[][]::new), b, finished);
        }
    }
}

package ai.glimpse.decode;

import ai.glimpse.model.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Batched beam search over the model's step function, as in Show, Attend and Tell (Xu et al. 2015,
 * section 5) and the usual neural machine translation decoders: the {@code width} best partial
 * captions of every image of the batch advance together, images x width rows per step call.
 *
 * <p>Rules, per image and step t = 0..maxLength: the (beam, word) candidates are ranked by raw
 * log-probability (ties: lower beam slot, then lower word id) and taken in that order until
 * {@code width} live beams are filled; a chosen {@code <end>} becomes a finished hypothesis scored
 * logProb / steps^lengthPenalty (steps counting {@code <end>}). At t = maxLength no word can follow,
 * so chosen non-{@code <end>} candidates are dropped, as greedy drops a last step that is not
 * {@code <end>}. An image stops as soon as no live beam can still beat its best finished hypothesis, by
 * a bound that holds for every continuation (see {@link #bound}), so the answer equals running to
 * maxLength.
 * The answer is the best finished hypothesis, else the best of the longest live beams (finished = false).
 * With width 1 and lengthPenalty 0 this is exactly greedy search.
 */
final class BeamSearch {
    private final Inference inference;
    private final IntFunction<String> words;
    private final int maxLength;
    private final int width;
    private final double lengthPenalty;
    private final LogProbCeiling ceiling;

    /** One word of a hypothesis, linked to the words before it. */
    private record Node(Node parent, int word, float[] alpha, float beta, double logProb) {
    }

    /** A hypothesis that emitted {@code <end>}, with its final (length-normalised) score. */
    private record Finished(Node last, double score) {
    }

    /** Search state of one image: its finished hypotheses, the best of them, its best longest live beam. */
    private static final class ImageState {
        final List<Finished> finished = new ArrayList<>();
        double bestScore = Double.NEGATIVE_INFINITY;
        Node bestLive;
        boolean done;
        List<Caption> result;                                              // set when done (or at the end)
    }

    /**
     * One step of the given rows, as {@link Inference.Session#step}: the search's only access to the model.
     * {@code imageOf} names each row's image (the search steps only rows still searching, so the rows change).
     */
    @FunctionalInterface
    interface StepFunction {
        Inference.StepResult step(Inference.State state, int[] previousWords, int[] imageOf);
    }

    /** Steps through a session of the encoded images, over whichever rows each step names. */
    private static final class Sessions implements StepFunction {
        private final Inference inference;
        private final Inference.Encoded enc;
        private Inference.Session session;
        private int[] rows;

        Sessions(Inference inference, Inference.Encoded enc) {
            this.inference = inference;
            this.enc = enc;
        }

        @Override
        public Inference.StepResult step(Inference.State state, int[] previousWords, int[] imageOf) {
            if (session == null) {
                session = inference.start(enc, imageOf);
            } else if (!Arrays.equals(rows, imageOf)) {
                session = session.forRows(imageOf);                        // the same images' arrays, other rows
            }
            rows = imageOf;
            return session.step(state, previousWords);
        }
    }

    /**
     * @param ceiling what the model's steps can give a word and {@code <end>} at most ({@link
     *                LogProbCeiling#NONE} when unknown: then a length penalty > 0 keeps every image
     *                searching while a live beam could still win by length alone)
     */
    BeamSearch(Inference inference, IntFunction<String> words, int maxLength, SearchStrategy.Beam beam,
            LogProbCeiling ceiling) {
        this.inference = inference;
        this.words = words;
        this.maxLength = maxLength;
        this.width = beam.width();
        this.lengthPenalty = beam.lengthPenalty();
        this.ceiling = ceiling;
    }

    /** Told an image's hypotheses (best first) as soon as its search stops, before the other images' end. */
    @FunctionalInterface
    interface Done {
        void accept(int image, List<Caption> hypotheses);
    }

    /** Hears nothing. */
    private static final Done NOBODY = (image, hypotheses) -> { };

    /** The best caption of each image; {@code onDone} hears each image's as soon as its search stops. */
    List<Caption> run(Inference.Encoded enc, Done onDone) {
        return hypotheses(enc, onDone).stream().map(list -> list.get(0)).toList();
    }

    /**
     * For each image, every finished hypothesis found before its search stopped, best final score first
     * (ties: found first), or, when none finished, the single best longest live beam (finished = false).
     */
    List<List<Caption>> hypotheses(Inference.Encoded enc) {
        return hypotheses(enc, NOBODY);
    }

    private List<List<Caption>> hypotheses(Inference.Encoded enc, Done onDone) {
        return search(enc.images(), enc.state(), new Sessions(inference, enc), onDone);
    }

    /** {@link #hypotheses} of {@code n} images from their initial states [n rows], stepping with {@code session}. */
    List<List<Caption>> search(int n, Inference.State initial, StepFunction session) {
        return search(n, initial, session, NOBODY);
    }

    /** The same, telling {@code onDone} each image's hypotheses as soon as its search stops (the rest at the end). */
    List<List<Caption>> search(int n, Inference.State initial, StepFunction session, Done onDone) {
        int w = width;
        int rows = Math.multiplyExact(n, w);
        Inference.State state = initial.repeat(w);                         // [n*w, H] and [n*w, L]
        double[] score = new double[rows];                                 // raw log-probability of each live beam
        Arrays.fill(score, Double.NEGATIVE_INFINITY);
        int[] prev = new int[rows];
        Arrays.fill(prev, Captioner.START);
        Node[] beams = new Node[rows];                                     // null: the empty caption
        ImageState[] images = new ImageState[n];
        for (int i = 0; i < n; i++) {
            images[i] = new ImageState();
            score[i * w] = 0;                                              // one live beam per image at t = 0
        }
        for (int t = 0; t <= maxLength && Arrays.stream(images).anyMatch(s -> !s.done); t++) {
            int[] active = active(images, score);                         // the live beams of images still searching
            int[] at = new int[rows];                                      // row -> its index among them, or -1
            Arrays.fill(at, -1);
            int[] activePrev = new int[active.length];
            int[] imageOfActive = new int[active.length];
            for (int j = 0; j < active.length; j++) {
                at[active[j]] = j;
                activePrev[j] = prev[active[j]];
                imageOfActive[j] = active[j] / w;
            }
            Inference.StepResult r = session.step(state.rows(active), activePrev, imageOfActive);
            float[][] logp = r.logProbs();                                // [active][K]
            float[][] alpha = r.alpha();                                  // [active][L]
            float[] beta = r.beta();                                      // [active]
            int k = logp[0].length;
            int[] parents = new int[rows];
            double[] nextScore = new double[rows];
            Node[] nextBeams = new Node[rows];
            Arrays.fill(nextScore, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                int base = i * w;
                for (int b = 0; b < w; b++) {
                    parents[base + b] = base + b;                          // empty slots keep their own row
                    prev[base + b] = Captioner.END;
                }
                ImageState img = images[i];
                if (img.done) {
                    continue;
                }
                double[] cand = new double[Math.multiplyExact(w, k)];      // flat = beam * K + word
                for (int b = 0; b < w; b++) {
                    int j = at[base + b];
                    for (int word = 0; word < k; word++) {
                        cand[b * k + word] = j < 0 ? Double.NEGATIVE_INFINITY : score[base + b] + logp[j][word];
                    }
                }
                int live = 0;
                for (int flat : best(cand, 2 * w)) {                       // at most w <end>s: 2w suffice
                    int parent = flat / k;                                 // integer division, never float
                    int word = flat % k;
                    int row = base + parent;                               // a stepped row: best() skips -inf
                    Node node = new Node(beams[row], word, alpha[at[row]], beta[at[row]], cand[flat]);
                    if (word == Captioner.END) {
                        double s = normalised(cand[flat], t + 1);
                        img.finished.add(new Finished(node, s));
                        img.bestScore = Math.max(img.bestScore, s);
                        continue;
                    }
                    if (t < maxLength) {                                   // at t = maxLength only <end> counts
                        if (live == 0) {
                            img.bestLive = node;                           // ranked first: best at this length
                        }
                        parents[base + live] = row;
                        prev[base + live] = word;
                        nextScore[base + live] = cand[flat];
                        nextBeams[base + live] = node;
                    }
                    if (++live == w) {
                        break;
                    }
                }
                boolean anyLive = t < maxLength && nextScore[base] > Double.NEGATIVE_INFINITY;
                img.done = !anyLive || img.bestScore >= bound(nextScore[base], t + 1);   // the best live beam's bound is the highest
                if (img.done) {
                    img.result = ranked(img);                              // final: a done image is not searched again
                    onDone.accept(i, img.result);
                }
            }
            score = nextScore;
            beams = nextBeams;
            int[] from = new int[rows];                                    // each beam's parent among the rows stepped
            for (int row = 0; row < rows; row++) {
                from[row] = Math.max(at[parents[row]], 0);                 // empty slots: any row, never stepped
            }
            state = r.state().rows(from);
        }
        List<List<Caption>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ImageState img = images[i];
            if (img.result == null) {                                      // searched to the last step
                img.result = ranked(img);
                onDone.accept(i, img.result);
            }
            out.add(img.result);
        }
        return out;
    }

    /** An image's finished hypotheses best first (ties: found first), or its best longest live beam. */
    private List<Caption> ranked(ImageState img) {
        List<Finished> ranked = new ArrayList<>(img.finished);
        ranked.sort((a, b) -> Double.compare(b.score(), a.score()));       // stable: ties keep discovery order
        return ranked.isEmpty() ? List.of(toCaption(img.bestLive, false))
                : ranked.stream().map(f -> toCaption(f.last(), true)).toList();
    }

    /** Rows, in order, of the live beams (finite score) of the images not done. */
    private int[] active(ImageState[] images, double[] score) {
        int w = width;
        int count = 0;
        int[] rows = new int[score.length];
        for (int i = 0; i < images.length; i++) {
            if (images[i].done) {
                continue;
            }
            for (int b = 0; b < w; b++) {
                if (score[i * w + b] > Double.NEGATIVE_INFINITY) {
                    rows[count++] = i * w + b;
                }
            }
        }
        return Arrays.copyOf(rows, count);
    }

    /** Final score of a finished hypothesis of {@code steps} steps (including {@code <end>}). */
    private double normalised(double logProb, int steps) {
        return lengthPenalty == 0 ? logProb : logProb / Math.pow(steps, lengthPenalty);
    }

    /**
     * The highest final score any finished continuation of a live beam of {@code words} words and raw
     * log-probability {@code logProb} can reach. It ends after k more words (0 <= k <= maxLength - words)
     * and {@code <end>}, in s = words + k + 1 steps, with a log-probability of at most
     * logProb + k * ceiling.word + ceiling.end (log-probabilities only fall, each step by at least what
     * its ceiling says), so its score is at most f(s) = (A + c s) / s^lp, with c = ceiling.word and A the
     * rest. The sign of f' is that of c (1 - lp) s - lp A, linear in s: f is monotone or has one turning
     * point, so its maximum over the whole numbers of the range is at an end or beside that point. Without
     * ceilings (c = 0) this is logProb / (maxLength + 1)^lp for lp > 0, which stops nothing when
     * maxLength is large.
     */
    double bound(double logProb, int words) {
        double c = ceiling.word();
        double a = Math.min(logProb, 0) + ceiling.end() - c * (words + 1);    // numerator A + c s: at most 0 over the range
        long first = words + 1L;
        long last = maxLength + 1L;
        if (lengthPenalty == 0) {
            return a + c * first;                                          // falls with s: the shortest ending
        }
        double best = Math.max(f(a, c, first), f(a, c, last));
        if (c != 0 && lengthPenalty != 1) {
            double turn = lengthPenalty * a / (c * (1 - lengthPenalty));
            if (turn > first && turn < last) {
                best = Math.max(best, Math.max(f(a, c, (long) Math.floor(turn)), f(a, c, (long) Math.ceil(turn))));
            }
        }
        return best;
    }

    private double f(double a, double c, long steps) {
        return Math.min(a + c * steps, 0) / Math.pow(steps, lengthPenalty);
    }

    /** Traces a hypothesis back through its parents; null is the empty, stepless caption. */
    private Caption toCaption(Node last, boolean finished) {
        List<Node> chain = new ArrayList<>();
        for (Node node = last; node != null; node = node.parent()) {
            chain.add(node);
        }
        int steps = chain.size();
        List<String> text = new ArrayList<>(steps);
        float[][] alphas = new float[steps][];
        float[] betas = new float[steps];
        for (int s = 0; s < steps; s++) {
            Node node = chain.get(steps - 1 - s);
            alphas[s] = node.alpha();
            betas[s] = node.beta();
            if (node.word() != Captioner.END) {
                text.add(words.apply(node.word()));
            }
        }
        return new Caption(text, last == null ? 0 : last.logProb(), alphas, betas, finished);
    }

    /**
     * Indices of the {@code m} highest finite values, best first (ties: lower index first), by a
     * bounded min-heap over primitive arrays: O(n log m) for the n = width x K candidates.
     */
    static int[] best(double[] values, int m) {
        int[] heap = new int[Math.min(m, values.length)];                 // root = worst kept
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v == Double.NEGATIVE_INFINITY || Double.isNaN(v)) {
                continue;
            }
            if (size < heap.length) {
                heap[size] = i;
                siftUp(values, heap, size++);
            } else if (heap.length > 0 && worse(values, heap[0], i)) {
                heap[0] = i;
                siftDown(values, heap, 0, size);
            }
        }
        int[] sorted = new int[size];
        for (int j = size - 1; j >= 0; j--) {                              // pop worst first, fill from the back
            sorted[j] = heap[0];
            heap[0] = heap[j];
            siftDown(values, heap, 0, j);
        }
        return sorted;
    }

    /** Whether candidate a ranks below candidate b: lower value, or equal value and higher index. */
    private static boolean worse(double[] values, int a, int b) {
        return values[a] < values[b] || (values[a] == values[b] && a > b);
    }

    private static void siftUp(double[] values, int[] heap, int j) {
        while (j > 0) {
            int up = (j - 1) / 2;
            if (!worse(values, heap[j], heap[up])) {
                return;
            }
            int tmp = heap[j];
            heap[j] = heap[up];
            heap[up] = tmp;
            j = up;
        }
    }

    private static void siftDown(double[] values, int[] heap, int j, int size) {
        while (true) {
            int worst = j;
            for (int child = 2 * j + 1; child <= 2 * j + 2 && child < size; child++) {
                if (worse(values, heap[child], heap[worst])) {
                    worst = child;
                }
            }
            if (worst == j) {
                return;
            }
            int tmp = heap[j];
            heap[j] = heap[worst];
            heap[worst] = tmp;
            j = worst;
        }
    }
}

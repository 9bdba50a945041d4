package ai.glimpse.probe;

import ai.glimpse.decode.Captioner;
import ai.glimpse.model.HostCopy;
import ai.glimpse.model.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether a word's attention caused the word: for every step of a caption, the decoder is run again on
 * the same words with the cells holding the most of that step's attention masked ({@link RegionMask}:
 * replaced by the image's mean feature), and once more with as many of the least attended cells masked
 * as a control; the drop of the word's log-probability in each case is the answer. A word whose
 * attention explains it loses more when what it looked at is gone than when what it ignored is. This is
 * the deletion test of Samek et al. (2017) and Petsiuk et al. (2018, RISE) at a single deletion size,
 * per word and against a control of equal size.
 *
 * <p>All the masked variants of a batch of captions run as one batch of the decoder: every variant is
 * an "image" of its own (its masked features) with one row. With {@link Scope#STEP} only the word's own
 * step reads the masked features and the decoder's state before it is the one the whole image gave (the
 * test of that step's attention alone); with {@link Scope#PREFIX} the whole caption up to the word is
 * decoded again from the masked features, initial state included.
 */
public final class DeletionTest {
    /** How much more (in nats) the top deletion must cost than the control to count as hurting more. */
    public static final double MARGIN = 0.01;
    /** Variants decoded together at most, to bound memory (each holds its own [L, D] features). */
    static final int MAX_VARIANTS = 512;

    /** Which steps read the masked features. */
    public enum Scope {
        /** Only the word's own step: its state before it comes from the whole image. */
        STEP,
        /** Every step up to the word, from the initial state on. */
        PREFIX;

        public static Scope parse(String name) {
            for (Scope s : values()) {
                if (s.name().equalsIgnoreCase(name.strip())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown deletion scope '" + name + "' (expected step or prefix)");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How the test is run.
     *
     * @param share the share of the L regions masked, in (0, 0.5] (so the top and the control sets never
     *              meet): ceil(share * L) regions, at least one
     * @param scope which steps read the masked features
     */
    public record Settings(double share, Scope scope) {
        public Settings {
            if (!(share > 0 && share <= 0.5)) {
                throw new IllegalArgumentException("the share of regions masked must be in (0, 0.5] (as a percentage: "
                        + "above 0 and at most 50), got " + share);
            }
            java.util.Objects.requireNonNull(scope, "scope");
        }

        /** 20% of the regions, the word's own step. */
        public static Settings defaults() {
            return new Settings(0.2, Scope.STEP);
        }

        /** How many of {@code l} regions each variant masks. */
        public int regions(int l) {
            return Math.max(1, (int) Math.ceil(share * l - 1e-9));
        }
    }

    /**
     * The test of one step of a caption.
     *
     * @param step           zero-based step (the row of the caption's alphas)
     * @param word           the word id the step emitted ({@link Captioner#END} for the end)
     * @param logProb        its log-probability with the whole image
     * @param top            the regions masked for the test, most attended first
     * @param control        the regions masked for the control, least attended first
     * @param topMass        the share of the step's attention on {@code top}
     * @param topLogProb     the word's log-probability with {@code top} masked
     * @param controlLogProb the word's log-probability with {@code control} masked
     * @param topArgmax      the word the model likes best with {@code top} masked
     * @param controlArgmax  the word it likes best with {@code control} masked
     */
    public record Word(int step, int word, double logProb, int[] top, int[] control, double topMass, double topLogProb,
            double controlLogProb, int topArgmax, int controlArgmax) {
        /** How much log-probability masking the most attended regions costs the word (positive: it hurt). */
        public double dropTop() {
            return logProb - topLogProb;
        }

        /** How much masking as many of the least attended regions costs it. */
        public double dropControl() {
            return logProb - controlLogProb;
        }

        /**
         * Whether masking where the word looked hurt it more than masking where it did not, by more than
         * {@value #MARGIN} nats (about 1% of its probability): smaller differences are the noise of
         * float arithmetic and of words that read neither.
         */
        public boolean topHurtsMore() {
            return dropTop() > dropControl() + MARGIN;
        }
    }

    private final Inference inference;
    private final Settings settings;

    public DeletionTest(Inference inference, Settings settings) {
        this.inference = inference;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Tests every step of N captions.
     *
     * @param feats   the images' region features [N, L, D] ({@link Inference#features})
     * @param targets per image the ids the caption's steps emitted: its words, then {@link Captioner#END}
     *                when it ended
     * @return per image, one result per step
     */
    public List<List<Word>> run(INDArray feats, List<int[]> targets) {
        int n = (int) feats.size(0);
        int l = (int) feats.size(1);
        int d = (int) feats.size(2);
        if (targets.size() != n) {
            throw new IllegalArgumentException(targets.size() + " captions for " + n + " images");
        }
        float[] f = HostCopy.toHeap(feats.castTo(DataType.FLOAT), null);     // [N, L, D], row-major
        Forced whole = teacherForced(inference.encodeFeatures(feats), targets);
        List<Variant> variants = new ArrayList<>();
        int k = settings.regions(l);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < targets.get(i).length; t++) {
                Integer[] order = new Integer[l];
                for (int r = 0; r < l; r++) {
                    order[r] = r;
                }
                float[] alpha = whole.alpha[i][t];
                Arrays.sort(order, (a, b) -> alpha[a] != alpha[b] ? Float.compare(alpha[b], alpha[a]) : Integer.compare(a, b));
                int[] top = new int[k];
                int[] control = new int[k];
                double mass = 0;
                for (int j = 0; j < k; j++) {
                    top[j] = order[j];
                    control[j] = order[l - 1 - j];
                    mass += alpha[top[j]];
                }
                variants.add(new Variant(i, t, top, mass, true));
                variants.add(new Variant(i, t, control, 0, false));
            }
        }
        double[] logp = new double[variants.size()];
        int[] argmax = new int[variants.size()];
        for (int from = 0; from < variants.size(); from += MAX_VARIANTS) {
            List<Variant> chunk = variants.subList(from, Math.min(variants.size(), from + MAX_VARIANTS));
            decode(chunk, f, n, l, d, whole, targets, logp, argmax, from);
        }
        List<List<Word>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (int v = 0; v < variants.size(); v += 2) {
            Variant top = variants.get(v);
            Variant control = variants.get(v + 1);
            int i = top.image;
            int t = top.step;
            out.get(i).add(new Word(t, targets.get(i)[t], whole.logp[i][t], top.regions, control.regions, top.mass,
                    logp[v], logp[v + 1], argmax[v], argmax[v + 1]));
        }
        return out;
    }

    /** One masked copy of an image for one step. */
    private record Variant(int image, int step, int[] regions, double mass, boolean top) {
    }

    /** What the decoder did on the whole images, teacher-forced: per image and step the state before it, alpha and log p. */
    private record Forced(List<Inference.State> states, float[][][] alpha, double[][] logp) {
    }

    private Forced teacherForced(Inference.Encoded enc, List<int[]> targets) {
        int n = targets.size();
        int steps = targets.stream().mapToInt(a -> a.length).max().orElse(0);
        int[] identity = identity(n);
        Inference.Session session = inference.start(enc, identity);
        Inference.State state = enc.state();
        List<Inference.State> states = new ArrayList<>();
        float[][][] alpha = new float[n][][];
        double[][] logp = new double[n][];
        for (int i = 0; i < n; i++) {
            alpha[i] = new float[targets.get(i).length][];
            logp[i] = new double[targets.get(i).length];
        }
        for (int t = 0; t < steps; t++) {
            states.add(state);
            Inference.StepResult r = session.step(state, previous(targets, identity, t));
            for (int i = 0; i < n; i++) {
                if (t < targets.get(i).length) {
                    alpha[i][t] = r.alpha()[i];
                    logp[i][t] = r.logProbs()[i][targets.get(i)[t]];
                }
            }
            state = r.state();
        }
        return new Forced(states, alpha, logp);
    }

    /** Decodes a chunk of variants and writes each one's log p of its word and its best word. */
    private void decode(List<Variant> chunk, float[] f, int n, int l, int d, Forced whole, List<int[]> targets,
            double[] logp, int[] argmax, int offset) {
        int nv = chunk.size();
        float[][] means = new float[n][];
        float[] masked = new float[nv * l * d];                             // [Nv, L, D]
        int[] imageOf = new int[nv];
        for (int v = 0; v < nv; v++) {
            Variant var = chunk.get(v);
            int i = var.image;
            if (means[i] == null) {
                means[i] = RegionMask.meanFeature(f, i * l * d, l, d);
            }
            RegionMask.of(gridOf(l), var.regions).apply(f, i * l * d, means[i], masked, v * l * d);
            imageOf[v] = i;
        }
        Inference.Encoded enc = inference.encodeFeatures(HostCopy.array(masked, nv, l, d));
        int[] identity = identity(nv);
        Inference.Session session = inference.start(enc, identity);
        int[] stepOf = chunk.stream().mapToInt(Variant::step).toArray();
        List<int[]> variantTargets = new ArrayList<>(nv);
        for (int v = 0; v < nv; v++) {
            variantTargets.add(targets.get(imageOf[v]));
        }
        if (settings.scope() == Scope.STEP) {
            Inference.State state = gather(whole.states, stepOf, imageOf);
            int[] prev = new int[nv];
            for (int v = 0; v < nv; v++) {
                prev[v] = stepOf[v] == 0 ? Captioner.START : variantTargets.get(v)[stepOf[v] - 1];
            }
            read(session.step(state, prev), chunk, variantTargets, stepOf, -1, logp, argmax, offset);
            return;
        }
        Inference.State state = enc.state();
        int last = Arrays.stream(stepOf).max().orElse(-1);
        for (int t = 0; t <= last; t++) {
            Inference.StepResult r = session.step(state, previous(variantTargets, identity, t));
            read(r, chunk, variantTargets, stepOf, t, logp, argmax, offset);
            state = r.state();
        }
    }

    /** Writes the results of the variants whose word is at step {@code t} (every variant when t is -1). */
    private static void read(Inference.StepResult r, List<Variant> chunk, List<int[]> targets, int[] stepOf, int t,
            double[] logp, int[] argmax, int offset) {
        for (int v = 0; v < chunk.size(); v++) {
            if (t >= 0 && stepOf[v] != t) {
                continue;
            }
            float[] row = r.logProbs()[v];
            logp[offset + v] = row[targets.get(v)[stepOf[v]]];
            int best = 0;
            for (int w = 1; w < row.length; w++) {
                if (row[w] > row[best]) {
                    best = w;
                }
            }
            argmax[offset + v] = best;
        }
    }

    /** The previous word of each row at step t: {@code <start>} at 0, then the row's targets (padding past its end). */
    private static int[] previous(List<int[]> targets, int[] rowsImage, int t) {
        int[] prev = new int[rowsImage.length];
        for (int r = 0; r < prev.length; r++) {
            int[] words = targets.get(rowsImage[r]);
            prev[r] = t == 0 ? Captioner.START : t - 1 < words.length ? words[t - 1] : 0;
        }
        return prev;
    }

    /** Rows of the whole images' states: variant v gets image imageOf[v]'s state before step stepOf[v]. */
    private static Inference.State gather(List<Inference.State> states, int[] stepOf, int[] imageOf) {
        int nv = stepOf.length;
        Inference.State first = states.get(0);
        int h = first.h().length / first.rows();
        boolean coverage = first.coverage() != null;
        int l = coverage ? first.coverage().length / first.rows() : 0;
        float[] hh = new float[nv * h];
        float[] cc = new float[nv * h];
        float[] cov = coverage ? new float[nv * l] : null;
        for (int v = 0; v < nv; v++) {
            Inference.State s = states.get(stepOf[v]);
            System.arraycopy(s.h(), imageOf[v] * h, hh, v * h, h);
            System.arraycopy(s.c(), imageOf[v] * h, cc, v * h, h);
            if (coverage) {
                System.arraycopy(s.coverage(), imageOf[v] * l, cov, v * l, l);
            }
        }
        return new Inference.State(nv, hh, cc, cov);
    }

    private static int gridOf(int l) {
        int g = (int) Math.round(Math.sqrt(l));
        if (g * g != l) {
            throw new IllegalArgumentException(l + " regions are not a square grid");
        }
        return g;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}

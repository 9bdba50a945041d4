package ai.glimpse.probe;

import ai.glimpse.data.Vocabulary;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.Captioner;
import ai.glimpse.decode.SearchStrategy;
import ai.glimpse.explain.Explanation;
import ai.glimpse.model.HostCopy;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The probes of a batch of captioned images, as {@code explain} and {@code evaluate} run them: the
 * deletion test of every caption ({@link DeletionTest}) and counterfactual captions of the images with
 * regions masked ({@link RegionMask}), each as one batch of the decoder, and the conversion of their
 * results to what {@link ai.glimpse.explain.ExplainWriter} draws.
 */
public final class Probes {
    private final Captioner captioner;
    private final Vocabulary vocabulary;
    private final DeletionTest deletion;

    /** @param settings the deletion test's settings */
    public Probes(Captioner captioner, Vocabulary vocabulary, DeletionTest.Settings settings) {
        this.captioner = captioner;
        this.vocabulary = vocabulary;
        this.deletion = new DeletionTest(captioner.inference(), settings);
    }

    public DeletionTest.Settings settings() {
        return deletion.settings();
    }

    /** The ids a caption's steps emitted: its words, then {@code <end>} when it ended. */
    public int[] targets(Caption caption) {
        int steps = caption.alphas().length;
        int[] ids = new int[steps];
        for (int t = 0; t < steps; t++) {
            ids[t] = t < caption.words().size() ? vocabulary.id(caption.words().get(t)) : Captioner.END;
        }
        return ids;
    }

    /** The deletion test of each caption over its image's features [N, L, D]. */
    public List<List<DeletionTest.Word>> deletion(INDArray feats, List<Caption> captions) {
        return deletion.run(feats, captions.stream().map(this::targets).toList());
    }

    /**
     * The images captioned again with their masks applied (one mask per image of feats [N, L, D]), the
     * masked cells filled with the image's mean feature, or with {@code blank} [1, L, D] (the features of a
     * blank picture) when it is not null.
     */
    public List<Caption> recaption(INDArray feats, List<RegionMask> masks, INDArray blank, SearchStrategy strategy) {
        return captioner.caption(captioner.inference().encodeFeatures(masked(feats, masks, blank)), strategy);
    }

    /** The features [N, L, D] with image i's mask applied to it: masked cells get the mean, or blank's cells when not null. */
    public static INDArray masked(INDArray feats, List<RegionMask> masks, INDArray blank) {
        if (blank == null) {
            return masked(feats, masks);
        }
        int n = (int) feats.size(0);
        int l = (int) feats.size(1);
        int d = (int) feats.size(2);
        float[] f = HostCopy.toHeap(feats.castTo(DataType.FLOAT), null);    // [N, L, D]
        float[] fill = HostCopy.toHeap(blank.castTo(DataType.FLOAT), null); // [L, D]
        float[] out = new float[f.length];                                   // [N, L, D]
        for (int i = 0; i < n; i++) {
            masks.get(i).applyCells(f, i * l * d, fill, out, i * l * d);
        }
        return HostCopy.array(out, n, l, d);
    }

    /** The features [N, L, D] with image i's mask applied to it. */
    public static INDArray masked(INDArray feats, List<RegionMask> masks) {
        int n = (int) feats.size(0);
        int l = (int) feats.size(1);
        int d = (int) feats.size(2);
        if (masks.size() != n) {
            throw new IllegalArgumentException(masks.size() + " masks for " + n + " images");
        }
        float[] f = HostCopy.toHeap(feats.castTo(DataType.FLOAT), null);    // [N, L, D]
        float[] out = new float[f.length];                                   // [N, L, D]
        for (int i = 0; i < n; i++) {
            masks.get(i).apply(f, i * l * d, RegionMask.meanFeature(f, i * l * d, l, d), out, i * l * d);
        }
        return HostCopy.array(out, n, l, d);
    }

    /** One caption's deletion test as the explain figures show it. */
    public Explanation.Faithfulness forFigures(List<DeletionTest.Word> words, int regions) {
        List<Explanation.StepTest> steps = new ArrayList<>(words.size());
        for (DeletionTest.Word w : words) {
            steps.add(new Explanation.StepTest(w.logProb(), w.dropTop(), w.dropControl(), w.topMass(), name(w.topArgmax()),
                    name(w.controlArgmax()), w.top(), w.control(), w.topHurtsMore()));
        }
        return new Explanation.Faithfulness(settings().share(), settings().regions(regions), settings().scope().label(), steps);
    }

    /** A word id as the figures write it ({@code <end>} for the end). */
    public String name(int id) {
        return vocabulary.word(id);
    }
}

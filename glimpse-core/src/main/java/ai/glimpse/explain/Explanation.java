package ai.glimpse.explain;

import ai.glimpse.decode.Caption;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link ExplainWriter} shows for one image: the caption and its attention, and, when they
 * were run, the deletion test of each of its steps and a counterfactual caption of the image with some
 * regions masked. The records hold plain results; the model was run elsewhere ({@code ai.glimpse.probe}).
 *
 * @param caption        the caption
 * @param faithfulness   the deletion test of each step, or null when it was not run
 * @param counterfactual the image captioned again with regions masked, or null
 */
public record Explanation(Caption caption, Faithfulness faithfulness, Counterfactual counterfactual) {
    public Explanation {
        Objects.requireNonNull(caption, "caption");
        if (faithfulness != null && faithfulness.steps().size() != caption.alphas().length) {
            throw new IllegalArgumentException("a deletion test of " + faithfulness.steps().size() + " steps for a caption of "
                    + caption.alphas().length);
        }
    }

    /** The caption alone. */
    public static Explanation of(Caption caption) {
        return new Explanation(caption, null, null);
    }

    /**
     * The deletion test of a caption (Samek et al. 2017; Petsiuk et al. 2018): for every step, the word's
     * log-probability with the {@code regions} cells holding most of its attention masked, and with as
     * many of its least attended cells masked.
     *
     * @param share   the share of the regions masked, in (0, 0.5]
     * @param regions how many cells each test masked
     * @param scope   which steps read the masked features: "step" (the word's own) or "prefix" (all up to it)
     * @param steps   one result per step of the caption
     */
    public record Faithfulness(double share, int regions, String scope, List<StepTest> steps) {
        public Faithfulness {
            steps = List.copyOf(steps);
        }
    }

    /**
     * What masking did to one step's word.
     *
     * @param logProb     the word's log-probability with the whole image
     * @param dropTop     how much of it masking the most attended cells took (positive: the word lost)
     * @param dropControl how much masking as many of the least attended cells took
     * @param topMass     the share of the step's attention on the masked cells
     * @param topWord     the word the model would say with the most attended cells masked
     * @param controlWord the word it would say with the control cells masked
     * @param top         the most attended cells, masked in the test
     * @param control     the least attended cells, masked in the control
     * @param faithful    whether masking where the word looked hurt it more than masking where it did not,
     *                    by the test's margin
     */
    public record StepTest(double logProb, double dropTop, double dropControl, double topMass, String topWord,
            String controlWord, int[] top, int[] control, boolean faithful) {
    }

    /**
     * The image captioned again with the features of some cells replaced by its mean feature.
     *
     * @param description what was masked, in words (e.g. "outside 20,30,40,50")
     * @param masked      [L] the cells whose features were replaced
     * @param caption     the caption the model wrote then, with its attention
     */
    public record Counterfactual(String description, boolean[] masked, Caption caption) {
        public Counterfactual {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(caption, "caption");
            masked = masked.clone();
        }

        /** Number of cells masked. */
        public int count() {
            int n = 0;
            for (boolean b : masked) {
                n += b ? 1 : 0;
            }
            return n;
        }
    }
}

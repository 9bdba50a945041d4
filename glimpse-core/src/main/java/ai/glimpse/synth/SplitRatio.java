package ai.glimpse.synth;

import ai.glimpse.InputException;
import ai.glimpse.data.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a synthetic dataset is shared among train, val and test, in whole percentages, e.g. 80/10/10.
 *
 * @param train percentage of training images, at least 1
 * @param val   percentage of validation images
 * @param test  percentage of test images
 */
public record SplitRatio(int train, int val, int test) {
    public static final SplitRatio DEFAULT = new SplitRatio(80, 10, 10);

    public SplitRatio {
        if (train < 1 || val < 0 || test < 0) {
            throw new IllegalArgumentException("train needs at least 1% and val and test at least 0%");
        }
        if (train + val + test != 100) {
            throw new IllegalArgumentException("the percentages must add up to 100, they add up to " + (train + val + test));
        }
    }

    /** Parses {@code TRAIN/VAL/TEST}, e.g. {@code 80/10/10}, as given to {@code --split}. */
    public static SplitRatio parse(String text) {
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("expected three percentages TRAIN/VAL/TEST, e.g. 80/10/10");
            }
            int[] p = new int[3];
            for (int i = 0; i < 3; i++) {
                try {
                    p[i] = Integer.parseInt(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + parts[i] + "' is not a whole number of percent");
                }
            }
            return new SplitRatio(p[0], p[1], p[2]);
        } catch (IllegalArgumentException e) {
            throw new InputException("--split " + text + ": " + e.getMessage());
        }
    }

    /**
     * How many of {@code n} images go to train, val and test: val and test are rounded, every split
     * with a share above 0% gets at least one image, and train gets the rest.
     */
    public int[] counts(int n) {
        int v = share(n, val);
        int t = share(n, test);
        while (n - v - t < 1) {
            if (v >= t && v > (val > 0 ? 1 : 0)) {
                v--;
            } else if (t > (test > 0 ? 1 : 0)) {
                t--;
            } else {
                throw new IllegalArgumentException("cannot split " + n + " images " + this);
            }
        }
        return new int[] {n - v - t, v, t};
    }

    private static int share(int n, int percent) {
        int count = (int) Math.round(n * percent / 100.0);
        return percent > 0 ? Math.max(1, count) : count;
    }

    /**
     * The split of each of {@code n} images (index 0 is image id 1): the counts of {@link #counts},
     * shuffled with {@code random} so that no split is a run of consecutive ids.
     */
    public List<Split> assign(int n, SplittableRandom random) {
        int[] c = counts(n);
        List<Split> splits = new ArrayList<>(n);
        splits.addAll(Collections.nCopies(c[0], Split.TRAIN));
        splits.addAll(Collections.nCopies(c[1], Split.VAL));
        splits.addAll(Collections.nCopies(c[2], Split.TEST));
        for (int i = n - 1; i > 0; i--) {                 // Fisher-Yates, for a fixed order per seed
            Collections.swap(splits, i, random.nextInt(i + 1));
        }
        return splits;
    }

    @Override
    public String toString() {
        return train + "/" + val + "/" + test;
    }
}

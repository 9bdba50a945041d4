package ai.glimpse.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import ai.glimpse.data.Split;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitRatioTest {
    @Test
    void parsesPercentages() {
        assertEquals(new SplitRatio(80, 10, 10), SplitRatio.parse("80/10/10"));
        assertEquals(new SplitRatio(90, 10, 0), SplitRatio.parse(" 90 / 10 / 0 "));
        assertEquals("70/20/10", SplitRatio.parse("70/20/10").toString());
    }

    @Test
    void refusesBadSplitsNamingTheFlag() {
        for (String bad : List.of("80/10", "50/20/20", "a/10/10", "0/50/50", "110/-5/-5", "")) {
            InputException e = assertThrows(InputException.class, () -> SplitRatio.parse(bad));
            assertTrue(e.getMessage().startsWith("--split " + bad + ": "), e.getMessage());
        }
        assertTrue(assertThrows(InputException.class, () -> SplitRatio.parse("50/20/20")).getMessage().contains("add up to 90"));
    }

    @Test
    void countsRoundValAndTestAndGiveEveryUsedSplitAnImage() {
        assertArrayEquals(new int[] {16, 2, 2}, SplitRatio.DEFAULT.counts(20));
        assertArrayEquals(new int[] {800, 100, 100}, SplitRatio.DEFAULT.counts(1000));
        assertArrayEquals(new int[] {1, 1, 1}, SplitRatio.DEFAULT.counts(3));
        assertArrayEquals(new int[] {1, 1, 1}, new SplitRatio(2, 49, 49).counts(3));
        assertArrayEquals(new int[] {10, 0, 0}, new SplitRatio(100, 0, 0).counts(10));
        assertArrayEquals(new int[] {8, 2, 0}, new SplitRatio(80, 20, 0).counts(10));
    }

    @Test
    void assignsShuffledButFixedPerSeed() {
        List<Split> a = SplitRatio.DEFAULT.assign(50, new SplittableRandom(3));
        assertEquals(a, SplitRatio.DEFAULT.assign(50, new SplittableRandom(3)));
        assertNotEquals(a, SplitRatio.DEFAULT.assign(50, new SplittableRandom(4)));
        assertEquals(40, Collections.frequency(a, Split.TRAIN));
        assertEquals(5, Collections.frequency(a, Split.VAL));
        assertEquals(5, Collections.frequency(a, Split.TEST));
        assertNotEquals(Collections.nCopies(5, Split.TEST), a.subList(45, 50), "not in id order");
    }
}

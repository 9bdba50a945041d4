package ai.glimpse.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.decode.Captioner;
import ai.glimpse.model.Inference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The deletion test against {@link HandBuiltModel}, whose word depends on one region only. */
class DeletionTestTest {
    private static final double MEAN = 0.25;                           // the mean feature of oneObject: [1/4, 1/4]

    @Test
    void maskingTheAttendedRegionCostsWhatTheFormulaSaysAndTheControlAlmostNothing() {
        Inference inference = new Inference(HandBuiltModel.build());
        for (DeletionTest.Scope scope : DeletionTest.Scope.values()) {
            DeletionTest test = new DeletionTest(inference, new DeletionTest.Settings(0.25, scope));
            List<List<DeletionTest.Word>> r = test.run(HandBuiltModel.oneObject(2),
                    List.of(new int[] {HandBuiltModel.WORD, Captioner.END}));
            DeletionTest.Word w = r.get(0).get(0);
            assertEquals(2, r.get(0).size(), "one result per step, <end> included");
            assertArrayEquals(new int[] {2}, w.top(), "the object's region holds the attention");
            assertArrayEquals(new int[] {3}, w.control(), "the least attended region, the last on ties");
            double whole = HandBuiltModel.logProb(new double[][] {{0, 0}, {0, 0}, {1, 1}, {0, 0}});
            double top = HandBuiltModel.logProb(new double[][] {{0, 0}, {0, 0}, {MEAN, MEAN}, {0, 0}});
            double control = HandBuiltModel.logProb(new double[][] {{0, 0}, {0, 0}, {1, 1}, {MEAN, MEAN}});
            assertEquals(whole, w.logProb(), 1e-4, scope + ": log p with the whole image");
            assertEquals(whole - top, w.dropTop(), 1e-4, scope + ": drop with the object masked");
            assertEquals(whole - control, w.dropControl(), 1e-4, scope + ": drop with the control masked");
            assertTrue(w.dropTop() > 0.5 && w.dropControl() < 0.05 && w.topHurtsMore(),
                    scope + ": " + w.dropTop() + " against " + w.dropControl());
            assertTrue(w.topMass() > 0.99, "attention mass on the object " + w.topMass());
            assertEquals(HandBuiltModel.WORD, w.controlArgmax(), "with the control masked the word stays");
        }
    }

    @Test
    void largerSharesMaskMoreRegionsAndNeverTheSameOnBothSides() {
        Inference inference = new Inference(HandBuiltModel.build());
        DeletionTest test = new DeletionTest(inference, new DeletionTest.Settings(0.5, DeletionTest.Scope.STEP));
        DeletionTest.Word w = test.run(HandBuiltModel.oneObject(1), List.of(new int[] {HandBuiltModel.WORD})).get(0).get(0);
        assertArrayEquals(new int[] {1, 0}, w.top(), "the object, then the first of the ties");
        assertArrayEquals(new int[] {3, 2}, w.control());
        double masked = HandBuiltModel.logProb(new double[][] {{MEAN, MEAN}, {MEAN, MEAN}, {0, 0}, {0, 0}});
        assertEquals(w.logProb() - masked, w.dropTop(), 1e-4);
        assertEquals(1, new DeletionTest.Settings(0.2, DeletionTest.Scope.STEP).regions(4), "ceil(0.8)");
        assertEquals(1, new DeletionTest.Settings(0.01, DeletionTest.Scope.STEP).regions(4), "at least one");
        assertEquals(13, new DeletionTest.Settings(0.2, DeletionTest.Scope.STEP).regions(64));
        assertThrows(IllegalArgumentException.class, () -> new DeletionTest.Settings(0.6, DeletionTest.Scope.STEP));
        assertThrows(IllegalArgumentException.class, () -> new DeletionTest.Settings(0, DeletionTest.Scope.STEP));
    }

    @Test
    void manyCaptionsOfManyImagesInOneBatchGiveWhatEachGivesAlone() {
        Inference inference = new Inference(HandBuiltModel.build());
        DeletionTest test = new DeletionTest(inference, new DeletionTest.Settings(0.25, DeletionTest.Scope.PREFIX));
        INDArray both = Nd4j.concat(0, HandBuiltModel.oneObject(0), HandBuiltModel.oneObject(3));
        List<int[]> targets = List.of(new int[] {HandBuiltModel.WORD, HandBuiltModel.WORD, Captioner.END},
                new int[] {Captioner.END});
        List<List<DeletionTest.Word>> together = test.run(both, targets);
        assertEquals(3, together.get(0).size());
        assertEquals(1, together.get(1).size());
        DeletionTest.Word alone = test.run(HandBuiltModel.oneObject(3), List.of(new int[] {Captioner.END})).get(0).get(0);
        DeletionTest.Word second = together.get(1).get(0);
        assertEquals(alone.logProb(), second.logProb(), 1e-5);
        assertEquals(alone.dropTop(), second.dropTop(), 1e-5);
        assertArrayEquals(new int[] {0}, together.get(0).get(1).top(), "second word of the first image");
    }
}

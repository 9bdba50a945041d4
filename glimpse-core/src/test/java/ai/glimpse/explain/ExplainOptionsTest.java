package ai.glimpse.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Options refuse bad values by name; colour maps and file names are what they claim. */
class ExplainOptionsTest {
    private static void refused(String expected, Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void badOptionsAreRefused() {
        ExplainOptions d = ExplainOptions.defaults();
        refused("opacity must be in [0, 1], got 1.5", () -> d.withOpacity(1.5));
        refused("opacity must be in [0, 1], got -0.1", () -> d.withOpacity(-0.1));
        refused("opacity", () -> d.withOpacity(Double.NaN));
        refused("smoothing sigma must be between 0 and 10000 pixels, got -1.0", () -> d.withSmoothSigma(-1));
        refused("smoothing sigma must be between 0 and 10000 pixels, got 1.0E9", () -> d.withSmoothSigma(1e9));
        refused("smoothing sigma", () -> d.withSmoothSigma(Double.NaN));
        refused("smoothing sigma", () -> d.withSmoothSigma(Double.POSITIVE_INFINITY));
        refused("grid columns must be >= 1, got 0",
                () -> new ExplainOptions(OptionalDouble.empty(), 0.6, ColourMap.VIRIDIS, true, 0, 224, 512, 1000));
        refused("panel side", () -> new ExplainOptions(OptionalDouble.empty(), 0.6, ColourMap.VIRIDIS, true, 5, 8, 512, 1000));
        refused("preview side", () -> new ExplainOptions(OptionalDouble.empty(), 0.6, ColourMap.VIRIDIS, true, 5, 224, 9000, 1000));
        refused("frame delay", () -> new ExplainOptions(OptionalDouble.empty(), 0.6, ColourMap.VIRIDIS, true, 5, 224, 512, 5));
        assertThrows(NullPointerException.class,
                () -> new ExplainOptions(OptionalDouble.empty(), 0.6, null, true, 5, 224, 512, 1000));
    }

    @Test
    void edgesAreAcceptedAndTheDefaultSigmaFollowsTheCell() {
        ExplainOptions d = ExplainOptions.defaults();
        assertEquals(0.6, d.opacity());
        assertEquals(0, d.withOpacity(0).opacity());
        assertEquals(1, d.withOpacity(1).opacity());
        assertEquals(0, d.withSmoothSigma(0).sigmaFor(16));
        assertEquals(8, d.sigmaFor(16), 1e-12);                      // half a 16-pixel cell
        assertEquals(3.5, d.withSmoothSigma(3.5).sigmaFor(16), 1e-12);
    }

    @Test
    void colourMapsRunFromTheirFirstToTheirLastStop() {
        assertEquals(0x440154, ColourMap.VIRIDIS.rgb(0));
        assertEquals(0xfde725, ColourMap.VIRIDIS.rgb(1));
        assertEquals(0x21908d, ColourMap.VIRIDIS.rgb(0.5), "the middle stop, at 127.5/255 rounded to 128");
        assertEquals(0x000004, ColourMap.INFERNO.rgb(-3));
        assertEquals(0xfcffa4, ColourMap.INFERNO.rgb(7));
        assertEquals(0x000004, ColourMap.INFERNO.rgb(Double.NaN));
        assertEquals(ColourMap.INFERNO, ColourMap.parse(" Inferno "));
        refused("unknown colour map 'jet'", () -> ColourMap.parse("jet"));
    }

    @Test
    void fileNamesAreSafeAndNumbered() {
        float[] a = {1f};
        assertEquals("01_dog.png", new AttentionStep(0, "dog", false, 0.5f, a).fileName(2, "png"));
        assertEquals("07_end.png", new AttentionStep(6, "<end>", true, 0.5f, a).fileName(2, "png"));
        assertEquals("03_cafe.png", new AttentionStep(2, "Café", false, 0.5f, a).fileName(2, "png"));
        assertEquals("04_a_b.png", new AttentionStep(3, "../a/b", false, 0.5f, a).fileName(2, "png"));
        assertEquals("05_word.png", new AttentionStep(4, "...", false, 0.5f, a).fileName(2, "png"));
        assertEquals("05_t-shirt.png", new AttentionStep(4, "t-shirt", false, 0.5f, a).fileName(2, "png"));
        assertEquals("012_x.png", new AttentionStep(11, "x", false, 0.5f, a).fileName(3, "png"));
        String longName = new AttentionStep(0, "a".repeat(300), false, 0.5f, a).fileName(2, "png");
        assertEquals(3 + 40 + 4, longName.length(), longName);
    }

    @Test
    void stepsOfACaptionLabelTheEndAndRefuseExtraRows() {
        float[] u = Pictures.uniform(2);
        List<AttentionStep> steps = AttentionStep.of(Pictures.finished(List.of("a", "dog"), u, u, u));
        assertEquals(List.of("a", "dog", "<end>"), steps.stream().map(AttentionStep::word).toList());
        assertTrue(steps.get(2).end());
        assertEquals("dog  \u03b2 0.63  peak 1.0\u00d7", steps.get(1).label(), "uniform attention peaks at 1x uniform");
        refused("caption has 3 attention steps for 1 words",
                () -> AttentionStep.of(Pictures.finished(List.of("a"), u, u, u)));
        refused("attention step 1 has 9 weights, expected 4",
                () -> AttentionStep.of(Pictures.finished(List.of("a"), u, Pictures.uniform(3))));
    }
}

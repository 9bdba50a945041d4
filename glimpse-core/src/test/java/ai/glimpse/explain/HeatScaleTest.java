package ai.glimpse.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The absolute scale against uniform attention, and the OpenCV painter against the Java blend. */
class HeatScaleTest {
    @Test
    void uniformAttentionIsHalfAndAllOnOneRegionIsFull() {
        int l = 64;
        assertEquals(0.5f, HeatScale.UNIFORM.heat(1.0 / l, 1, l), 1e-6f);
        assertEquals(1f, HeatScale.UNIFORM.heat(1.0, 1, l), 1e-6f);
        assertEquals(0f, HeatScale.UNIFORM.heat(1.0 / (l * l), 1, l), 1e-6f, "1/L of uniform");
        assertEquals(0.75f, HeatScale.UNIFORM.heat(8.0 / l, 1, l), 1e-6f, "sqrt(L) times uniform");
        assertEquals(0f, HeatScale.UNIFORM.heat(0, 1, l));
        assertEquals(0.5f, HeatScale.WORD.heat(0.2, 0.4, l), 1e-6f);
        float[] flat = Pictures.uniform(8);
        HeatMap uniform = HeatMap.of(flat, 8, CropBox.whole(64, 64), 64, 64, 4, HeatScale.UNIFORM);
        HeatMap word = HeatMap.of(flat, 8, CropBox.whole(64, 64), 64, 64, 4, HeatScale.WORD);
        assertEquals(0.5f, uniform.at(30, 30), 1e-4f, "flat attention reads as uniform, not as a confident peak");
        assertEquals(1f, word.at(30, 30), 1e-4f, "on its own scale every word reaches the top");
    }

    @Test
    void theOpenCvPainterDrawsWhatTheJavaBlendDraws() {
        BufferedImage image = Pictures.twoShapes(90, 90);
        CropBox box = CropBox.whole(90, 90);
        float[] alpha = Pictures.bump(7, 2, 4, 0.8);
        for (HeatScale scale : HeatScale.values()) {
            HeatMap.Field field = HeatMap.Field.of(alpha, 7, box, 6);
            BufferedImage java = Overlay.blend(image, field.sample(box, 90, 90, scale), box, ColourMap.INFERNO, 0.6);
            BufferedImage opencv;
            try (OverlayPainter painter = new OverlayPainter(image, ColourMap.INFERNO, scale, 0.6)) {
                opencv = painter.paint(field);
            }
            int worst = 0;
            for (int y = 0; y < 90; y++) {
                for (int x = 0; x < 90; x++) {
                    int a = java.getRGB(x, y);
                    int b = opencv.getRGB(x, y);
                    for (int shift : new int[] {16, 8, 0}) {
                        worst = Math.max(worst, Math.abs((a >> shift & 0xff) - (b >> shift & 0xff)));
                    }
                }
            }
            assertTrue(worst <= 4, scale + ": the two paths differ by " + worst + " levels");
        }
    }
}

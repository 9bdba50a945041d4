package ai.glimpse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A model configuration refuses sizes it cannot be built with, saying which and why. */
class ModelConfigTest {
    private static ModelConfig small(int imageSize, List<Integer> channels, int maxLength) {
        return ModelConfig.small(imageSize, channels, 10, 8, 8, 6, 0.0, 1.0, maxLength);
    }

    private static String refusal(Runnable make) {
        return assertThrows(IllegalArgumentException.class, make::run).getMessage();
    }

    @Test
    void captionLengthIsBounded() {
        assertEquals(500, small(16, List.of(4, 8), 500).maxLength());
        assertEquals("max length must be at most 500 words, got 100000", refusal(() -> small(16, List.of(4, 8), 100_000)));
        assertEquals("max length must be >= 1, got 0", refusal(() -> small(16, List.of(4, 8), 0)));
    }

    @Test
    void imageSizeIsBoundedByWhatTheLoaderMakes() {
        assertEquals(ai.glimpse.data.ImageOptions.MAX_SIZE, ModelConfig.MAX_IMAGE_SIZE);
        assertEquals(4096, small(4096, List.of(4, 8), 5).imageSize());
        assertEquals("image size must be at most 4096 pixels, got 100000", refusal(() -> small(100_000, List.of(4, 8), 5)));
    }

    @Test
    void anImageSizeTheBlocksCannotHalveSaysSo() {
        assertEquals("image size 7 is not a multiple of 16: each of the 4 conv blocks halves it, and the grid must come out"
                + " whole (e.g. 16)", refusal(() -> small(7, List.of(4, 8, 8, 8), 5)));
        assertEquals("image size 100 is not a multiple of 16: each of the 4 conv blocks halves it, and the grid must come"
                + " out whole (e.g. 96 or 112)", refusal(() -> small(100, List.of(4, 8, 8, 8), 5)));
        assertEquals(6, small(96, List.of(4, 8, 8, 8), 5).gridSize());
    }
}

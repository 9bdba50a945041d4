package ai.glimpse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import ai.glimpse.spark.ImageListing.ImageFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options and inputs are refused with one line and exit 2, before any Spark work; the small rules behind the jobs. */
class RefusalsTest {
    @TempDir
    Path dir;

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        String model = Fixtures.SHAPES_MODEL.toString();
        assertRefused(List.of("caption", "--model", model, "--images", "x", "--out", "y", "--beam", "0"),
                "--beam must be between 1 and 50, got 0");
        assertRefused(List.of("caption", "--model", model, "--images", "x", "--out", "y", "--max-length", "0"),
                "--max-length must be between 1 and 500, got 0");
        assertRefused(List.of("caption", "--model", dir.resolve("none.zip").toString(), "--images", "x", "--out", "y"),
                "none.zip");
        assertRefused(List.of("features", "--encoder", "small", "--encoder-weights", "w", "--images", "x", "--out", "y"),
                "--encoder small is trained with the decoder");
        assertRefused(List.of("features", "--encoder", "vgg", "--encoder-weights", "w", "--images", "x", "--out", "y"),
                "--encoder: unknown encoder 'vgg'");
        assertRefused(List.of("features", "--encoder", "vgg16", "--image-size", "100", "--encoder-weights", "w", "--images", "x",
                "--out", "y"), "vgg16 needs an image size that is a multiple of 16");
        assertRefused(List.of("caption", "--model", model), "Missing required options");
    }

    @Test
    void aMissingImagesFolderIsOneLine() {
        Fixtures.Run r = Fixtures.glimpseSpark(List.of("caption", "--master", "local[1]", "--model",
                Fixtures.SHAPES_MODEL.toString(), "--images", dir.resolve("nowhere").toString(), "--out", dir.resolve("out").toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("glimpse-spark: --images: Path does not exist: file:" + dir.resolve("nowhere")), r.err());
    }

    private static void assertRefused(List<String> args, String says) {
        Fixtures.Run r = Fixtures.glimpseSpark(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("glimpse-spark: ") && r.err().contains(says), r.err());
        assertTrue(r.err().lines().count() <= 2, "one line (and a hint): " + r.err());
    }

    @Test
    void imagesAreFoundInAnyLetterCaseAndNamedAsGlimpseCaptionNamesThem() {
        String glob = ImageListing.imageGlob();
        assertTrue(glob.startsWith("*.{[pP][nN][gG],[jJ][pP][gG],"), glob);
        assertEquals("synth_000042.png", ImageListing.fileName("file:/data/images/synth_000042.png"));
        assertEquals("42", CaptionTable.imageId("hdfs://nn/coco/COCO_val2014_000000000042.jpg"));
        assertEquals("IMG_0001.JPG", CaptionTable.imageId("file:/photos/2019/IMG_0001.JPG"));
        InputException e = assertThrows(InputException.class, () -> CaptionJob.requireDistinctIds(List.of(
                new ImageFile("file:/a/IMG_1.jpg", 10), new ImageFile("file:/b/IMG_1.jpg", 10))));
        assertTrue(e.getMessage().contains("would both be image_id IMG_1.jpg") && e.getMessage().contains("--no-json"),
                e.getMessage());
    }
}

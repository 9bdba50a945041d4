package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import ai.glimpse.data.CorpusReader.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusReaderTest {
    @TempDir
    Path dir;

    @Test
    void detectsEachFormatByContent() {
        assertEquals(Format.COCO, CorpusReader.detect(Fixtures.resource("captions_val2014_tiny.json")));
        assertEquals(Format.COCO, CorpusReader.detect(Fixtures.resource("captions_train2017_tiny.json")));
        assertEquals(Format.KARPATHY, CorpusReader.detect(Fixtures.resource("dataset_coco_tiny.json")));
        assertEquals(Format.KARPATHY, CorpusReader.detect(Fixtures.resource("dataset_flickr8k_tiny.json")));
        assertEquals(Format.FLICKR8K, CorpusReader.detect(Fixtures.resource("flickr8k/Flickr8k.token.txt")));
    }

    @Test
    void ignoresTheFileName() {
        Path coco = Fixtures.write(dir, "dataset_flickr8k.txt",
                "\uFEFF  {\"annotations\": [], \"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}]}");
        assertEquals(Format.COCO, CorpusReader.detect(coco));
        assertEquals(1, CorpusReader.read(coco).images().size(), "a byte-order mark is fine");
        Path karpathy = Fixtures.write(dir, "captions_train2014.json",
                "{\"images\": [{\"filename\": \"a.jpg\", \"split\": \"val\", \"sentences\": [{\"raw\": \"x\"}]}]}");
        assertEquals(Format.KARPATHY, CorpusReader.detect(karpathy));
        Path flickr = Fixtures.write(dir, "dataset_coco.json", "\n\na.jpg#0\tA dog\n");
        assertEquals(Format.FLICKR8K, CorpusReader.detect(flickr));
        assertEquals("karpathy", CorpusReader.read(karpathy).format());
        assertEquals("flickr8k", CorpusReader.read(flickr).format());
    }

    @Test
    void readsAnEmptyKarpathyOrCocoImageList() {
        Path karpathy = Fixtures.write(dir, "k.json", "{\"images\": [], \"dataset\": \"flickr8k\"}");
        assertEquals(Format.KARPATHY, CorpusReader.detect(karpathy));
        assertEquals(0, CorpusReader.read(karpathy).images().size());
        Path coco = Fixtures.write(dir, "c.json", "{\"images\": [], \"annotations\": []}");
        assertEquals(Format.COCO, CorpusReader.detect(coco));
    }

    @Test
    void refusesAMissingFileAFolderAndAnEmptyFile() throws IOException {
        Path missing = dir.resolve("nope.json");
        assertRefused(missing, "no such file");
        assertRefused(dir, "is a folder, not a file");
        assertRefused(Files.createFile(dir.resolve("empty.json")), "empty file");
        assertRefused(Fixtures.write(dir, "blank.txt", " \n\r\n\t"), "empty file");
    }

    @Test
    void refusesMalformedJsonWithLineAndColumn() {
        Path file = Fixtures.write(dir, "broken.json", "{\"images\": [\n  {\"id\": 1, \"file_name\": \"a.jpg\"},\n  {\"id\": 2,, }\n]}");
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(file));
        assertTrue(e.getMessage().startsWith("captions file " + file + ": malformed JSON at line 3, column 12: "
                + "Unexpected character (','"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        Path cut = Fixtures.write(dir, "cut.json", "{\"annotations\": [{\"image_id\": 1, \"caption\": \"a do");
        e = assertThrows(InputException.class, () -> CorpusReader.read(cut));
        assertTrue(e.getMessage().startsWith("captions file " + cut + ": malformed JSON at line 1, column "), e.getMessage());
    }

    @Test
    void refusesJsonOfAnotherKind() {
        assertRefused(Fixtures.write(dir, "results.json", "[{\"image_id\": 42, \"caption\": \"a dog\"}]"),
                CorpusReader.NOT_CAPTIONS + " (a JSON list of {image_id, caption}: this looks like a captioning results file)");
        assertRefused(Fixtures.write(dir, "list.json", "[1, 2]"),
                CorpusReader.NOT_CAPTIONS + " (a JSON list, expected an object with \"annotations\" or \"images\")");
        assertRefused(Fixtures.write(dir, "config.json", "{\"beamSize\": 3, \"maxLength\": 20}"),
                CorpusReader.NOT_CAPTIONS + " (no \"annotations\" or \"images\" key)");
        assertRefused(Fixtures.write(dir, "odd.json", "{\"images\": [{\"path\": \"a.jpg\"}]}"),
                CorpusReader.NOT_CAPTIONS + " (its first image has neither \"sentences\" (Karpathy) nor \"file_name\" (COCO))");
        assertRefused(Fixtures.write(dir, "scalar.json", "{\"images\": 3}"),
                "line 1, column 12: \"images\" must be a list, found a number");
    }

    @Test
    void refusesTextThatIsNotFlickrTokens() {
        assertRefused(Fixtures.write(dir, "notes.txt", "a dog on the grass\na cat\n"),
                CorpusReader.NOT_CAPTIONS + " (neither JSON nor 'image.jpg#0<TAB>caption' lines)");
    }

    private static void assertRefused(Path file, String expected) {
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(file));
        assertEquals("captions file " + file + ": " + expected, e.getMessage());
    }
}

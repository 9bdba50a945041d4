package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.glimpse.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KarpathySplitReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheCocoVariant() {
        CaptionCorpus corpus = CorpusReader.read(Fixtures.resource("dataset_coco_tiny.json"));
        assertEquals("karpathy", corpus.format());
        assertEquals(List.of("9", "42", "73", "74"), corpus.images().stream().map(CorpusImage::id).toList());
        assertEquals(List.of(Split.TRAIN, Split.RESTVAL, Split.VAL, Split.TEST),
                corpus.images().stream().map(CorpusImage::split).toList());
        CorpusImage first = corpus.images().get(0);
        assertEquals("train2014/COCO_train2014_000000000009.jpg", first.file());
        assertEquals(List.of("Two plates of food.", "A table with food"), first.captions());
        // no "raw": the tokens joined by spaces
        assertEquals(List.of("a dog on grass"), corpus.images().get(1).captions());
        assertEquals(2, corpus.split(Split.TRAIN).size(), "restval serves as train");
        assertEquals(Map.of(Split.TRAIN, 1, Split.RESTVAL, 1, Split.VAL, 1, Split.TEST, 1), corpus.imagesPerSplit());
        assertEquals(5, corpus.captionCount());
    }

    @Test
    void readsTheFlickrVariantWithoutFilepathOrCocoid() {
        CaptionCorpus corpus = CorpusReader.read(Fixtures.resource("dataset_flickr8k_tiny.json"));
        assertEquals("karpathy", corpus.format());
        CorpusImage first = corpus.images().get(0);
        assertEquals("1000268201_693b08cb0e.jpg", first.id());
        assertEquals("1000268201_693b08cb0e.jpg", first.file());
        assertEquals(Split.TRAIN, first.split());
        assertEquals(List.of("A child in pink.", "A girl climbing"), first.captions());
        assertEquals(Split.TEST, corpus.images().get(1).split());
    }

    @Test
    void refusesBadImages() {
        assertMessage("{\"images\": [{\"filename\": \"a.jpg\", \"split\": \"holdout\", \"sentences\": []}]}",
                "image 0 of \"images\" (a.jpg): unknown split 'holdout' (expected train, restval, val or test)");
        assertMessage("{\"images\": [{\"filename\": \"a.jpg\", \"sentences\": []}]}",
                "image 0 of \"images\" (a.jpg) has no \"split\"");
        assertMessage("{\"images\": [{\"split\": \"train\", \"sentences\": []}]}",
                "image 0 of \"images\" has no \"filename\"");
        assertMessage("{\"images\": [{\"filename\": \"a.jpg\", \"split\": \"train\", \"sentences\": [{\"sentid\": 3}]}]}",
                "image 0 of \"images\" (a.jpg), sentence 0 has neither \"raw\" text nor a \"tokens\" list");
        assertMessage("{\"images\": [{\"filename\": \"a.jpg\", \"split\": \"train\", \"sentences\": [{\"raw\": \"x\"}]},"
                        + " {\"filename\": \"a.jpg\", \"split\": \"val\", \"sentences\": [{\"raw\": \"y\"}]}], \"dataset\": \"f\"}",
                "image a.jpg appears twice in \"images\"");
        assertMessage("{\"dataset\": \"coco\", \"images\": [{\"filename\": \"a.jpg\", \"split\": \"train\"}]}",
                "image 0 of \"images\" (a.jpg) has no \"sentences\" list");
    }

    private void assertMessage(String json, String expected) {
        Path file = Fixtures.write(dir, "dataset.json", json);
        InputException e = assertThrows(InputException.class, () -> KarpathySplitReader.read(file));
        assertEquals("captions file " + file + ": " + expected, e.getMessage());
    }
}

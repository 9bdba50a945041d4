package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionsReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsThe2014Layout() {
        CaptionCorpus corpus = CorpusReader.read(Fixtures.resource("captions_val2014_tiny.json"));
        assertEquals("coco", corpus.format());
        assertEquals(List.of("42", "73", "74"), corpus.images().stream().map(CorpusImage::id).toList());
        CorpusImage first = corpus.images().get(0);
        assertEquals("COCO_val2014_000000000042.jpg", first.file());
        assertEquals(640, first.width());
        assertEquals(480, first.height());
        assertEquals(Split.VAL, first.split());
        // captions in annotation order, as written (trailing space kept: the tokenizer deals with it)
        assertEquals(List.of("A dog runs on the grass.", "A brown dog playing in a field "), first.captions());
        assertEquals(List.of("a red bus parked by the road", "A bus on a city street."),
                corpus.images().get(1).captions());
        assertEquals(List.of(), corpus.images().get(2).captions(), "an image without captions is kept");
        assertEquals(4, corpus.captionCount());
        assertEquals(42L, first.numericId().getAsLong());
    }

    @Test
    void readsThe2017Layout() {
        CaptionCorpus corpus = CorpusReader.read(Fixtures.resource("captions_train2017_tiny.json"));
        assertEquals("coco", corpus.format());
        assertEquals(List.of("9", "25", "30"), corpus.images().stream().map(CorpusImage::id).toList());
        assertEquals(List.of("Two plates of food on a table.", "A table with plates of food"),
                corpus.images().get(0).captions());
        assertEquals("000000000025.jpg", corpus.images().get(1).file());
        assertEquals(426, corpus.images().get(1).height());
        assertEquals(List.of(), corpus.images().get(2).captions());
        assertTrue(corpus.images().stream().allMatch(i -> i.split() == Split.TRAIN));
    }

    @Test
    void infersTheSplitFromFileNameThenUrlThenCaptionsFileName() {
        String images = """
                {"images": [
                  {"id": 1, "file_name": "COCO_test2014_000000000001.jpg"},
                  {"id": 2, "file_name": "000000000002.jpg", "coco_url": "http://host/val2017/000000000002.jpg"},
                  {"id": 3, "file_name": "000000000003.jpg"}],
                 "annotations": []}""";
        CaptionCorpus plain = CorpusReader.read(Fixtures.write(dir, "captions.json", images));
        assertEquals(List.of(Split.TEST, Split.VAL, Split.NONE), plain.images().stream().map(CorpusImage::split).toList());
        CaptionCorpus named = CorpusReader.read(Fixtures.write(dir, "captions_train2017.json", images));
        assertEquals(List.of(Split.TEST, Split.VAL, Split.TRAIN), named.images().stream().map(CorpusImage::split).toList());
    }

    @Test
    void splitWordsMustBeWholeAndUnambiguous() {
        assertEquals(Split.TRAIN, CocoCaptionsReader.splitIn("captions_train2014.json"));
        assertEquals(Split.VAL, CocoCaptionsReader.splitIn("COCO_val2014_000000391895.jpg"));
        assertEquals(Split.TEST, CocoCaptionsReader.splitIn("image_info_test-dev2015.json"));
        assertEquals(Split.NONE, CocoCaptionsReader.splitIn("captions_trainval.json"));
        assertEquals(Split.NONE, CocoCaptionsReader.splitIn("train_val_captions.json"));
        assertEquals(Split.NONE, CocoCaptionsReader.splitIn("000000000009.jpg"));
    }

    @Test
    void keepsTestImagesOfAFileWithoutAnnotations() {
        Path file = Fixtures.write(dir, "image_info_test2014.json", """
                {"info": {}, "images": [{"id": 1, "file_name": "COCO_test2014_000000000001.jpg", "width": 10, "height": 20}],
                 "licenses": [], "categories": []}""");
        CaptionCorpus corpus = CorpusReader.read(file);
        assertEquals(1, corpus.images().size());
        assertEquals(Split.TEST, corpus.images().get(0).split());
        assertEquals(0, corpus.captionCount());
    }

    @Test
    void acceptsAnnotationsBeforeImagesAndStringIds() {
        Path file = Fixtures.write(dir, "c.json", """
                {"annotations": [{"image_id": "abc", "id": 1, "caption": "a cat"}],
                 "images": [{"id": "abc", "file_name": "abc.jpg"}]}""");
        CorpusImage image = CorpusReader.read(file).images().get(0);
        assertEquals("abc", image.id());
        assertEquals(List.of("a cat"), image.captions());
        assertEquals(0, image.width());
    }

    @Test
    void refusesAnAnnotationForAnUnknownImage() {
        Path file = Fixtures.write(dir, "c.json", """
                {"images": [{"id": 1, "file_name": "a.jpg"}],
                 "annotations": [{"image_id": 1, "id": 1, "caption": "a cat"}, {"image_id": 999, "id": 2, "caption": "a dog"}]}""");
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(file));
        assertEquals("captions file " + file + ": annotations refer to image id 999, which is not in \"images\"",
                e.getMessage());
    }

    @Test
    void refusesAnInstancesFile() {
        Path typed = Fixtures.write(dir, "instances_val2014.json", """
                {"info": {}, "images": [{"id": 1, "file_name": "a.jpg"}], "type": "instances",
                 "annotations": [{"image_id": 1, "id": 5, "bbox": [1, 2, 3, 4], "category_id": 18}]}""");
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(typed));
        assertEquals("captions file " + typed + ": \"type\" is \"instances\", not \"captions\""
                + " (this is a COCO instances file, not a captions file)", e.getMessage());
        Path untyped = Fixtures.write(dir, "instances_val2017.json", """
                {"images": [{"id": 1, "file_name": "a.jpg"}],
                 "annotations": [{"image_id": 1, "id": 5, "segmentation": [], "bbox": [1, 2, 3, 4]}]}""");
        e = assertThrows(InputException.class, () -> CorpusReader.read(untyped));
        assertEquals("captions file " + untyped + ": annotation 0 of \"annotations\" has no \"caption\" but a \"bbox\":"
                + " this looks like a COCO instances or keypoints file, not captions", e.getMessage());
    }

    @Test
    void refusesMissingOrWrongKeys() {
        assertMessage("{\"images\": [{\"id\": 1}], \"annotations\": []}",
                "image 0 of \"images\" (id 1) has no \"file_name\"");
        assertMessage("{\"images\": [{\"file_name\": \"a.jpg\"}], \"annotations\": []}",
                "image 0 of \"images\" has no \"id\"");
        assertMessage("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"caption\": \"x\"}]}",
                "annotation 0 of \"annotations\" has no \"image_id\"");
        assertMessage("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"image_id\": 1, \"id\": 3}]}",
                "annotation 0 of \"annotations\" has no \"caption\"");
        assertMessage("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"image_id\": 1, \"caption\": 7}]}",
                "annotation 0 of \"annotations\": \"caption\" is a number, not a string");
        assertMessage("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": -3}]}",
                "image 0 of \"images\": \"width\" is -3, not a size in pixels");
        assertMessage("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}, {\"id\": 1, \"file_name\": \"b.jpg\"}]}",
                "image id 1 appears twice in \"images\"");
        assertMessage("{\"images\": {}, \"annotations\": []}",
                "line 1, column 12: \"images\" must be a list, found an object");
        assertMessage("{\"annotations\": []}", "no \"images\" key (a COCO captions file lists its images)");
    }

    private void assertMessage(String json, String expected) {
        Path file = Fixtures.write(dir, "c.json", json);
        InputException e = assertThrows(InputException.class, () -> CocoCaptionsReader.read(file));
        assertEquals("captions file " + file + ": " + expected, e.getMessage());
    }
}

package ai.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.glimpse.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Flickr8kReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTokensWithTheSplitListsNextToThem() {
        CaptionCorpus corpus = CorpusReader.read(Fixtures.resource("flickr8k/Flickr8k.token.txt"));
        assertEquals("flickr8k", corpus.format());
        assertEquals(4, corpus.images().size());
        assertEquals(6, corpus.captionCount());
        CorpusImage first = corpus.images().get(0);
        assertEquals("1000268201_693b08cb0e.jpg", first.id());
        assertEquals("1000268201_693b08cb0e.jpg", first.file());
        assertEquals(List.of("A child in a pink dress climbs stairs .", "A girl going into a wooden building ."),
                first.captions());
        assertEquals(List.of(Split.TRAIN, Split.VAL, Split.TEST, Split.NONE),
                corpus.images().stream().map(CorpusImage::split).toList(), "dev list is val; unlisted is none");
    }

    @Test
    void takesSplitListsFromAGivenFolderAndToleratesBomCrlfAndBlankLines() throws IOException {
        Path token = Fixtures.write(dir, "tokens/captions.txt",
                "\uFEFFa.jpg#0\tA dog .\r\n\r\na.jpg#1\tA brown dog\r\nb.jpg#0\tA cat\r\n   \r\n");
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Fixtures.write(lists, Flickr8kReader.TRAIN_LIST, "\uFEFFa.jpg\r\n\r\n");
        Fixtures.write(lists, Flickr8kReader.TEST_LIST, "b.jpg\n");
        CaptionCorpus corpus = CorpusReader.read(token, lists);
        assertEquals(List.of("a.jpg", "b.jpg"), corpus.images().stream().map(CorpusImage::id).toList());
        assertEquals(List.of("A dog .", "A brown dog"), corpus.images().get(0).captions());
        assertEquals(List.of(Split.TRAIN, Split.TEST), corpus.images().stream().map(CorpusImage::split).toList());
        // the token file's own folder has no lists: all images are in no split
        assertEquals(List.of(Split.NONE, Split.NONE), CorpusReader.read(token).images().stream()
                .map(CorpusImage::split).toList());
    }

    @Test
    void refusesAMalformedLineWithItsNumber() {
        Path token = Fixtures.write(dir, "t.txt", "a.jpg#0\tA dog\n\nb.jpg A cat without an index\n");
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(token));
        assertEquals("captions file " + token + ": line 3: expected 'image.jpg#0<TAB>caption',"
                + " found 'b.jpg A cat without an index'", e.getMessage());
        Path empty = Fixtures.write(dir, "u.txt", "a.jpg#0\tA dog\na.jpg#1\t  \n");
        e = assertThrows(InputException.class, () -> CorpusReader.read(empty));
        assertEquals("captions file " + empty + ": line 2: expected 'image.jpg#0<TAB>caption', found 'a.jpg#1<TAB>  '",
                e.getMessage());
    }

    @Test
    void refusesAnImageInTwoSplitLists() {
        Path token = Fixtures.write(dir, "t.txt", "a.jpg#0\tA dog\n");
        Fixtures.write(dir, Flickr8kReader.TRAIN_LIST, "a.jpg\n");
        Path dev = Fixtures.write(dir, Flickr8kReader.VAL_LIST, "b.jpg\na.jpg\n");
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(token));
        assertEquals("Flickr8k split list " + dev + ": line 2: image a.jpg is already in the train list", e.getMessage());
    }

    @Test
    void refusesASplitFolderThatIsNotAFolder() {
        Path token = Fixtures.write(dir, "t.txt", "a.jpg#0\tA dog\n");
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(token, dir.resolve("nope")));
        assertEquals("Flickr8k split folder " + dir.resolve("nope") + ": not a folder", e.getMessage());
    }

    @Test
    void refusesTextThatIsNotUtf8() throws IOException {
        Path token = dir.resolve("latin1.txt");
        Files.write(token, new byte[] {'a', '.', 'j', 'p', 'g', '#', '0', '\t', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        InputException e = assertThrows(InputException.class, () -> CorpusReader.read(token));
        assertEquals("captions file " + token + ": not UTF-8 text", e.getMessage());
    }
}

package ai.glimpse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading results and COCO captions files, and every refusal with its one-line message. */
class CocoCaptionFilesTest {
    private static final String ANNOTATIONS = """
            {"info": {"year": 2014}, "images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2}, {"id": 3}],
             "licenses": [],
             "annotations": [
               {"id": 10, "image_id": 1, "caption": "A dog runs."},
               {"id": 11, "image_id": 2, "caption": "A red bus."},
               {"id": 12, "image_id": 1, "caption": "The dog is running."},
               {"id": 13, "image_id": 3, "caption": "Two cats."}]}
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String refusal(String results) throws IOException {
        Path r = write("r.json", results);
        Path a = write("a.json", ANNOTATIONS);
        return assertThrows(InputException.class, () -> CocoCaptionFiles.load(r, a)).getMessage();
    }

    private String annotationsRefusal(String annotations) throws IOException {
        Path a = write("a.json", annotations);
        return assertThrows(InputException.class, () -> CocoCaptionFiles.readAnnotations(a)).getMessage();
    }

    @Test
    void loadsOnlyTheImagesWithResultsInResultsOrder() throws IOException {
        Path r = write("r.json", "[{\"image_id\": 2, \"caption\": \"a bus\"}, {\"image_id\": \"1\", \"caption\": \"\"}]");
        Path a = write("a.json", ANNOTATIONS);
        EvalSet set = CocoCaptionFiles.load(r, a);
        assertEquals(List.of("2", "1"), List.copyOf(set.candidates().keySet()));   // image 3 has no result
        assertEquals(Map.of("2", "a bus", "1", ""), set.candidates());               // "1" and 1 are one image
        assertEquals(List.of("A dog runs.", "The dog is running."), set.references().get("1"));
        assertEquals(List.of("A red bus."), set.references().get("2"));
    }

    @Test
    void refusesBrokenResultsFilesNamingTheFileAndTheProblem() throws IOException {
        String r = dir.resolve("r.json").toString();
        assertEquals("results file " + r + ": file is empty", refusal(""));
        assertEquals("results file " + r + ": file is empty", refusal("  \n"));
        assertEquals("results file " + r + ": expected a JSON list of {\"image_id\", \"caption\"} objects, found an object",
                refusal("{\"image_id\": 1, \"caption\": \"x\"}"));
        assertEquals("results file " + r + ": the list is empty, nothing to evaluate", refusal("[]"));
        assertEquals("results file " + r + ": results[1] has no \"caption\"",
                refusal("[{\"image_id\": 1, \"caption\": \"x\"}, {\"image_id\": 2}]"));
        assertEquals("results file " + r + ": results[0] has no \"image_id\"", refusal("[{\"caption\": \"x\"}]"));
        assertEquals("results file " + r + ": results[0] is a string, expected an object with \"image_id\" and \"caption\"",
                refusal("[\"a dog\"]"));
        assertEquals("results file " + r + ": results[0].caption is a number, expected a string",
                refusal("[{\"image_id\": 1, \"caption\": 5}]"));
        assertEquals("results file " + r + ": results[0].image_id is 1.5, expected an integer or a non-blank string",
                refusal("[{\"image_id\": 1.5, \"caption\": \"x\"}]"));
        assertEquals("results file " + r + ": unexpected content (a list) after the end of the JSON value (line 1)",
                refusal("[{\"image_id\": 1, \"caption\": \"x\"}] []"));
    }

    @Test
    void refusesMalformedJsonWithItsPosition() throws IOException {
        String msg = refusal("[{\"image_id\": 1, \"caption\": \"x\"},\n {\"image_id\": 2 \"caption\": \"y\"}]");
        assertEquals("results file " + dir.resolve("r.json") + ": not valid JSON at line 2, column 17 (Unexpected character"
                + " ('\"' (code 34)): was expecting comma to separate Object entries)", msg);
        assertFalse(msg.contains("\n"), msg);
        String truncated = refusal("[{\"image_id\": 1, \"caption\": \"x\"}");
        assertTrue(truncated.contains(": not valid JSON at line 1"), truncated);
    }

    @Test
    void refusesDuplicateImageIdsSayingWhichAndWhere() throws IOException {
        assertEquals("results file " + dir.resolve("r.json") + ": image id 1 has two captions (results[0] and results[2]);"
                        + " give one caption per image",
                refusal("[{\"image_id\": 1, \"caption\": \"x\"}, {\"image_id\": 2, \"caption\": \"y\"},"
                        + " {\"image_id\": \"1\", \"caption\": \"z\"}]"));
    }

    @Test
    void refusesResultsForImagesThatAreNotInTheAnnotations() throws IOException {
        assertEquals("results file " + dir.resolve("r.json") + ": image id 7 is not in annotations file "
                        + dir.resolve("a.json") + " (nor are 1 more)",
                refusal("[{\"image_id\": 7, \"caption\": \"x\"}, {\"image_id\": 1, \"caption\": \"y\"},"
                        + " {\"image_id\": 8, \"caption\": \"z\"}]"));
    }

    @Test
    void refusesMissingFiles() throws IOException {
        Path a = write("a.json", ANNOTATIONS);
        Path missing = dir.resolve("missing.json");
        assertEquals("results file " + missing + ": no such file",
                assertThrows(InputException.class, () -> CocoCaptionFiles.load(missing, a)).getMessage());
        assertEquals("annotations file " + missing + ": no such file",
                assertThrows(InputException.class, () -> CocoCaptionFiles.readAnnotations(missing)).getMessage());
    }

    @Test
    void refusesBrokenAnnotationsFiles() throws IOException {
        String a = "annotations file " + dir.resolve("a.json");
        assertEquals(a + ": file is empty", annotationsRefusal(""));
        assertEquals(a + ": expected a COCO captions object with \"annotations\", found a list",
                annotationsRefusal("[{\"image_id\": 1, \"caption\": \"x\"}]"));
        assertEquals(a + ": not a COCO captions file (no \"annotations\" key)",
                annotationsRefusal("{\"images\": [{\"id\": 1}]}"));
        assertEquals(a + ": \"annotations\" is an object, expected a list", annotationsRefusal("{\"annotations\": {}}"));
        assertEquals(a + ": \"annotations\" is empty, no reference captions", annotationsRefusal("{\"annotations\": []}"));
        assertEquals(a + ": annotations[1] has no \"caption\"",
                annotationsRefusal("{\"annotations\": [{\"image_id\": 1, \"caption\": \"x\"}, {\"image_id\": 1}]}"));
        assertEquals(a + ": annotations[0].caption is null, expected a string",
                annotationsRefusal("{\"annotations\": [{\"image_id\": 1, \"caption\": null}]}"));
    }
}

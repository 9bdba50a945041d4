package ai.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.Repo;
import ai.glimpse.api.Glimpse;
import ai.glimpse.testing.Chromium;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web page in a real browser (headless Chromium over the DevTools protocol): open it, upload an
 * image through the file input, wait for the caption, hover a word and check that the mask over the
 * image changes, step with the arrow keys, and save a screenshot to {@code target/browser-test/}.
 * Skipped, saying why, where no Chromium is installed ({@code .ci/run} installs Debian's).
 */
class BrowserTest {
    /** The mask's step and a digest of its pixels. */
    private static final String MASK = "(function(){var m=document.getElementById('mask');var d=m.toDataURL();"
            + "var h=0;for(var i=0;i<d.length;i++){h=(h*31+d.charCodeAt(i))|0;}return m.getAttribute('data-step')+':'+h;})()";

    @Test
    void hoveringAWordChangesTheMask() throws Exception {
        Optional<Path> binary = Chromium.find();
        Assumptions.assumeTrue(binary.isPresent(),
                "no Chromium here (/usr/bin/chromium or $CHROMIUM): apt-get install chromium, as .ci/run does");
        Path image = Repo.file("datasets/samples/shapes_2.png");
        Path shots = Files.createDirectories(Path.of("target", "browser-test").toAbsolutePath());
        try (Glimpse glimpse = Glimpse.load(ServeHttpTest.MODEL);
             GlimpseServer server = GlimpseServer.start(glimpse,
                     ServeConfig.defaults(glimpse.preprocessing().maxPixels()).withAddress("127.0.0.1", 0));
             Chromium browser = Chromium.start(binary.get(), 1000, 1100)) {
            browser.send("Page.enable", Map.of());
            browser.send("Page.navigate", Map.of("url", "http://127.0.0.1:" + server.port() + "/"));
            browser.waitFor("document.readyState === 'complete' && document.getElementById('file')", 20);

            JsonNode input = browser.send("Runtime.evaluate", Map.of("expression", "document.getElementById('file')"));
            String objectId = input.path("result").path("objectId").asText();
            browser.send("DOM.setFileInputFiles", Map.of("files", new String[] {image.toString()}, "objectId", objectId));
            browser.waitFor("document.body.getAttribute('data-state') === 'done'", 60);

            int words = browser.eval("document.querySelectorAll('button.word').length").asInt();
            assertTrue(words >= 3, "words shown: " + words);
            String caption = browser.eval("document.getElementById('status').textContent").asText();
            String first = browser.eval(MASK).asText();
            assertTrue(first.startsWith("0:"), first);

            // hover the last word (before <end>): its mask is drawn instead of the first's
            int last = words - 2;
            JsonNode box = browser.eval("(function(){var r=document.querySelector('button.word[data-step=\"" + last + "\"]')"
                    + ".getBoundingClientRect();return {x:r.x+r.width/2,y:r.y+r.height/2};})()");
            double x = box.get("x").asDouble();
            double y = box.get("y").asDouble();
            browser.send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
            browser.waitFor("document.getElementById('mask').getAttribute('data-step') === '" + last + "'", 10);
            String hovered = browser.eval(MASK).asText();
            assertNotEquals(first.split(":")[1], hovered.split(":")[1], "the mask's pixels did not change: " + hovered);
            assertEquals("true", browser.eval("document.querySelector('button.word[data-step=\"" + last + "\"]').classList.contains('active')").asText());
            screenshot(browser, shots.resolve("serve-page-hover.png"));

            // the arrow keys step through the words
            browser.send("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", "ArrowLeft", "code", "ArrowLeft",
                    "windowsVirtualKeyCode", 37));
            browser.send("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "ArrowLeft", "code", "ArrowLeft",
                    "windowsVirtualKeyCode", 37));
            browser.waitFor("document.getElementById('mask').getAttribute('data-step') === '" + (last - 1) + "'", 10);
            assertNotEquals(hovered.split(":")[1], browser.eval(MASK).asText().split(":")[1]);
            assertTrue(caption.contains("\u201c"), caption);
            screenshot(browser, shots.resolve("serve-page-arrow.png"));
        }
    }

    private static void screenshot(Chromium browser, Path file) throws Exception {
        String png = browser.send("Page.captureScreenshot", Map.of("format", "png")).path("data").asText();
        Files.write(file, Base64.getDecoder().decode(png));
    }
}

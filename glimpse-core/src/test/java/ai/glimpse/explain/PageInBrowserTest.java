package ai.glimpse.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.decode.Caption;
import ai.glimpse.testing.Chromium;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explain page in headless Chromium, offline: every picture loads from the page itself, pointing at
 * a word shows its attention, the arrow keys walk the words, the figure stays in view while the table
 * scrolls, and the masked caption's words show their own attention. Skipped, saying so, where no Chromium
 * is installed ({@code apt-get install chromium}, or GLIMPSE_CHROMIUM=/path/to/chrome).
 */
class PageInBrowserTest {
    private static final int GRID = 4;

    @Test
    void theWordsDriveTheFigureByMouseAndKeyboard(@TempDir Path tmp) throws Exception {
        java.util.Optional<Path> browser = Chromium.find();
        Assumptions.assumeTrue(browser.isPresent(), "no Chromium on this machine (apt-get install chromium): page test skipped");
        List<String> words = List.of("a", "small", "red", "circle", "on", "the", "grass", "next", "to", "a", "blue", "square");
        List<float[]> alphas = new ArrayList<>();
        List<Explanation.StepTest> tests = new ArrayList<>();
        for (int t = 0; t <= words.size(); t++) {
            alphas.add(Pictures.oneHot(GRID, t % (GRID * GRID)));
            tests.add(new Explanation.StepTest(-0.5, t % 2 == 0 ? 1.0 : 0.0, 0.1, 0.9, "x", "y", new int[] {t % 16},
                    new int[] {15 - t % 16}, t % 2 == 0));
        }
        Caption caption = Pictures.finished(words, alphas.toArray(float[][]::new));
        boolean[] masked = new boolean[GRID * GRID];
        masked[0] = true;
        Caption other = Pictures.finished(List.of("a", "square"), Pictures.uniform(GRID), Pictures.oneHot(GRID, 7),
                Pictures.uniform(GRID));
        Explanation e = new Explanation(caption, new Explanation.Faithfulness(0.2, 4, "step", tests),
                new Explanation.Counterfactual("0,0,16,16, blank fill", masked, other));
        ExplainFiles files = new ExplainWriter(ExplainOptions.defaults()).write(e, Pictures.twoShapes(64, 64),
                new ImageOptions(64, ResizePolicy.SQUARE, false, ImageOptions.DEFAULT_MAX_PIXELS), tmp.resolve("page"));

        try (Chromium chrome = Chromium.start(browser.get(), 1200, 900)) {
            chrome.open(files.page());
            assertTrue(chrome.eval("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)").asBoolean(),
                    "every picture decodes from the page itself");
            assertEquals(0, chrome.eval("performance.getEntriesByType('resource').length").asInt(), "nothing fetched");
            assertEquals(0, visible(chrome, 0).size(), "no overlay before a word is chosen");

            JsonNode box = chrome.eval("(() => { const r = document.querySelector('button.pick[data-side=\"0\"][data-step=\"3\"]')"
                    + ".getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
            assertTrue(box.get("y").asDouble() < chrome.eval("window.innerHeight").asDouble(), "the word is in view: " + box);
            chrome.mouseTo(box.get("x").asDouble(), box.get("y").asDouble());
            assertEquals(List.of("3"), visible(chrome, 0), "hovering 'circle' shows its overlay only");
            assertTrue(chrome.eval("document.getElementById('status-0').textContent").asText().contains("circle"));
            chrome.mouseTo(1190, 890);                                   // away: back to rest
            assertEquals(0, visible(chrome, 0).size());

            chrome.eval("document.querySelector('button.pick[data-side=\"0\"]').focus()");
            chrome.press("ArrowRight", 39);
            chrome.press("ArrowRight", 39);
            assertEquals("2", chrome.eval("document.activeElement.getAttribute('data-step')").asText(), "two words right");
            assertEquals(List.of("2"), visible(chrome, 0));
            chrome.press("ArrowLeft", 37);
            assertEquals(List.of("1"), visible(chrome, 0), "and one back");
            assertTrue(chrome.eval("document.getElementById('status-0').textContent").asText().contains("small"));

            JsonNode masked1 = chrome.eval("(() => { const r = document.querySelector('button.pick[data-side=\"1\"][data-step=\"1\"]')"
                    + ".getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
            chrome.mouseTo(masked1.get("x").asDouble(), masked1.get("y").asDouble());
            assertEquals(List.of("1"), visible(chrome, 1), "the masked caption's word shows its own attention");

            chrome.eval("window.scrollTo(0, document.body.scrollHeight)");
            double top = chrome.eval("document.querySelector('.figures').getBoundingClientRect().top").asDouble();
            assertTrue(chrome.eval("window.scrollY").asDouble() > 0, "the page is taller than the window");
            Files.write(Path.of("target", "explain-page.png"), chrome.screenshot());
            assertEquals(0, top, 1, "the figure stays in view while the table scrolls: "
                    + chrome.eval("JSON.stringify([window.scrollY, window.innerHeight, document.body.getBoundingClientRect(), "
                    + "document.querySelector('.figures').getBoundingClientRect(), getComputedStyle(document.querySelector('.figures')).position])").asText());
        }
    }

    /** The steps whose overlay is showing on one side of the page. */
    private static List<String> visible(Chromium chrome, int side) throws Exception {
        List<String> out = new ArrayList<>();
        chrome.eval("Array.from(document.querySelectorAll('img.mask[data-side=\"" + side + "\"]'))"
                + ".filter(m => !m.hidden).map(m => m.getAttribute('data-step'))").forEach(n -> out.add(n.asText()));
        return out;
    }
}

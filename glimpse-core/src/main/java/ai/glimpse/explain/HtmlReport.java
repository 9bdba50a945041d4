package ai.glimpse.explain;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page of one caption's attention: the image, the caption as words, and the
 * attention of the word under the mouse or keyboard focus laid over the image, with the
 * log-probability and every step's gate beta. Nothing is fetched from anywhere: the pictures are
 * base64 {@code data:} URIs, style and script are inline, and a Content-Security-Policy forbids any
 * other source, so the page works offline and leaks nothing when opened.
 */
final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#1d1d1f;background:#fafafa;max-width:60em}
            h1{font-size:1.3em;margin:0 0 .6em}
            .caption{display:flex;flex-wrap:wrap;gap:.35em;margin:.4em 0 1em}
            .pick{cursor:pointer}
            button.pick{font:inherit;font-size:1.15em;padding:.25em .55em;border:1px solid #bbb;border-radius:.4em;background:#fff}
            button.pick small{display:block;font-size:.6em;color:#666}
            .pick.active,button.pick:focus{outline:3px solid #e35933;background:#fff4e8}
            tr.pick.active{background:#fff4e8}
            figure{position:relative;display:inline-block;margin:0}
            figure img{display:block;max-width:100%;height:auto}
            figure img.mask{position:absolute;top:0;left:0;width:100%}
            figure img.mask[hidden]{display:none}
            figcaption{margin:.4em 0;color:#444;min-height:1.4em}
            table{border-collapse:collapse;margin-top:1em}
            td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            .meta{color:#555;font-size:.9em}
            """;
    /** Shows the overlay of the word under the mouse, else of the focused word (Tab or click), else none. */
    private static final String SCRIPT = """
            (function () {
              var masks = document.querySelectorAll('img.mask');
              var picks = document.querySelectorAll('.pick');
              var status = document.getElementById('status');
              var idle = status.textContent;
              function show(step, text) {
                masks.forEach(function (m) { m.hidden = m.getAttribute('data-step') !== step; });
                picks.forEach(function (p) { p.classList.toggle('active', p.getAttribute('data-step') === step); });
                status.textContent = step === null ? idle : text;
              }
              function rest() {
                var f = document.activeElement;
                if (f && f.classList && f.classList.contains('pick')) {
                  show(f.getAttribute('data-step'), f.getAttribute('data-label'));
                } else {
                  show(null, '');
                }
              }
              picks.forEach(function (p) {
                var step = p.getAttribute('data-step');
                var text = p.getAttribute('data-label');
                p.addEventListener('mouseenter', function () { show(step, text); });
                p.addEventListener('focus', function () { show(step, text); });
                p.addEventListener('mouseleave', rest);
                p.addEventListener('blur', function () { setTimeout(rest, 0); });
              });
            })();
            """;

    private HtmlReport() {
    }

    /**
     * The page.
     *
     * @param original JPEG bytes of the image
     * @param overlays JPEG bytes of each shown step's overlay, in the order of {@code steps}
     * @param facts    what the page says about the caption and the crop
     */
    static String render(byte[] original, List<byte[]> overlays, List<AttentionStep> steps, Facts facts) {
        if (overlays.size() != steps.size()) {
            throw new IllegalArgumentException(overlays.size() + " overlays for " + steps.size() + " steps");
        }
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Attention: ").append(escape(facts.caption())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>Where the model looked: \u201c").append(escape(facts.caption())).append("\u201d</h1>\n")
                .append("<div class=\"caption\" role=\"list\">\n");
        for (AttentionStep step : steps) {
            h.append("<button type=\"button\" class=\"pick\" role=\"listitem\" data-step=\"").append(step.index())
                    .append("\" data-label=\"").append(escape(statusText(step))).append("\">")
                    .append(escape(step.word())).append("<small>\u03b2 ").append(fixed(step.beta(), 2))
                    .append("</small></button>\n");
        }
        h.append("</div>\n<figure>\n<img src=\"").append(dataUri(original)).append("\" alt=\"the image\">\n");
        for (int i = 0; i < steps.size(); i++) {
            AttentionStep step = steps.get(i);
            h.append("<img class=\"mask\" hidden data-step=\"").append(step.index()).append("\" alt=\"attention for ")
                    .append(escape(step.word())).append("\" src=\"").append(dataUri(overlays.get(i))).append("\">\n");
        }
        h.append("<figcaption id=\"status\" aria-live=\"polite\">")
                .append(steps.isEmpty() ? "This caption has no attention steps."
                        : "Point at a word, or focus it with Tab, to see where the model looked.")
                .append("</figcaption>\n</figure>\n");
        h.append("<p class=\"meta\">log-probability ").append(fixed(facts.logProb(), 4))
                .append(" (natural log, summed over the steps); ")
                .append(facts.finished() ? "the caption ended with &lt;end&gt;" : "the caption did not end (maximum length)")
                .append("; attention grid ").append(facts.grid()).append("\u00d7").append(facts.grid())
                .append(" over ").append(escape(facts.cropDescription())).append(".</p>\n");
        h.append("<table>\n<thead><tr><th>step</th><th>word</th><th>\u03b2 (gate)</th><th>largest \u03b1</th>")
                .append("<th>region (row, column)</th></tr></thead>\n<tbody>\n");
        for (AttentionStep step : steps) {
            int l = step.hottestRegion();
            h.append("<tr class=\"pick\" tabindex=\"0\" data-step=\"").append(step.index()).append("\" data-label=\"")
                    .append(escape(statusText(step))).append("\"><td class=\"num\">").append(step.index() + 1)
                    .append("</td><td>").append(escape(step.word())).append("</td><td class=\"num\">")
                    .append(fixed(step.beta(), 3)).append("</td><td class=\"num\">").append(fixed(step.alpha()[l], 3))
                    .append("</td><td class=\"num\">").append(l / facts.grid()).append(", ").append(l % facts.grid())
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    /**
     * What the page states besides the steps.
     *
     * @param cropDescription where the grid lies, in words, e.g. "the centre 200x200 of the 300x200 image"
     */
    record Facts(String caption, double logProb, boolean finished, int grid, String cropDescription) {
    }

    private static String statusText(AttentionStep step) {
        return "step " + (step.index() + 1) + ": " + step.word() + " \u2014 gate \u03b2 = " + fixed(step.beta(), 3)
                + ", largest \u03b1 = " + fixed(step.alpha()[step.hottestRegion()], 3);
    }

    private static String dataUri(byte[] jpeg) {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
    }

    private static String fixed(double value, int digits) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + digits + "f", value) : String.valueOf(value);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

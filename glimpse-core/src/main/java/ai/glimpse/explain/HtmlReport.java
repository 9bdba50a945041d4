package ai.glimpse.explain;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page of one caption's attention: the image, the caption as words, and the
 * attention of the word under the mouse or keyboard focus laid over the image (the arrow keys move from
 * word to word), with the log-probability, every step's gate beta, its peak against uniform attention,
 * the deletion test's result when it was run, and a colour legend. The figure stays in view while the
 * table scrolls. With a counterfactual, the masked image and its caption stand beside the original, each
 * word of either caption showing its own attention. Nothing is fetched from anywhere: the pictures are
 * base64 {@code data:} URIs, style and script are inline, and a Content-Security-Policy forbids any other
 * source, so the page works offline and leaks nothing when opened.
 */
final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#1d1d1f;background:#fafafa;max-width:72em}
            h1{font-size:1.3em;margin:0 0 .6em}
            h2{font-size:1.05em;margin:1.2em 0 .4em}
            .figures{position:sticky;top:0;z-index:1;background:#fafafa;padding:.4em 0;display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start;max-height:calc(100vh - 1.5em);overflow-y:auto;box-sizing:border-box}
            .side{width:min(100%,512px,55vh)}
            .side h2{margin:0 0 .3em;font-size:.95em;color:#444;font-weight:600}
            .caption{display:flex;flex-wrap:wrap;gap:.35em;margin:.4em 0 .4em}
            .pick{cursor:pointer}
            button.pick{font:inherit;font-size:1.05em;padding:.2em .5em;border:1px solid #bbb;border-radius:.4em;background:#fff}
            button.pick small{display:block;font-size:.6em;color:#666}
            button.pick.faithful{border-color:#1a7f37}
            button.pick.unfaithful{border-color:#b03020;border-style:dashed}
            .pick.active,button.pick:focus{outline:3px solid #e35933;background:#fff4e8}
            tr.pick.active{background:#fff4e8}
            figure{position:relative;display:block;margin:0}
            figure img{display:block;width:100%;height:auto}
            figure img.mask{position:absolute;top:0;left:0;width:100%}
            figure img.mask[hidden]{display:none}
            figcaption{margin:.4em 0;color:#444;min-height:2.8em;font-size:.92em}
            .legend{width:min(100%,300px);font-size:.8em;color:#444}
            .legend .bar{height:12px;border:1px solid #444}
            .legend .ticks{position:relative;height:1.4em}
            .legend .ticks span{position:absolute;transform:translateX(-50%);white-space:nowrap;top:.15em}
            .legend .ticks span:first-child{transform:none}
            .legend .ticks span:last-child{transform:translateX(-100%)}
            table{border-collapse:collapse;margin-top:1em}
            td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            td.good{color:#1a7f37}
            td.bad{color:#b03020}
            .meta{color:#555;font-size:.9em}
            """;
    /**
     * Shows, per side, the overlay of the word under the mouse, else of the focused word (Tab, click or the
     * arrow keys), else none.
     */
    private static final String SCRIPT = """
            (function () {
              function each(list, f) { Array.prototype.forEach.call(list, f); }
              function show(side, step, text) {
                each(document.querySelectorAll('img.mask[data-side="' + side + '"]'), function (m) {
                  m.hidden = m.getAttribute('data-step') !== step;
                });
                each(document.querySelectorAll('.pick[data-side="' + side + '"]'), function (p) {
                  p.classList.toggle('active', p.getAttribute('data-step') === step);
                });
                var status = document.getElementById('status-' + side);
                status.textContent = step === null ? status.getAttribute('data-idle') : text;
              }
              function rest(side) {
                var f = document.activeElement;
                if (f && f.classList && f.classList.contains('pick') && f.getAttribute('data-side') === side) {
                  show(side, f.getAttribute('data-step'), f.getAttribute('data-label'));
                } else {
                  show(side, null, '');
                }
              }
              each(document.querySelectorAll('.pick'), function (p) {
                var side = p.getAttribute('data-side');
                var step = p.getAttribute('data-step');
                var text = p.getAttribute('data-label');
                p.addEventListener('mouseenter', function () { show(side, step, text); });
                p.addEventListener('focus', function () { show(side, step, text); });
                p.addEventListener('mouseleave', function () { rest(side); });
                p.addEventListener('blur', function () { setTimeout(function () { rest(side); }, 0); });
              });
              document.addEventListener('keydown', function (e) {
                if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') {
                  return;
                }
                var f = document.activeElement;
                var side = f && f.getAttribute && f.getAttribute('data-side') !== null ? f.getAttribute('data-side') : '0';
                var words = Array.prototype.slice.call(document.querySelectorAll('button.pick[data-side="' + side + '"]'));
                if (words.length === 0) {
                  return;
                }
                var i = words.indexOf(f);
                var next = i < 0 ? 0 : Math.max(0, Math.min(words.length - 1, i + (e.key === 'ArrowRight' ? 1 : -1)));
                words[next].focus();
                e.preventDefault();
              });
            })();
            """;

    private HtmlReport() {
    }

    /**
     * One image and caption as the page shows it.
     *
     * @param title    what the image is ("the image", or what was masked)
     * @param original JPEG bytes of the image
     * @param overlays JPEG bytes of each shown step's overlay, in the order of {@code steps}
     * @param tests    the deletion test of every step of the caption (indexed by step), or null
     */
    record Side(String title, byte[] original, List<byte[]> overlays, List<AttentionStep> steps,
            Explanation.Faithfulness tests, String caption, double logProb, boolean finished) {
        Side {
            if (overlays.size() != steps.size()) {
                throw new IllegalArgumentException(overlays.size() + " overlays for " + steps.size() + " steps");
            }
        }
    }

    /**
     * What the page states besides the steps.
     *
     * @param cropDescription where the grid lies, in words, e.g. "the centre 200x200 of the 300x200 image"
     */
    record Facts(String caption, int grid, String cropDescription, ColourMap colours, HeatScale scale) {
    }

    /** The page of one side, or of the original and a counterfactual side by side ({@code masked} may be null). */
    static String render(Side original, Side masked, Facts facts) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Attention: ").append(escape(facts.caption())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>Where the model looked: \u201c").append(escape(facts.caption())).append("\u201d</h1>\n")
                .append("<div class=\"figures\">\n");
        figure(h, original, 0, masked != null);
        if (masked != null) {
            figure(h, masked, 1, true);
        }
        legend(h, facts);
        h.append("</div>\n");
        meta(h, original, facts);
        table(h, original, 0, facts, masked != null);
        if (masked != null) {
            h.append("<p class=\"meta\">With ").append(escape(masked.title())).append(": log-probability ")
                    .append(fixed(masked.logProb(), 4)).append("; ")
                    .append(masked.finished() ? "the caption ended with &lt;end&gt;." : "the caption did not end (maximum length).")
                    .append("</p>\n");
            table(h, masked, 1, facts, true);
        }
        h.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void figure(StringBuilder h, Side side, int index, boolean titled) {
        h.append("<div class=\"side\" data-side=\"").append(index).append("\">\n");
        if (titled) {
            h.append("<h2>").append(index == 0 ? "The image: " : "Masked: ").append("\u201c").append(escape(side.caption()))
                    .append("\u201d</h2>\n");
        }
        h.append("<figure>\n<img src=\"").append(dataUri(side.original())).append("\" alt=\"").append(escape(side.title()))
                .append("\">\n");
        for (int i = 0; i < side.steps().size(); i++) {
            AttentionStep step = side.steps().get(i);
            h.append("<img class=\"mask\" hidden data-side=\"").append(index).append("\" data-step=\"").append(step.index())
                    .append("\" alt=\"attention for ").append(escape(step.word())).append("\" src=\"")
                    .append(dataUri(side.overlays().get(i))).append("\">\n");
        }
        String idle = side.steps().isEmpty() ? "This caption has no attention steps."
                : "Point at a word, focus it with Tab, or move with the arrow keys, to see where the model looked.";
        h.append("<figcaption id=\"status-").append(index).append("\" aria-live=\"polite\" data-idle=\"")
                .append(escape(idle)).append("\">").append(escape(idle)).append("</figcaption>\n</figure>\n");
        h.append("<div class=\"caption\" role=\"list\">\n");
        for (AttentionStep step : side.steps()) {
            Explanation.StepTest test = side.tests() == null ? null : side.tests().steps().get(step.index());
            String cls = test == null ? "pick" : "pick " + (test.faithful() ? "faithful" : "unfaithful");
            h.append("<button type=\"button\" class=\"").append(cls).append("\" role=\"listitem\" data-side=\"").append(index)
                    .append("\" data-step=\"").append(step.index()).append("\" data-label=\"")
                    .append(escape(statusText(step, test, side.tests()))).append("\">")
                    .append(escape(step.word())).append("<small>\u03b2 ").append(fixed(step.beta(), 2))
                    .append("</small></button>\n");
        }
        h.append("</div>\n</div>\n");
    }

    private static void legend(StringBuilder h, Facts facts) {
        int regions = Math.max(1, facts.grid() * facts.grid());
        h.append("<div class=\"legend\" aria-label=\"colour legend\">\n<div class=\"bar\" style=\"background:")
                .append(Legend.cssGradient(facts.colours())).append("\"></div>\n<div class=\"ticks\">");
        for (HeatScale.Tick tick : Legend.ticks(facts.scale(), regions)) {
            h.append("<span style=\"left:").append(String.format(Locale.ROOT, "%.1f", 100 * tick.heat())).append("%\">")
                    .append(escape(tick.text())).append("</span>");
        }
        h.append("</div>\n<div>colour: ").append(escape(facts.scale().description(regions))).append("</div>\n</div>\n");
    }

    private static void meta(StringBuilder h, Side side, Facts facts) {
        h.append("<p class=\"meta\">log-probability ").append(fixed(side.logProb(), 4))
                .append(" (natural log, summed over the steps); ")
                .append(side.finished() ? "the caption ended with &lt;end&gt;" : "the caption did not end (maximum length)")
                .append("; attention grid ").append(facts.grid()).append("\u00d7").append(facts.grid())
                .append(" over ").append(escape(facts.cropDescription())).append(".");
        Explanation.Faithfulness f = side.tests();
        if (f != null) {
            long faithful = f.steps().stream().filter(Explanation.StepTest::faithful).count();
            h.append(" Deletion test: for each word, the ").append(f.regions()).append(" cells (")
                    .append(Math.round(100 * f.share())).append("%) holding most of its attention were replaced by the image's ")
                    .append("mean feature, and as a control the ").append(f.regions()).append(" cells it attended least")
                    .append(f.scope().equals("step") ? " (at the word's own step; the steps before it saw the whole image)"
                            : " (from the first step on)")
                    .append("; the columns give the change in the word's log-probability. For ").append(faithful).append(" of ")
                    .append(f.steps().size()).append(" steps, masking where the word looked hurt it more than the control, by more than 0.01 "
                            + "(solid border; dashed: it did not).");
        }
        h.append("</p>\n");
    }

    private static void table(StringBuilder h, Side side, int index, Facts facts, boolean titled) {
        Explanation.Faithfulness f = side.tests();
        if (titled) {
            h.append("<h2>").append(index == 0 ? "The image" : "Masked").append(": \u201c").append(escape(side.caption()))
                    .append("\u201d</h2>\n");
        }
        h.append("<table>\n<thead><tr><th>step</th><th>word</th><th>\u03b2 (gate)</th><th>largest \u03b1</th>")
                .append("<th>peak / uniform</th><th>region (row, column)</th>");
        if (f != null) {
            h.append("<th>\u0394 log p, top ").append(Math.round(100 * f.share())).append("% masked</th>")
                    .append("<th>\u0394 log p, control</th><th>then says</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (AttentionStep step : side.steps()) {
            int l = step.hottestRegion();
            Explanation.StepTest test = f == null ? null : f.steps().get(step.index());
            h.append("<tr class=\"pick\" tabindex=\"0\" data-side=\"").append(index).append("\" data-step=\"").append(step.index())
                    .append("\" data-label=\"").append(escape(statusText(step, test, f))).append("\"><td class=\"num\">")
                    .append(step.index() + 1).append("</td><td>").append(escape(step.word())).append("</td><td class=\"num\">")
                    .append(fixed(step.beta(), 3)).append("</td><td class=\"num\">").append(fixed(step.alpha()[l], 3))
                    .append("</td><td class=\"num\">").append(fixed(step.peakOverUniform(), 1)).append("\u00d7</td><td class=\"num\">")
                    .append(l / Math.max(1, facts.grid())).append(", ").append(l % Math.max(1, facts.grid())).append("</td>");
            if (test != null) {
                String cls = test.faithful() ? "num good" : "num bad";
                h.append("<td class=\"").append(cls).append("\">").append(signed(-test.dropTop())).append("</td><td class=\"num\">")
                        .append(signed(-test.dropControl())).append("</td><td>").append(escape(test.topWord())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static String statusText(AttentionStep step, Explanation.StepTest test, Explanation.Faithfulness f) {
        String text = "step " + (step.index() + 1) + ": " + step.word() + " \u2014 gate \u03b2 = " + fixed(step.beta(), 3)
                + ", largest \u03b1 = " + fixed(step.alpha()[step.hottestRegion()], 3) + " (" + fixed(step.peakOverUniform(), 1)
                + "\u00d7 uniform)";
        if (test == null) {
            return text;
        }
        return text + ". Masking the " + Math.round(100 * f.share()) + "% of regions it looked at most ("
                + fixed(100 * test.topMass(), 0) + "% of its attention): log p " + signed(-test.dropTop())
                + ", the model would then say \u201c" + test.topWord() + "\u201d; masking as many it ignored: "
                + signed(-test.dropControl()) + (test.faithful() ? "." : " \u2014 its attention does not explain it.");
    }

    private static String dataUri(byte[] jpeg) {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
    }

    private static String fixed(double value, int digits) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + digits + "f", value) : String.valueOf(value);
    }

    private static String signed(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.2f", value).replace('-', '\u2212') : String.valueOf(value);
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

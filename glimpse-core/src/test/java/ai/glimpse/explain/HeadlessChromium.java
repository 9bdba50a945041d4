package ai.glimpse.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless Chromium driven over the DevTools protocol (a WebSocket, java.net.http), for tests of the
 * explain page: open a file, evaluate script, move the mouse, press keys, take screenshots. Started with
 * a fresh profile, no network services and no sandbox (tests may run as root); {@link #close} ends it
 * and its children.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");

    private final Process process;
    private final WebSocket socket;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private int nextId;

    /** The browser's executable: $GLIMPSE_CHROMIUM, else chromium, chromium-browser or google-chrome on the PATH; null when none. */
    static Path find() {
        String given = System.getenv("GLIMPSE_CHROMIUM");
        if (given != null && Files.isExecutable(Path.of(given))) {
            return Path.of(given);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Starts the browser on {@code page} in a window of the given size and attaches to that page. */
    HeadlessChromium(Path browser, Path profile, Path page, int width, int height) throws IOException, InterruptedException {
        process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height,
                page.toUri().toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserUrl = null;
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String line; browserUrl == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browserUrl = m.group(1);
            }
        }
        if (browserUrl == null) {
            close();
            throw new IOException("Chromium did not say where its DevTools listen");
        }
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // Chromium's own log, not ours to show
                }
            } catch (IOException ignored) {
                // the browser has gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        URI base = URI.create(browserUrl.replaceFirst("^ws://([^/]+)/.*$", "http://$1"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String pageSocket = null;
        for (int attempt = 0; attempt < 50 && pageSocket == null; attempt++) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : JSON.readTree(list.body())) {
                if ("page".equals(target.path("type").asText()) && target.path("url").asText().startsWith("file:")) {
                    pageSocket = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (pageSocket == null) {
                Thread.sleep(100);
            }
        }
        if (pageSocket == null) {
            close();
            throw new IOException("Chromium opened no page for " + page);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        messages.add(JSON.readTree(partial.toString()));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).join();
        waitForLoad();
    }

    /** Sends one command and returns its result, failing on a protocol error or after 30 s. */
    JsonNode call(String method, ObjectNode params) throws InterruptedException {
        int id = ++nextId;
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(msg.toString(), true).join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && m.path("id").asInt() == id) {
                if (m.has("error")) {
                    throw new IllegalStateException(method + ": " + m.get("error"));
                }
                return m.path("result");
            }
        }
        throw new IllegalStateException(method + ": no answer in 30 s");
    }

    /** The value of a script expression (returned by value: JSON-able results only). */
    JsonNode eval(String expression) throws InterruptedException {
        ObjectNode p = JSON.createObjectNode();
        p.put("expression", expression);
        p.put("returnByValue", true);
        JsonNode r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Moves the mouse to (x, y) in CSS pixels of the viewport. */
    void mouseTo(double x, double y) throws InterruptedException {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "mouseMoved");
        p.put("x", x);
        p.put("y", y);
        call("Input.dispatchMouseEvent", p);
    }

    /** Presses and releases a key such as ArrowRight (its DOM key name and Windows key code). */
    void press(String key, int keyCode) throws InterruptedException {
        for (String type : List.of("rawKeyDown", "keyUp")) {
            ObjectNode p = JSON.createObjectNode();
            p.put("type", type);
            p.put("key", key);
            p.put("code", key);
            p.put("windowsVirtualKeyCode", keyCode);
            call("Input.dispatchKeyEvent", p);
        }
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws InterruptedException {
        ObjectNode p = JSON.createObjectNode();
        p.put("format", "png");
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", p).path("data").asText());
    }

    private void waitForLoad() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            // the target is listed with its file: URL while the initial about:blank document can still answer
            if (eval("location.protocol === 'file:' && document.readyState === 'complete'").asBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the page did not finish loading");
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

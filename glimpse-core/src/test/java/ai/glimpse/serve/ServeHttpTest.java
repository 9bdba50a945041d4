package ai.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.Repo;
import ai.glimpse.api.Glimpse;
import ai.glimpse.decode.Caption;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** glimpse serve over real HTTP on the shipped shapes model: answers, every refusal, batching, the queue, shutdown. */
class ServeHttpTest {
    static final Path MODEL = Repo.file("pretrained/glimpse-shapes.zip");
    static final Path SAMPLE = Repo.file("datasets/samples/shapes_1.png");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Glimpse glimpse;
    private static byte[] png;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void load() throws IOException {
        glimpse = Glimpse.load(MODEL);
        png = Files.readAllBytes(SAMPLE);
    }

    @AfterAll
    static void close() {
        glimpse.close();
    }

    static ServeConfig config() {
        return ServeConfig.defaults(glimpse.preprocessing().maxPixels()).withAddress("127.0.0.1", 0);
    }

    @Test
    void captionsAnImageAsTheLibraryDoes() throws Exception {
        Caption expected = glimpse.caption(SAMPLE);
        try (GlimpseServer server = GlimpseServer.start(glimpse, config())) {
            HttpResponse<String> r = post(server, "/v1/caption", "image/png", png);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            JsonNode json = JSON.readTree(r.body());
            assertEquals(expected.text(), json.get("caption").asText());
            assertEquals(expected.words().size(), json.get("words").size());
            assertEquals(expected.logProb(), json.get("log_prob").asDouble(), 1e-4);
            int grid = json.get("grid_size").asInt();
            assertEquals(expected.gridSize(), grid);
            assertEquals(expected.alphas().length, json.get("alphas").size());
            assertEquals(grid * grid, json.get("alphas").get(0).size());
            assertEquals(expected.betas().length, json.get("betas").size());
            assertEquals(json.get("alphas").size(), json.get("steps").size());
            assertEquals(3, json.get("beam").asInt());

            HttpResponse<String> greedy = post(server, "/v1/caption?beam=1&max_length=2", "application/octet-stream", png);
            assertEquals(200, greedy.statusCode(), greedy.body());
            assertTrue(JSON.readTree(greedy.body()).get("words").size() <= 2);

            String boundary = "glimpse-test-boundary";
            HttpResponse<String> form = post(server, "/v1/caption", "multipart/form-data; boundary=" + boundary,
                    multipart(boundary, png, "1"));
            assertEquals(200, form.statusCode(), form.body());
            assertEquals(1, JSON.readTree(form.body()).get("beam").asInt());
        }
    }

    @Test
    void explainsAsAPictureOrAPage() throws Exception {
        try (GlimpseServer server = GlimpseServer.start(glimpse, config())) {
            HttpResponse<byte[]> grid = http.send(request(server, "/v1/explain", "image/png", png), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, grid.statusCode());
            assertEquals("image/png", grid.headers().firstValue("content-type").orElse(""));
            assertEquals((byte) 0x89, grid.body()[0]);
            HttpResponse<String> page = post(server, "/v1/explain?format=html", "image/png", png);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().startsWith("<!DOCTYPE html>"));
            assertEquals(400, post(server, "/v1/explain?format=gif", "image/png", png).statusCode());
        }
    }

    @Test
    void everyBadInputIsRefusedWithAReason() throws Exception {
        try (GlimpseServer server = GlimpseServer.start(glimpse, config().withLimits(8, 50_000, 40_000_000, Duration.ofSeconds(30)))) {
            assertRefused(post(server, "/v1/caption", "image/png", Arrays.copyOf(png, png.length / 2)), 400, "truncated");
            assertRefused(post(server, "/v1/caption", "image/png", "hello, world".getBytes(StandardCharsets.UTF_8)), 400, "image: ");
            assertRefused(post(server, "/v1/caption", "image/png", new byte[0]), 400, "no image");
            assertRefused(post(server, "/v1/caption", "application/json", png), 415, "Content-Type application/json");
            assertRefused(post(server, "/v1/caption", "text/plain", png), 415, "multipart/form-data");
            assertRefused(post(server, "/v1/caption", "image/png", new byte[60_000]), 413, "limit of 50000 bytes");
            assertRefused(post(server, "/v1/caption", "image/png", bomb()), 400, "megapixels");
            assertRefused(post(server, "/v1/caption?beam=0", "image/png", png), 400, "beam must be between 1 and 50");
            assertRefused(post(server, "/v1/caption?beam=abc", "image/png", png), 400, "beam must be a whole number");
            assertRefused(post(server, "/v1/caption?max_length=100000", "image/png", png), 400, "max_length");
            assertRefused(post(server, "/v1/caption?length_penalty=-1", "image/png", png), 400, "length_penalty");
            assertRefused(post(server, "/v1/caption", "multipart/form-data; boundary=x", "--x\r\nbroken".getBytes(StandardCharsets.UTF_8)),
                    400, "multipart");
            assertRefused(post(server, "/v1/caption", "multipart/form-data", png), 400, "boundary");
            assertRefused(post(server, "/v2/caption", "image/png", png), 404, "no such endpoint");
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri(server, "/v1/caption")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertRefused(get, 405, "use POST");
            assertEquals("POST", get.headers().firstValue("allow").orElse(""));

            String huge = raw(server, "POST /v1/caption HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 999999999999\r\nConnection: close\r\n\r\n");
            assertTrue(huge.startsWith("HTTP/1.1 413"), huge);
            String garbage = raw(server, "\u0001\u0002 nonsense\r\n\r\n");
            assertTrue(garbage.startsWith("HTTP/1.1 400"), garbage);

            // the server still answers, and counted every refusal
            assertEquals(200, post(server, "/v1/caption", "image/png", png).statusCode());
            String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("glimpse_errors_total{kind=\"bad_image\"} 3"), metrics);
            assertTrue(metrics.contains("glimpse_requests_total{path=\"/v1/caption\",code=\"200\"} 1"), metrics);
        }
    }

    /** Two workers each take a batch of what waits; every answer is the library's caption. */
    @Test
    void twoWorkersDecodeTheirOwnBatches() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> config().withWorkers(0));
        String expected = glimpse.caption(png).text();
        try (GlimpseServer server = GlimpseServer.start(glimpse, config().withWorkers(2).withBatching(4, Duration.ofSeconds(5)))) {
            List<CompletableFuture<HttpResponse<String>>> answers = sentTogether(server, Collections.nCopies(8, ""));
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get();
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(expected, JSON.readTree(r.body()).get("caption").asText());
            }
            String metrics = get(server, "/metrics").body();
            assertEquals(2, metric(metrics, "glimpse_batch_size_count"), metrics);
            assertEquals(8, metric(metrics, "glimpse_batch_size_sum"));
        }
    }

    @Test
    void concurrentRequestsAreDecodedTogether() throws Exception {
        try (GlimpseServer server = GlimpseServer.start(glimpse, config())) {
            List<CompletableFuture<HttpResponse<String>>> answers = sentTogether(server, Collections.nCopies(8, ""));
            String first = null;
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get();
                assertEquals(200, r.statusCode(), r.body());
                String caption = JSON.readTree(r.body()).get("caption").asText();
                assertEquals(first == null ? caption : first, caption);
                first = caption;
            }
            String metrics = get(server, "/metrics").body();
            assertEquals(1, metric(metrics, "glimpse_batch_size_count"), metrics);
            assertEquals(8, metric(metrics, "glimpse_batch_size_sum"));

            // requests of another decoding wait for a batch of their own
            answers = sentTogether(server, List.of("?beam=1", "?beam=2", "?beam=1"));
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                assertEquals(200, a.get().statusCode());
            }
            metrics = get(server, "/metrics").body();
            assertEquals(3, metric(metrics, "glimpse_batch_size_count"), metrics);
        }
    }

    @Test
    void aLoneRequestDoesNotWaitForCompany() throws Exception {
        try (GlimpseServer server = GlimpseServer.start(glimpse, config().withBatching(16, Duration.ofSeconds(5)))) {
            long start = System.nanoTime();
            assertEquals(200, post(server, "/v1/caption", "image/png", png).statusCode());
            assertTrue(System.nanoTime() - start < 4_000_000_000L, "a lone request waited the 5 s maximum");
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws Exception {
        try (GlimpseServer server = GlimpseServer.start(glimpse, config().withLimits(1, 1 << 20, 40_000_000, Duration.ofSeconds(30)))) {
            server.batcher().hold();                                    // one request is admitted and waits
            CompletableFuture<HttpResponse<String>> held = http.sendAsync(request(server, "/v1/caption", "image/png", png),
                    HttpResponse.BodyHandlers.ofString());
            waitUntil(() -> server.batcher().queued() == 1);
            HttpResponse<String> refused = post(server, "/v1/caption", "image/png", png);
            assertRefused(refused, 503, "busy");
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
            server.batcher().release();
            assertEquals(200, held.get().statusCode());
            assertEquals(200, get(server, "/healthz").statusCode());
            assertTrue(get(server, "/metrics").body().contains("glimpse_errors_total{kind=\"queue_full\"} 1"));
        }
    }

    @Test
    void aTimedOutRequestIs503AndDropped() throws Exception {
        try (GlimpseServer server = GlimpseServer.start(glimpse, config().withLimits(8, 1 << 20, 40_000_000, Duration.ofMillis(300)))) {
            server.batcher().hold();
            HttpResponse<String> late = post(server, "/v1/caption", "image/png", png);
            assertRefused(late, 503, "no answer within 300 ms");
            assertTrue(late.headers().firstValue("retry-after").isPresent());
            server.batcher().release();
            waitUntil(() -> server.batcher().queued() == 0);
            String metrics = get(server, "/metrics").body();
            assertTrue(!metrics.contains("glimpse_batch_size_count 1"), "the dropped request was decoded:\n" + metrics);
        }
    }

    @Test
    void shutdownAnswersTheRequestsInFlight() throws Exception {
        GlimpseServer server = GlimpseServer.start(glimpse, config());
        URI healthz = uri(server, "/healthz");
        server.batcher().hold();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(http.sendAsync(request(server, "/v1/caption", "image/png", png), HttpResponse.BodyHandlers.ofString()));
        }
        waitUntil(() -> server.batcher().queued() == 3);
        Thread closing = new Thread(server::close);                     // as SIGTERM's hook does
        closing.start();
        HttpClient fresh = HttpClient.newHttpClient();
        waitUntil(() -> {
            try {
                fresh.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString());
                return false;
            } catch (IOException e) {
                return e instanceof ConnectException || e.getCause() instanceof ConnectException;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });                                                             // no new connections while it stops
        assertTrue(closing.isAlive(), "close() returned with requests in flight");
        server.batcher().release();
        for (CompletableFuture<HttpResponse<String>> r : inFlight) {
            assertEquals(200, r.get().statusCode(), r.get().body());
        }
        closing.join(30_000);
        assertFalse(closing.isAlive());
    }

    @Test
    void pageHealthAndMetrics() throws Exception {
        try (GlimpseServer server = GlimpseServer.start(glimpse, config())) {
            HttpResponse<String> page = get(server, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script>"), page.body());
            assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "the page refers to nothing outside");
            assertTrue(page.headers().firstValue("content-security-policy").orElse("").contains("default-src 'none'"));
            assertEquals("{\"status\":\"ok\"}", get(server, "/healthz").body());
            String metrics = get(server, "/metrics").body();
            for (String name : List.of("glimpse_requests_total", "glimpse_errors_total", "glimpse_request_duration_seconds",
                    "glimpse_batch_size", "glimpse_queue_length", "glimpse_heap_used_bytes")) {
                assertTrue(metrics.contains("# TYPE " + name + " "), name + " in\n" + metrics);
            }
        }
    }

    // ---- helpers

    private static void assertRefused(HttpResponse<String> r, int status, String says) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode json = JSON.readTree(r.body());
        assertTrue(json.get("error").asText().contains(says), r.body());
        assertEquals(status, json.get("status").asInt());
    }

    /** A 45-byte PNG whose header claims 10000x10000 pixels (and that has no pixels). */
    static byte[] bomb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = {0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 8, 2, 0, 0, 0};
        out.writeBytes(ihdr);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr, 4, ihdr.length - 4);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) (c >> 24), (byte) (c >> 16), (byte) (c >> 8), (byte) c});
        return out.toByteArray();
    }

    static byte[] multipart(String boundary, byte[] image, String beam) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"beam\"\r\n\r\n" + beam + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(image);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static URI uri(GlimpseServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpRequest request(GlimpseServer server, String path, String type, byte[] body) {
        return HttpRequest.newBuilder(uri(server, path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60)).build();
    }

    HttpResponse<String> post(GlimpseServer server, String path, String type, byte[] body) throws Exception {
        return http.send(request(server, path, type, body), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(GlimpseServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes and returns what comes back until the server closes (or 5 s pass). */
    static String raw(GlimpseServer server, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    got.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // what arrived is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static long metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(metrics);
        assertTrue(m.find(), name + " in\n" + metrics);
        return Math.round(Double.parseDouble(m.group(1)));
    }

    /** Caption requests, one per query string, queued while the batcher is held and then let go together. */
    private List<CompletableFuture<HttpResponse<String>>> sentTogether(GlimpseServer server, List<String> queries)
            throws InterruptedException {
        server.batcher().hold();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (String query : queries) {
            answers.add(http.sendAsync(request(server, "/v1/caption" + query, "image/png", png), HttpResponse.BodyHandlers.ofString()));
        }
        waitUntil(() -> server.batcher().queued() == queries.size());
        server.batcher().release();
        return answers;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting");
            }
            Thread.sleep(10);
        }
    }
}

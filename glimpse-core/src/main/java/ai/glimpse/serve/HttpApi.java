package ai.glimpse.serve;

import ai.glimpse.InputException;
import ai.glimpse.api.Decoding;
import ai.glimpse.api.Explanation;
import ai.glimpse.api.Glimpse;
import ai.glimpse.api.PreparedImage;
import ai.glimpse.data.ImageHeader;
import ai.glimpse.decode.Caption;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's endpoints on Jetty's core handler API: {@code POST /v1/caption} (JSON), {@code POST
 * /v1/explain} (grid PNG, or the self-contained page with {@code format=html}), {@code GET /} (the web
 * page), {@code GET /healthz} and {@code GET /metrics}. A caption or explain request is admitted only
 * while fewer than {@code queue} are in progress (else 503 with Retry-After), its body is read up to
 * the size limit, its image's header is checked against the pixel limit, the image is decoded and
 * resized on this thread (as many at once as there are cores), and its caption comes from the
 * {@link Batcher}. Every refusal is a JSON {"error": ...} naming what is wrong.
 */
final class HttpApi extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final Set<String> PATHS = Set.of("/", "/healthz", "/metrics", "/v1/caption", "/v1/explain");
    private static final String JSON = "application/json";
    /** The page's policy: nothing from elsewhere; it talks only to this server. */
    static final String PAGE_POLICY = "default-src 'none'; img-src blob: data:; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";

    private final Glimpse glimpse;
    private final Batcher batcher;
    private final ServeConfig config;
    private final Metrics metrics;
    private final byte[] page;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger admitted = new AtomicInteger();
    /** Images decoded, resized or drawn at once: one per core bounds memory and shares the CPU fairly. */
    private final Semaphore imageWork = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    private volatile boolean stopping;

    HttpApi(Glimpse glimpse, ServeConfig config, byte[] page) {
        super(InvocationType.BLOCKING);
        this.glimpse = glimpse;
        this.config = config;
        this.page = page;
        this.metrics = new Metrics(admitted::get, config.queue());
        this.batcher = new Batcher(glimpse, config.workers(), config.maxBatch(), config.maxWait(), admitted::get, metrics::batch);
    }

    Batcher batcher() {
        return batcher;
    }

    /** From now on /healthz answers 503, so a load balancer stops sending. */
    void stopping() {
        stopping = true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        String label = PATHS.contains(path) ? path : "other";
        int status;
        try {
            status = route(path, method, request, response, callback, start);
        } catch (HttpError e) {
            metrics.error(e.kind());
            drain(request, response);
            status = sendError(response, callback, e.status(), e.getMessage());
        } catch (Throwable t) {
            LOG.error("{} {} failed", method, path, t);
            metrics.error("internal");
            drain(request, response);
            status = sendError(response, callback, 500, "internal error: " + t.getClass().getSimpleName());
        }
        metrics.request(label, status, System.nanoTime() - start);
        return true;
    }

    private int route(String path, String method, Request request, Response response, Callback callback, long start) {
        switch (path) {
            case "/" -> {
                allow(method, "GET", response);
                response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                return send(response, callback, 200, "text/html; charset=utf-8", page);
            }
            case "/healthz" -> {
                allow(method, "GET", response);
                return stopping ? send(response, callback, 503, JSON, "{\"status\":\"stopping\"}".getBytes(StandardCharsets.UTF_8))
                        : send(response, callback, 200, JSON, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
            }
            case "/metrics" -> {
                allow(method, "GET", response);
                return send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render().getBytes(StandardCharsets.UTF_8));
            }
            case "/v1/caption", "/v1/explain" -> {
                allow(method, "POST", response);
                return work(path.endsWith("explain"), request, response, callback, start);
            }
            default -> throw new HttpError(404, "not_found", "no such endpoint: " + Upload.abbreviate(path)
                    + " (POST /v1/caption, POST /v1/explain, GET /, GET /healthz, GET /metrics)");
        }
    }

    private static void allow(String method, String allowed, Response response) {
        if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            throw new HttpError(405, "bad_method", Upload.abbreviate(method) + " is not allowed here; use " + allowed);
        }
    }

    /** A caption or explain request, admitted while the queue has room. */
    private int work(boolean explain, Request request, Response response, Callback callback, long start) {
        if (admitted.incrementAndGet() > config.queue()) {
            admitted.decrementAndGet();
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            throw new HttpError(503, "queue_full", "the server is busy (" + config.queue() + " requests in progress); retry after 1 s");
        }
        try {
            long deadline = start + config.timeout().toNanos();
            Upload upload = Upload.read(request, config.maxBodyBytes());
            Decoding decoding = decoding(upload);
            String format = upload.params().getOrDefault("format", "png").strip().toLowerCase(Locale.ROOT);
            if (explain && !format.equals("png") && !format.equals("html")) {
                throw new HttpError(400, "bad_parameter", "format must be png or html, got '" + Upload.abbreviate(format) + "'");
            }
            PreparedImage image = onImageWork(deadline, () -> prepare(upload.image(), explain));
            Caption caption = await(batcher.submit(image, decoding), deadline);
            if (!explain) {
                int maxLength = decoding.maxLength() == 0 ? glimpse.bundle().config().maxLength() : decoding.maxLength();
                byte[] json = bytes(CaptionJson.of(mapper, caption, glimpse.preprocessing(), decoding.beam(), maxLength));
                return send(response, callback, 200, JSON, json);
            }
            Explanation explanation = new Explanation(caption, image.original(), glimpse.preprocessing());
            if (format.equals("html")) {
                String html = onImageWork(deadline, explanation::html);
                response.getHeaders().put("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
                return send(response, callback, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
            }
            return send(response, callback, 200, "image/png", onImageWork(deadline, explanation::gridPng));
        } finally {
            admitted.decrementAndGet();
        }
    }

    private PreparedImage prepare(byte[] bytes, boolean keepOriginal) {
        try {
            ImageHeader.parse("image", bytes).requireAtMost(config.maxPixels(), "image");
            return glimpse.prepare("image", bytes, keepOriginal);
        } catch (InputException e) {
            throw new HttpError(400, "bad_image", e.getMessage());
        }
    }

    private Decoding decoding(Upload upload) {
        Decoding d = config.decoding();
        int beam = upload.intParam("beam", d.beam());
        int maxLength = upload.intParam("max_length", d.maxLength());
        double penalty = upload.doubleParam("length_penalty", d.lengthPenalty());
        if (beam < 1 || beam > Decoding.MAX_BEAM) {
            throw new HttpError(400, "bad_parameter", "beam must be between 1 and " + Decoding.MAX_BEAM + ", got " + beam);
        }
        try {
            return new Decoding(beam, maxLength, penalty);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "bad_parameter", e.getMessage().replace("max length", "max_length")
                    .replace("length penalty", "length_penalty"));
        }
    }

    /** Runs image work (decode, resize, draw) holding one of the per-core permits, or times out. */
    private <T> T onImageWork(long deadline, java.util.function.Supplier<T> work) {
        try {
            if (!imageWork.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw timedOut();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "stopping", "the server is stopping");
        }
        try {
            return work.get();
        } finally {
            imageWork.release();
        }
    }

    private Caption await(CompletableFuture<Caption> result, long deadline) {
        try {
            return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | CancellationException e) {
            result.cancel(false);                                      // the batcher drops it if not yet decoded
            throw timedOut();
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new HttpError(503, "stopping", "the server is stopping");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("stop")) {
                throw new HttpError(503, "stopping", "the server is stopping");
            }
            throw new IllegalStateException("decoding failed", cause);
        }
    }

    private HttpError timedOut() {
        return new HttpError(503, "timeout", "no answer within " + config.timeout().toMillis() + " ms; retry later");
    }

    private byte[] bytes(Object json) {
        try {
            return mapper.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads and drops what is left of a refused request's body, up to twice the body limit, so that a client
     * still sending it gets the answer rather than a reset connection (refusals by Content-Type, size or
     * image header come before the body is read). A body that is longer, or declared longer, is left
     * unread and the connection is closed after the answer.
     */
    private void drain(Request request, Response response) {
        long cap = 2 * config.maxBodyBytes();
        if (request.getLength() > cap) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            return;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] chunk = new byte[16384];
            long read = 0;
            for (int n; (n = in.read(chunk)) != -1; ) {
                read += n;
                if (read > cap) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");    // the client went away or sent garbage
        }
    }

    private int sendError(Response response, Callback callback, int status, String message) {
        if (status == 503 && !response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        return send(response, callback, status, JSON, CaptionJson.error(mapper, status, message));
    }

    private static int send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return status;
    }
}

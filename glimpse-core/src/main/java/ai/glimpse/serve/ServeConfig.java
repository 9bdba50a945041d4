package ai.glimpse.serve;

import ai.glimpse.api.Decoding;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code glimpse serve} listens, batches and limits.
 *
 * @param host         address to listen on (127.0.0.1: this machine only)
 * @param port         TCP port, 0 for any free one
 * @param maxBatch     most images decoded together in one batched step call
 * @param maxWait      how long the decoder waits after a request arrives for others to join its batch
 * @param queue        most caption and explain requests admitted at once (read, waiting or decoding); one
 *                     more is answered 503 with Retry-After
 * @param maxBodyBytes largest request body (an image upload); a larger one is answered 413 unread
 * @param maxPixels    largest image by its header's width times height (the model's limit by default)
 * @param timeout      a request not answered within this is answered 503
 * @param decoding     the search when a request names none (beam, max length, length penalty)
 * @param threads      HTTP worker threads
 * @param workers      decoding workers: batches decoded at once, each by its own copy of the model's
 *                     decoder (one per core with single-threaded ND4J, as the launcher runs serve)
 */
public record ServeConfig(String host, int port, int maxBatch, Duration maxWait, int queue, long maxBodyBytes,
        long maxPixels, Duration timeout, Decoding decoding, int threads, int workers) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BATCH = 16;
    public static final int DEFAULT_MAX_WAIT_MS = 20;
    public static final int DEFAULT_QUEUE = 64;
    public static final long DEFAULT_MAX_BODY_BYTES = 10L << 20;
    public static final int DEFAULT_TIMEOUT_S = 30;

    public ServeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(decoding, "decoding");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (maxBatch < 1 || maxBatch > 1024) {
            throw new IllegalArgumentException("max batch must be between 1 and 1024, got " + maxBatch);
        }
        if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("max wait must be between 0 and 10 s, got " + maxWait.toMillis() + " ms");
        }
        if (queue < 1 || queue > 100_000) {
            throw new IllegalArgumentException("queue must be between 1 and 100000, got " + queue);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max body must be between 1 byte and 2 GB, got " + maxBodyBytes);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels must be >= 1, got " + maxPixels);
        }
        if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, got " + timeout.toMillis() + " ms");
        }
        if (threads < 2 || threads > 1000) {
            throw new IllegalArgumentException("threads must be between 2 and 1000, got " + threads);
        }
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers must be between 1 and 64, got " + workers);
        }
    }

    /** The defaults on 127.0.0.1:8080 with the given pixel limit (the model's). */
    public static ServeConfig defaults(long maxPixels) {
        return new ServeConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BATCH, Duration.ofMillis(DEFAULT_MAX_WAIT_MS),
                DEFAULT_QUEUE, DEFAULT_MAX_BODY_BYTES, maxPixels, Duration.ofSeconds(DEFAULT_TIMEOUT_S),
                Decoding.defaults(), DEFAULT_QUEUE + 16, defaultWorkers());
    }

    /** Decoding workers by default: one per core (at most 64). */
    public static int defaultWorkers() {
        return Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors()));
    }

    public ServeConfig withAddress(String newHost, int newPort) {
        return new ServeConfig(newHost, newPort, maxBatch, maxWait, queue, maxBodyBytes, maxPixels, timeout, decoding, threads, workers);
    }

    public ServeConfig withBatching(int newMaxBatch, Duration newMaxWait) {
        return new ServeConfig(host, port, newMaxBatch, newMaxWait, queue, maxBodyBytes, maxPixels, timeout, decoding, threads, workers);
    }

    public ServeConfig withLimits(int newQueue, long newMaxBodyBytes, long newMaxPixels, Duration newTimeout) {
        return new ServeConfig(host, port, maxBatch, maxWait, newQueue, newMaxBodyBytes, newMaxPixels, newTimeout, decoding,
                Math.max(threads, Math.min(1000, newQueue + 16)), workers);
    }

    public ServeConfig withWorkers(int newWorkers) {
        return new ServeConfig(host, port, maxBatch, maxWait, queue, maxBodyBytes, maxPixels, timeout, decoding, threads, newWorkers);
    }

    public ServeConfig withDecoding(Decoding newDecoding) {
        return new ServeConfig(host, port, maxBatch, maxWait, queue, maxBodyBytes, maxPixels, timeout, newDecoding, threads, workers);
    }
}

package ai.glimpse.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What {@code GET /metrics} reports, in the Prometheus text exposition format (version 0.0.4): requests
 * by path and status, errors by kind, request latency and batch sizes as histograms, the queue's length
 * and capacity, and the process's heap and native memory. Counting is lock-free; any thread may record.
 */
final class Metrics {
    /** Latency buckets in seconds. */
    private static final double[] LATENCY = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** Batch size buckets (images per batched decode). */
    private static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64, 128};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();   // key: path, code
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();     // key: kind
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();    // key: path
    private final Histogram batches = new Histogram(BATCH);
    private final Histogram decoding = new Histogram(LATENCY);
    private final LongSupplier queueLength;
    private final int queueCapacity;

    Metrics(LongSupplier queueLength, int queueCapacity) {
        this.queueLength = queueLength;
        this.queueCapacity = queueCapacity;
    }

    /** One answered request: its path (one of the server's, or "other"), status and time taken. */
    void request(String path, int status, long nanos) {
        requests.computeIfAbsent(path + "\u0000" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(path, k -> new Histogram(LATENCY)).observe(nanos / 1e9);
    }

    /** One refused or failed request, by kind (bad_image, too_large, queue_full, timeout, internal, ...). */
    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** One batched decode of {@code size} images that took {@code nanos}. */
    void batch(int size, long nanos) {
        batches.observe(size);
        decoding.observe(nanos / 1e9);
    }

    /** The exposition text. */
    String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "glimpse_requests_total", "counter", "HTTP requests answered, by path and status code.");
        new TreeMap<>(requests).forEach((k, v) -> {
            String[] parts = k.split("\u0000");
            out.append("glimpse_requests_total{path=\"").append(parts[0]).append("\",code=\"").append(parts[1])
                    .append("\"} ").append(v.sum()).append('\n');
        });
        header(out, "glimpse_errors_total", "counter", "Requests refused or failed, by kind.");
        new TreeMap<>(errors).forEach((k, v) ->
                out.append("glimpse_errors_total{kind=\"").append(k).append("\"} ").append(v.sum()).append('\n'));
        header(out, "glimpse_request_duration_seconds", "histogram", "Time from a request's arrival to its answer.");
        new TreeMap<>(latency).forEach((path, h) -> h.render(out, "glimpse_request_duration_seconds", "path=\"" + path + "\","));
        header(out, "glimpse_batch_size", "histogram", "Images decoded together in one batched step call.");
        batches.render(out, "glimpse_batch_size", "");
        header(out, "glimpse_batch_duration_seconds", "histogram", "Time to decode one batch (encoder and every step).");
        decoding.render(out, "glimpse_batch_duration_seconds", "");
        header(out, "glimpse_queue_length", "gauge", "Caption and explain requests admitted and not yet answered.");
        out.append("glimpse_queue_length ").append(queueLength.getAsLong()).append('\n');
        header(out, "glimpse_queue_capacity", "gauge", "Requests admitted at most; beyond, 503 with Retry-After.");
        out.append("glimpse_queue_capacity ").append(queueCapacity).append('\n');
        Runtime rt = Runtime.getRuntime();
        header(out, "glimpse_heap_used_bytes", "gauge", "Java heap in use.");
        out.append("glimpse_heap_used_bytes ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        header(out, "glimpse_native_bytes", "gauge", "Native memory held by JavaCPP (ND4J, OpenCV).");
        out.append("glimpse_native_bytes ").append(org.bytedeco.javacpp.Pointer.totalBytes()).append('\n');
        header(out, "glimpse_physical_bytes", "gauge", "Resident memory of the process, as JavaCPP reads it.");
        out.append("glimpse_physical_bytes ").append(org.bytedeco.javacpp.Pointer.physicalBytes()).append('\n');
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A histogram with fixed upper bounds; counts are kept per bucket and summed when rendered. */
    private static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;                      // [bounds + 1], the last is +Inf
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length + 1);
        }

        void observe(double value) {
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            counts.incrementAndGet(i);
            sum.add(value);
        }

        void render(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts.get(i);
                String le = i == bounds.length ? "+Inf" : format(bounds[i]);
                out.append(name).append("_bucket{").append(labels).append("le=\"").append(le).append("\"} ")
                        .append(cumulative).append('\n');
            }
            String plain = labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}";
            out.append(name).append("_sum").append(plain).append(' ').append(format(sum.sum())).append('\n');
            out.append(name).append("_count").append(plain).append(' ').append(cumulative).append('\n');
        }

        private static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}

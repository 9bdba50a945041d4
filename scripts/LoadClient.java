import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load client for glimpse serve, run as a single-file program (java scripts/LoadClient.java ...):
 * N clients each POST one image at a time to /v1/caption for S seconds, each over its own kept-open
 * connection ({@link KeepAlive}), while another thread spreads M
 * malformed requests over the run (truncated images, text, empty bodies, huge declared sizes, wrong
 * content types, broken forms, pixel bombs), and the server's memory is read from /metrics every 5 s.
 * Prints throughput, latency percentiles, status codes and the memory series. Only talks to the given
 * URL, which should be on this machine; stops by itself.
 *
 * <p>Usage: LoadClient URL CLIENTS SECONDS MALFORMED IMAGE...
 */
public class LoadClient {
    private static final String[] KINDS = {"truncated", "text", "empty", "huge-declared", "wrong-type",
        "broken-form", "pixel-bomb", "garbage"};

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: LoadClient URL CLIENTS SECONDS MALFORMED IMAGE...");
            System.exit(2);
        }
        URI base = URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/");
        int clients = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int malformed = Integer.parseInt(args[3]);
        List<byte[]> images = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            images.add(Files.readAllBytes(Path.of(args[i])));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI caption = base.resolve("v1/caption");
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;

        Map<Integer, LongAdder> goodCodes = new ConcurrentHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[1 << 20];
            AtomicLong count = new AtomicLong();
            int seed = c;
            KeepAlive connection = new KeepAlive(base.getHost(), base.getPort());
            Thread t = new Thread(() -> {
                int k = 0;
                int n = seed;
                while (System.nanoTime() < end) {
                    byte[] image = images.get(n++ % images.size());
                    long s = System.nanoTime();
                    int code;
                    try {
                        code = connection.post(caption.getRawPath(), "image/png", image);
                    } catch (IOException e) {
                        connection.close();                            // no answer at all: the next request reconnects
                        code = -1;
                    }
                    goodCodes.computeIfAbsent(code, x -> new LongAdder()).increment();
                    if (code == 200 && k < mine.length) {
                        mine[k++] = System.nanoTime() - s;
                    }
                }
                connection.close();
                count.set(k);
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine, k));
                }
            }, "client-" + c);
            threads.add(t);
        }

        Map<String, Map<Integer, LongAdder>> badCodes = new ConcurrentHashMap<>();
        Thread bad = new Thread(() -> {
            for (int i = 0; i < malformed; i++) {
                long due = start + (long) ((double) i / malformed * (end - start));
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleep(wait / 1_000_000);
                }
                String kind = KINDS[i % KINDS.length];
                int code;
                try {
                    code = malformed(http, base, kind, images.get(i % images.size()));
                } catch (Exception e) {
                    code = -1;
                }
                badCodes.computeIfAbsent(kind, x -> new ConcurrentHashMap<>()).computeIfAbsent(code, x -> new LongAdder()).increment();
            }
        }, "malformed");

        List<String> memory = new ArrayList<>();
        Thread watch = new Thread(() -> {
            while (System.nanoTime() < end + 1_000_000_000L) {
                memory.add(memory(http, base, (System.nanoTime() - start) / 1_000_000_000L));
                sleep(5000);
            }
        }, "memory");
        watch.setDaemon(true);

        threads.forEach(Thread::start);
        bad.start();
        watch.start();
        for (Thread t : threads) {
            t.join();
        }
        bad.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        memory.add(memory(http, base, Math.round(elapsed)));

        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long ok = all.length;
        System.out.printf(Locale.ROOT, "clients %d, %.1f s: %d images captioned, %.2f images/s%n", clients, elapsed, ok, ok / elapsed);
        if (ok > 0) {
            System.out.printf(Locale.ROOT, "latency of answered images: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all[all.length - 1] / 1e6);
        }
        System.out.println("image requests by status: " + summary(goodCodes));
        if (malformed > 0) {
            Map<Integer, Long> total = new TreeMap<>();
            System.out.println("malformed requests by kind and status:");
            new TreeMap<>(badCodes).forEach((kind, codes) -> {
                System.out.println("  " + kind + ": " + summary(codes));
                codes.forEach((code, n) -> total.merge(code, n.sum(), Long::sum));
            });
            System.out.println("malformed requests by status: " + total);
        }
        System.out.println("server memory (from /metrics, MB):");
        memory.forEach(m -> System.out.println("  " + m));
    }

    /**
     * One client's HTTP/1.1 connection, kept open from request to request, over a plain socket: on a
     * 2-core machine the load client shares the CPU it measures, and Java's HttpClient took about 1.2 ms of
     * CPU per request here (its selector thread and futures), this about a tenth of it. Reads responses
     * by Content-Length or chunked, and reconnects when the server closes.
     */
    private static final class KeepAlive {
        private final String host;
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        KeepAlive(String host, int port) {
            this.host = host;
            this.port = port;
        }

        /** POSTs body to path and returns the status code, having read the whole response. */
        int post(String path, String type, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(60_000);
                out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
            }
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: " + type
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 status line: " + status);
            }
            long length = -1;
            boolean chunked = false;
            boolean closing = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String name = h.substring(0, Math.max(0, h.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(h.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> closing = value.contains("close");
                    default -> { }
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {                           // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                closing = true;                                       // read to the end
                while (in.read() >= 0) {
                }
            }
            if (closing) {
                close();
            }
            return Integer.parseInt(status.substring(9, 12));
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("the response ended early");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("the connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }

    /** Sends one malformed request of the given kind and returns the status code. */
    private static int malformed(HttpClient http, URI base, String kind, byte[] image) throws Exception {
        URI caption = base.resolve("v1/caption");
        return switch (kind) {
            case "truncated" -> post(http, caption, "image/png", Arrays.copyOf(image, image.length / 3));
            case "text" -> post(http, caption, "image/png", "this is not an image".getBytes(StandardCharsets.UTF_8));
            case "empty" -> post(http, caption, "image/png", new byte[0]);
            case "wrong-type" -> post(http, caption, "application/json", "{\"image\": \"shapes_1.png\"}".getBytes(StandardCharsets.UTF_8));
            case "broken-form" -> post(http, caption, "multipart/form-data; boundary=zz",
                    "--zz\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc".getBytes(StandardCharsets.UTF_8));
            case "pixel-bomb" -> post(http, caption, "image/png", bomb());
            case "garbage" -> {
                byte[] noise = new byte[20_000];
                new java.util.Random(image.length).nextBytes(noise);
                noise[0] = (byte) 0x89;                                // looks like a PNG for one byte
                yield post(http, caption, "image/png", noise);
            }
            case "huge-declared" -> huge(base);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static int post(HttpClient http, URI uri, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", type).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Declares a 1 TB body, sends a few bytes of it, and reads the status line. */
    private static int huge(URI base) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + base.getPath() + "v1/caption HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nContent-Type: image/png\r\nContent-Length: 1000000000000\r\n\r\n\u0089PNG").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                line.write(b);
            }
            Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(line.toString(StandardCharsets.ISO_8859_1));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    /** A PNG whose header claims 30000x30000 pixels. */
    private static byte[] bomb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = {0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0};
        out.writeBytes(ihdr);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr, 4, ihdr.length - 4);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) (c >> 24), (byte) (c >> 16), (byte) (c >> 8), (byte) c});
        return out.toByteArray();
    }

    private static String memory(HttpClient http, URI base, long at) {
        try {
            String text = http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return String.format(Locale.ROOT, "t=%3d s  resident %.0f  heap %.0f  native %.0f  queue %.0f", at,
                    value(text, "glimpse_physical_bytes") / 1e6, value(text, "glimpse_heap_used_bytes") / 1e6,
                    value(text, "glimpse_native_bytes") / 1e6, value(text, "glimpse_queue_length"));
        } catch (Exception e) {
            return "t=" + at + " s  (metrics: " + e + ")";
        }
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }

    private static String summary(Map<Integer, LongAdder> codes) {
        Map<Integer, Long> out = new TreeMap<>();
        codes.forEach((k, v) -> out.put(k, v.sum()));
        return out.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(Math.max(0, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

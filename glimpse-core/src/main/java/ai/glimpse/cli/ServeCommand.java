package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.api.Decoding;
import ai.glimpse.api.Glimpse;
import ai.glimpse.serve.GlimpseServer;
import ai.glimpse.serve.ServeConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse serve}: captions over HTTP, with a web page, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves a model over HTTP, with a web page, until stopped.",
            "POST /v1/caption takes an image (its bytes, or a multipart form's image field) and answers JSON: caption,"
                    + " words, log_prob, grid_size, alphas and betas, the names of caption --json --attention."
                    + " POST /v1/explain answers grid.png, or the page explain writes with format=html. GET / is a web"
                    + " page: choose or drop an image, then hover the words to see where the model looked. GET /healthz"
                    + " and GET /metrics (Prometheus) watch it. Requests that arrive together are decoded together in"
                    + " one batch. SIGTERM or Ctrl-C stops it after the requests in progress are answered."},
        footerHeading = "%nExample:%n",
        footer = {"  glimpse serve --model pretrained/glimpse-shapes.zip --port 8080"})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DecodeOptions decode;

    @Option(names = "--host", defaultValue = ServeConfig.DEFAULT_HOST, paramLabel = "ADDRESS",
            description = "Address to listen on; 0.0.0.0 listens on every interface. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServeConfig.DEFAULT_PORT, paramLabel = "N",
            description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-batch", defaultValue = "" + ServeConfig.DEFAULT_MAX_BATCH, paramLabel = "N",
            description = "Most images decoded together in one batched step call. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "" + ServeConfig.DEFAULT_MAX_WAIT_MS, paramLabel = "MS",
            description = "How long a batch waits for more requests to join it. Default: ${DEFAULT-VALUE}.")
    int maxWaitMs;

    @Option(names = "--workers", paramLabel = "N",
            description = "Batches decoded at once, each by its own copy of the decoder. Default: one per core"
                    + " (the launcher runs serve with single-threaded ND4J, OMP_NUM_THREADS=1, unless it is set).")
    Integer workers;

    @Option(names = "--queue", defaultValue = "" + ServeConfig.DEFAULT_QUEUE, paramLabel = "N",
            description = "Most requests in progress; more are answered 503 with Retry-After. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Option(names = "--max-body-mb", defaultValue = "10", paramLabel = "MB",
            description = "Largest upload, in MB (2^20 bytes); larger ones are answered 413. Default: ${DEFAULT-VALUE}.")
    int maxBodyMb;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Largest image (width x height), refused from its header. Default: the model's (as caption uses).")
    Long maxPixels;

    @Option(names = "--timeout-s", defaultValue = "" + ServeConfig.DEFAULT_TIMEOUT_S, paramLabel = "S",
            description = "A request not answered within this is answered 503. Default: ${DEFAULT-VALUE}.")
    int timeoutS;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        decode.strategy();                                              // refuses a bad --beam or --length-penalty
        if (maxBodyMb < 1 || maxBodyMb > 1024) {
            throw new InputException("--max-body-mb must be between 1 and 1024, got " + maxBodyMb);
        }
        if (timeoutS < 1 || timeoutS > 3600) {
            throw new InputException("--timeout-s must be between 1 and 3600, got " + timeoutS);
        }
        DecodeOptions.requireModelFile(decode.model, "--model");
        Glimpse glimpse = Glimpse.load(decode.model, decode.encoderWeights);
        ServeConfig config;
        try {
            config = ServeConfig.defaults(glimpse.preprocessing().maxPixels())
                    .withAddress(host, port)
                    .withBatching(maxBatch, Duration.ofMillis(maxWaitMs))
                    .withWorkers(workers != null ? workers : ServeConfig.defaultWorkers())
                    .withLimits(queue, (long) maxBodyMb << 20, maxPixels != null ? maxPixels : glimpse.preprocessing().maxPixels(),
                            Duration.ofSeconds(timeoutS))
                    .withDecoding(new Decoding(decode.beam, decode.maxLength == null ? 0 : decode.maxLength(glimpse.bundle()),
                            decode.lengthPenalty));
        } catch (IllegalArgumentException e) {
            glimpse.close();
            throw new InputException(e.getMessage().replace("max batch", "--max-batch").replace("max wait", "--max-wait-ms")
                    .replace("queue", "--queue").replace("port", "--port").replace("workers", "--workers").replace("max pixels", "--max-pixels"));
        }
        GlimpseServer server;
        try {
            server = GlimpseServer.start(glimpse, config);
        } catch (UncheckedIOException e) {
            glimpse.close();
            throw new InputException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("glimpse: stopping: answering the requests in flight");
            server.close();
            glimpse.close();
            stopped.countDown();
        }, "glimpse-serve-stop"));
        err.printf("glimpse: serving %s on http://%s:%d/ (Ctrl-C or SIGTERM stops)%n", decode.model,
                host.contains(":") ? "[" + host + "]" : host, server.port());
        err.flush();
        server.join();
        stopped.await();
        return Main.OK;
    }
}

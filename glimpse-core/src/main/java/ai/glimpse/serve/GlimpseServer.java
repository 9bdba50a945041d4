package ai.glimpse.serve;

import ai.glimpse.api.Glimpse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse serve}: an HTTP server over a {@link Glimpse} model on Eclipse Jetty 12's core API
 * (no servlets), with the endpoints of {@link HttpApi} and dynamic batching ({@link Batcher}). {@link
 * #close} shuts down gracefully: the listening socket closes, requests in flight are answered (within
 * the grace period), then the batcher stops.
 */
public final class GlimpseServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GlimpseServer.class);
    /** How long a connection may sit idle (also bounds a client that stops sending its body). */
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final Server server;
    private final HttpApi api;
    private final ServerConnector connector;
    private final Duration grace;

    private GlimpseServer(Glimpse glimpse, ServeConfig config) {
        this.grace = config.timeout().plusSeconds(5);
        QueuedThreadPool threads = new QueuedThreadPool(config.threads(), Math.min(8, config.threads()));
        threads.setName("glimpse-http");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(IDLE.toMillis());
        server.addConnector(connector);
        this.api = new HttpApi(glimpse, config, page());
        server.setHandler(new GracefulHandler(api));
        server.setStopTimeout(grace.toMillis());
        server.setStopAtShutdown(false);                               // close() is called by whoever started it
    }

    /**
     * Starts serving {@code glimpse} (which the caller keeps and closes after this server).
     *
     * @throws UncheckedIOException when the address cannot be bound (in use, not this machine's)
     */
    public static GlimpseServer start(Glimpse glimpse, ServeConfig config) {
        GlimpseServer s = new GlimpseServer(glimpse, config);
        try {
            s.server.start();
        } catch (IOException e) {
            s.api.batcher().close(Duration.ZERO);
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage() + ")", e);
        } catch (Exception e) {
            s.api.batcher().close(Duration.ZERO);
            throw new IllegalStateException("the HTTP server did not start", e);
        }
        LOG.info("listening on http://{}:{}/", config.host(), s.port());
        return s;
    }

    /** The port listened on (the one chosen when the configuration said 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The batcher, for tests in this package. */
    Batcher batcher() {
        return api.batcher();
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops accepting connections, answers the requests in flight (waiting at most the request timeout
     * and 5 s), then stops the batcher. Idempotent.
     */
    @Override
    public void close() {
        api.stopping();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
        api.batcher().close(Duration.ofSeconds(5));
    }

    private static byte[] page() {
        try (InputStream in = GlimpseServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("ai/glimpse/serve/index.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

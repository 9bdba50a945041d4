package ai.glimpse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Tells JavaCPP which build of ND4J's native library this jar carries (the oneDNN/AVX2 one by default,
 * the plain one with Maven's {@code portable} profile), before ND4J loads it. Called by the command line
 * and by the first model classes; a user may still set {@code org.bytedeco.javacpp.platform.extension}.
 */
public final class NativeBackend {
    private static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private NativeBackend() {
    }

    /** Sets the platform extension the build chose, unless one is set already. Idempotent. */
    public static synchronized void configure() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = NativeBackend.class.getResourceAsStream("/ai/glimpse/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String extension = p.getProperty("nd4j.extension", "");
        if (!extension.isEmpty()) {
            System.setProperty(PROPERTY, extension);
        }
    }
}

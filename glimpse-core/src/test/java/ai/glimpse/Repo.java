package ai.glimpse;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the tests read (the shipped models, scripts, samples), found from any module's folder. */
public final class Repo {
    private Repo() {
    }

    /** The repository's root: the nearest folder up from the working directory that holds {@code mvnw}. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("pretrained"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the Glimpse repository: " + Path.of("").toAbsolutePath());
    }

    /** A file given relative to the repository's root, e.g. {@code pretrained/glimpse-shapes.zip}. */
    public static Path file(String relative) {
        return root().resolve(relative);
    }
}

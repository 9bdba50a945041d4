package ai.glimpse.cli;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files and folders a verb writes, checked before any work starts (so a path that cannot be written
 * is refused at once, not after an hour of captioning), and its JSON documents written to a file or, for
 * the path {@value #STDOUT}, to standard output. Every JSON document ends with a line break.
 */
final class Outputs {
    /** The path that means standard output for a JSON option. */
    static final String STDOUT = "-";
    static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();

    private Outputs() {
    }

    /** Whether {@code path} is {@value #STDOUT}, standard output. */
    static boolean isStdout(Path path) {
        return path != null && STDOUT.equals(path.toString());
    }

    /**
     * Refuses a file output that cannot be written: a folder in its place, or a folder for it that cannot be
     * made or written into (that folder is made now). Nothing to check for null or {@value #STDOUT}.
     */
    static void requireWritableFile(Path file, String option) {
        if (file == null || isStdout(file)) {
            return;
        }
        String label = option + " " + file;
        if (Files.isDirectory(file)) {
            throw new InputException(label + ": is a folder; give the name of a file to write");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new InputException(label + ": exists and is not a regular file");
        }
        probe(file.toAbsolutePath().getParent(), label);
    }

    /** Refuses an output folder that cannot be made or written into; makes it when missing. */
    static void requireWritableFolder(Path dir, String option) {
        if (dir == null) {
            return;
        }
        String label = option + " " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException(label + ": is a file, not a folder");
        }
        probe(dir.toAbsolutePath(), label);
    }

    /** Makes {@code dir} and writes and deletes an empty file in it: the check that holds for root too. */
    private static void probe(Path dir, String label) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(label + ": cannot make the folder " + dir + " (" + reason(e) + ")");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".glimpse-", ".probe"));
        } catch (IOException e) {
            throw new InputException(label + ": cannot write into " + dir + " (" + reason(e) + ")");
        }
    }

    private static String reason(IOException e) {
        String kind = switch (e.getClass().getSimpleName()) {
            case "AccessDeniedException" -> "permission denied";
            case "FileAlreadyExistsException" -> "a file is in the way";
            case "NoSuchFileException" -> "no such folder, and it cannot be made there";
            case "NotDirectoryException" -> "a file is in the way";
            default -> null;
        };
        String detail = e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage();
        if (kind == null) {
            return detail == null || detail.isBlank() ? e.getClass().getSimpleName() : detail;
        }
        return detail == null || detail.isBlank() ? kind : kind + ": " + detail;
    }

    /** Writes {@code value} as indented JSON and a line break: to {@code target} atomically, or to {@code stdout}. */
    static void writeJson(Path target, PrintWriter stdout, JsonNode value) {
        if (isStdout(target)) {
            try {
                stdout.println(PRETTY.writeValueAsString(value));
            } catch (IOException e) {
                throw new IllegalStateException("a JSON tree could not be written", e);
            }
            stdout.flush();
            return;
        }
        AtomicFile.write(target, out -> {
            PRETTY.writeValue(out, value);
            out.write('\n');
        });
    }
}

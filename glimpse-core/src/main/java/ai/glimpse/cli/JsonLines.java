package ai.glimpse.cli;

import ai.glimpse.InputException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JSON lines (one JSON object per line, <a href="https://jsonlines.org">jsonlines.org</a>) written as
 * results arrive, each line flushed at once: a consumer can read them while the run goes on, and a run
 * that stops keeps every line written before. The file is opened (and emptied) when the run starts.
 */
final class JsonLines implements AutoCloseable {
    private final Writer out;
    private final boolean stdout;
    private final String label;
    private long lines;

    private JsonLines(Writer out, boolean stdout, String label) {
        this.out = out;
        this.stdout = stdout;
        this.label = label;
    }

    /** Opens {@code target} for writing, or standard output for {@value Outputs#STDOUT}. */
    static JsonLines open(Path target, PrintWriter standardOutput, String option) {
        if (Outputs.isStdout(target)) {
            return new JsonLines(standardOutput, true, option + " -");
        }
        Outputs.requireWritableFile(target, option);
        try {
            BufferedWriter writer = Files.newBufferedWriter(target, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            return new JsonLines(writer, false, option + " " + target);
        } catch (IOException e) {
            throw new InputException(option + " " + target + ": cannot be written (" + e.getMessage() + ")");
        }
    }

    /** Writes one object as one line and flushes it. */
    void write(JsonNode object) {
        try {
            out.write(Outputs.JSON.writeValueAsString(object));
            out.write('\n');
            out.flush();
            lines++;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        } catch (IOException e) {
            throw new InputException(label + ": cannot be written after " + lines + " lines (" + e.getMessage() + ")", e);
        }
    }

    long lines() {
        return lines;
    }

    @Override
    public void close() {
        try {
            if (stdout) {
                out.flush();
            } else {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(label + ": cannot be closed", e);
        }
    }
}

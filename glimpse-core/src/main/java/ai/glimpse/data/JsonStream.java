package ai.glimpse.data;

import ai.glimpse.InputException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A streaming walk over one JSON file (Jackson's streaming API), for files too large to hold as one
 * tree: the top-level object is visited key by key and the elements of a large list are read one
 * small tree at a time. Jackson's errors become {@link InputException}s that name the file and give
 * the line and column.
 */
final class JsonStream implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Receives each top-level key with the parser on its value; it must consume or {@link #skip()} it. */
    @FunctionalInterface
    interface FieldVisitor {
        /** Returns false to stop the walk early (the rest of the file is not read). */
        boolean visit(String key, JsonToken valueToken);
    }

    private final String label;
    private final JsonParser parser;
    private JsonToken first;

    private JsonStream(String label, JsonParser parser) {
        this.label = label;
        this.parser = parser;
    }

    /**
     * Opens {@code file}; {@code label} prefixes every error, e.g. {@code captions file data/x.json}.
     * The file must exist (callers check, to give their own message).
     */
    static JsonStream open(Path file, String label) {
        try {
            return new JsonStream(label, MAPPER.createParser(Files.newInputStream(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the first token of the file (once); an empty file is an error. */
    JsonToken start() {
        if (first != null) {
            return first;
        }
        try {
            first = parser.nextToken();
            if (first == null) {
                throw error("empty file");
            }
            return first;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Visits the keys of the top-level object in file order, then checks that nothing follows it. */
    void fields(FieldVisitor visitor) {
        JsonToken first = start();
        if (first != JsonToken.START_OBJECT) {
            throw error("expected a JSON object at the top, found " + describe(first));
        }
        try {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!visitor.visit(key, value)) {
                    return;
                }
            }
            if (parser.nextToken() != null) {
                throw errorAtCursor("unexpected content after the top-level object");
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the current value, which must be a list, one element tree at a time. */
    void elements(String key, Consumer<JsonNode> each) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw errorAtCursor("\"" + key + "\" must be a list, found " + describe(parser.currentToken()));
        }
        for (JsonNode element = nextElement(); element != null; element = nextElement()) {
            each.accept(element);
        }
    }

    /** Inside a list: the next element as a tree, or null at the end of the list. */
    JsonNode nextElement() {
        try {
            return parser.nextToken() == JsonToken.END_ARRAY ? null : MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the current value as one small tree. */
    JsonNode tree() {
        try {
            return MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the current value (and all it contains). */
    void skip() {
        try {
            parser.skipChildren();
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An error about the file as a whole: {@code <label>: <message>}. */
    InputException error(String message) {
        return new InputException(label + ": " + message);
    }

    /** An error at the parser's position: {@code <label>: line L, column C: <message>}. */
    InputException errorAtCursor(String message) {
        JsonLocation at = parser.currentTokenLocation();
        return error("line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + message);
    }

    private InputException malformed(JsonProcessingException e) {
        return malformed(label, e);
    }

    /** {@code <label>: malformed JSON at line L, column C: <Jackson's reason>}, on one line. */
    static InputException malformed(String label, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String why = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").strip();
        return new InputException(label + ": malformed JSON" + where + ": " + why, e);
    }

    /** Words for a token in messages: "a list", "a number", ... */
    static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    /** Words for a node in messages, like {@link #describe(JsonToken)}. */
    static String describe(JsonNode node) {
        return describe(node == null || node.isMissingNode() ? null : node.asToken());
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package ai.glimpse.data;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads a captions file of any supported format into a {@link CaptionCorpus}, telling the format from
 * the file's content (never its name): a COCO captions file ({@link CocoCaptionsReader}), a Karpathy
 * split file ({@link KarpathySplitReader}) or a Flickr8k token file ({@link Flickr8kReader}).
 */
public final class CorpusReader {
    /** The supported caption file formats. */
    public enum Format {
        /** COCO captions JSON (2014 v1.0 and 2017 layouts). */
        COCO("coco"),
        /** Karpathy's split JSON ({@code dataset_coco.json}, {@code dataset_flickr8k.json}, ...). */
        KARPATHY("karpathy"),
        /** Flickr8k token text ({@code Flickr8k.token.txt}); Flickr30k's token file has the same layout. */
        FLICKR8K("flickr8k");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        /** The name {@link CaptionCorpus#format()} carries. */
        public String label() {
            return label;
        }
    }

    /** The head of a Flickr8k token line: {@code name.jpg#0} then a tab or spaces. */
    static final Pattern FLICKR_LINE_HEAD = Pattern.compile("^\\S+#\\d+\\s");
    private static final int SNIFF_BYTES = 8192;

    private CorpusReader() {
    }

    /** Reads {@code captionsFile}; Flickr8k split lists are looked for next to it. */
    public static CaptionCorpus read(Path captionsFile) {
        return read(captionsFile, null);
    }

    /**
     * Reads {@code captionsFile}, taking Flickr8k's split lists ({@code Flickr_8k.trainImages.txt}, ...)
     * from {@code flickrSplitDir}, or from the token file's folder when it is null. Other formats carry
     * their splits themselves and ignore the folder.
     */
    public static CaptionCorpus read(Path captionsFile, Path flickrSplitDir) {
        return switch (detect(captionsFile)) {
            case COCO -> CocoCaptionsReader.read(captionsFile);
            case KARPATHY -> KarpathySplitReader.read(captionsFile);
            case FLICKR8K -> Flickr8kReader.read(captionsFile,
                    flickrSplitDir != null ? flickrSplitDir : folderOf(captionsFile));
        };
    }

    /** Tells the format of {@code captionsFile} from its first bytes and, for JSON, its first keys. */
    public static Format detect(Path captionsFile) {
        String label = label(captionsFile);
        requireReadableFile(captionsFile, label);
        String head = head(captionsFile);
        String trimmed = head.strip();
        if (trimmed.isEmpty()) {
            throw new InputException(label + ": empty file");
        }
        char first = trimmed.charAt(0);
        if (first == '{' || first == '[') {
            return detectJson(captionsFile, label);
        }
        String firstLine = trimmed.lines().findFirst().orElse("");
        if (FLICKR_LINE_HEAD.matcher(firstLine).find()) {
            return Format.FLICKR8K;
        }
        throw new InputException(label + ": " + NOT_CAPTIONS
                + " (neither JSON nor 'image.jpg#0<TAB>caption' lines)");
    }

    static final String NOT_CAPTIONS = "not a COCO, Karpathy or Flickr8k captions file";

    private static Format detectJson(Path file, String label) {
        try (JsonStream json = JsonStream.open(file, label)) {
            if (json.start() == JsonToken.START_ARRAY) {
                JsonNode element = json.nextElement();
                if (element != null && element.has("image_id") && element.has("caption")) {
                    throw json.error(NOT_CAPTIONS + " (a JSON list of {image_id, caption}:"
                            + " this looks like a captioning results file)");
                }
                throw json.error(NOT_CAPTIONS + " (a JSON list, expected an object"
                        + " with \"annotations\" or \"images\")");
            }
            Format[] found = new Format[1];
            boolean[] sawImages = new boolean[1];
            boolean[] sawDataset = new boolean[1];
            json.fields((key, token) -> {
                switch (key) {
                    case "annotations" -> found[0] = Format.COCO;
                    case "images" -> {
                        sawImages[0] = true;
                        if (token != JsonToken.START_ARRAY) {
                            throw json.errorAtCursor("\"images\" must be a list, found " + JsonStream.describe(token));
                        }
                        JsonNode image = json.nextElement();
                        if (image != null) {
                            found[0] = imageKind(image, json);
                        }
                    }
                    case "dataset" -> {
                        sawDataset[0] = true;
                        json.skip();
                    }
                    default -> json.skip();
                }
                return found[0] == null;
            });
            if (found[0] != null) {
                return found[0];
            }
            if (sawImages[0]) {
                return sawDataset[0] ? Format.KARPATHY : Format.COCO; // an empty image list
            }
            throw json.error(NOT_CAPTIONS + " (no \"annotations\" or \"images\" key)");
        }
    }

    /** A Karpathy image has {@code sentences}; a COCO image has {@code file_name}. */
    private static Format imageKind(JsonNode image, JsonStream json) {
        if (image.has("sentences")) {
            return Format.KARPATHY;
        }
        if (image.has("file_name")) {
            return Format.COCO;
        }
        throw json.error(NOT_CAPTIONS + " (its first image has neither \"sentences\" (Karpathy)"
                + " nor \"file_name\" (COCO))");
    }

    private static String head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(SNIFF_BYTES);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The prefix of every message about a captions file. */
    static String label(Path captionsFile) {
        return "captions file " + captionsFile;
    }

    /**
     * Refuses a path that is missing, a folder, not a regular file (a named pipe would never end) or
     * unreadable, with a message that says which.
     */
    static void requireReadableFile(Path file, String label) {
        InputFiles.requireFile(file, label);
    }

    private static Path folderOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".");
    }
}

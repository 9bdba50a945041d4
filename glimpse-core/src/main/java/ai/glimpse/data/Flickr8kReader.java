package ai.glimpse.data;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Flickr8k captions as distributed by Hodosh, Young and Hockenmaier, "Framing Image
 * Description as a Ranking Task" (JAIR 2013): {@code Flickr8k.token.txt}, one caption per line as
 * {@code 1000268201_693b08cb0e.jpg#0<TAB>A child in a pink dress ...}, and the split lists
 * {@code Flickr_8k.trainImages.txt}, {@code Flickr_8k.devImages.txt} (validation) and
 * {@code Flickr_8k.testImages.txt}, one file name per line, in a given folder. Images no list names,
 * or all images when there are no lists, get {@link Split#NONE}. Flickr30k's token file has the same
 * layout and reads the same way.
 *
 * <p>An image's id and file are its file name; its captions come in file order. A byte-order mark,
 * CRLF line ends and blank lines are tolerated; any other line that is not {@code name#n<TAB>caption}
 * is refused with its line number.
 */
final class Flickr8kReader {
    static final String TRAIN_LIST = "Flickr_8k.trainImages.txt";
    static final String VAL_LIST = "Flickr_8k.devImages.txt";
    static final String TEST_LIST = "Flickr_8k.testImages.txt";

    private static final Pattern LINE = Pattern.compile("^(\\S+)#(\\d+)[\\t ]+(.*)$");
    private static final int SHOWN_CHARS = 60;

    private Flickr8kReader() {
    }

    static CaptionCorpus read(Path tokenFile, Path splitDir) {
        String label = CorpusReader.label(tokenFile);
        CorpusReader.requireReadableFile(tokenFile, label);
        if (!Files.isDirectory(splitDir)) {
            throw new InputException("Flickr8k split folder " + splitDir + ": not a folder");
        }
        Map<String, Split> splits = splitLists(splitDir);
        Map<String, List<String>> captions = new LinkedHashMap<>();
        forEachLine(tokenFile, label, (lineNr, line) -> {
            Matcher m = LINE.matcher(line);
            if (!m.matches() || m.group(3).isBlank()) {
                throw new InputException(label + ": line " + lineNr
                        + ": expected 'image.jpg#0<TAB>caption', found '" + shorten(line) + "'");
            }
            captions.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(3).strip());
        });
        if (captions.isEmpty()) {
            throw new InputException(label + ": empty file");
        }
        List<CorpusImage> images = new ArrayList<>(captions.size());
        captions.forEach((name, texts) ->
                images.add(new CorpusImage(name, name, 0, 0, splits.getOrDefault(name, Split.NONE), texts)));
        return new CaptionCorpus(CorpusReader.Format.FLICKR8K.label(), images);
    }

    /** File name to split, from whichever of the three lists exist in {@code dir}. */
    private static Map<String, Split> splitLists(Path dir) {
        Map<String, Split> splits = new HashMap<>();
        Map<String, Split> lists = new LinkedHashMap<>();
        lists.put(TRAIN_LIST, Split.TRAIN);
        lists.put(VAL_LIST, Split.VAL);
        lists.put(TEST_LIST, Split.TEST);
        lists.forEach((name, split) -> {
            Path list = dir.resolve(name);
            String label = "Flickr8k split list " + list;
            if (!Files.exists(list)) {
                return;
            }
            InputFiles.requireFile(list, label);
            forEachLine(list, label, (lineNr, line) -> {
                String image = line.strip();
                Split before = splits.putIfAbsent(image, split);
                if (before != null && before != split) {
                    throw new InputException(label + ": line " + lineNr + ": image " + image
                            + " is already in the " + before.label() + " list");
                }
            });
        });
        return splits;
    }

    /** Calls {@code each} with the 1-based number and text of every non-blank line (BOM and CR removed). */
    private static void forEachLine(Path file, String label, BiConsumer<Integer, String> each) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNr = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNr++;
                if (lineNr == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    each.accept(lineNr, line);
                }
            }
        } catch (CharacterCodingException e) {
            throw new InputException(label + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shorten(String line) {
        String shown = line.length() <= SHOWN_CHARS ? line : line.substring(0, SHOWN_CHARS) + "...";
        return shown.replace("\t", "<TAB>");
    }
}

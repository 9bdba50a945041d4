package ai.glimpse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The checks made on a path before Glimpse opens it to read. Only regular files are read as files, and
 * only folders as folders: opening a named pipe waits until some other process writes into it (forever,
 * when none does), and a device such as {@code /dev/zero} never ends. Each refusal is one line naming the
 * path and what it is instead.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Returns {@code file} when it is a readable regular file (symbolic links followed).
     *
     * @param label what the file is and its path, the start of every message (e.g. "captions file x.json")
     * @throws InputException when it is missing, a folder, anything else that is not a regular file, or
     *                        not readable
     */
    public static Path requireFile(Path file, String label) {
        BasicFileAttributes attributes = attributes(file, label);
        if (attributes.isDirectory()) {
            throw new InputException(label + ": is a folder, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new InputException(label + ": is " + kind(file) + ", not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new InputException(label + ": cannot be read (permission denied)");
        }
        return file;
    }

    /**
     * Returns {@code dir} when it is a folder (symbolic links followed).
     *
     * @throws InputException when it is missing or not a folder
     */
    public static Path requireFolder(Path dir, String label) {
        BasicFileAttributes attributes = attributes(dir, label);
        if (!attributes.isDirectory()) {
            throw new InputException(label + ": is " + (attributes.isRegularFile() ? "a file" : kind(dir))
                    + ", not a folder");
        }
        return dir;
    }

    /** Whether {@code file} exists (links followed) and is not a regular file: a folder, pipe, device or socket. */
    public static boolean isOtherThanFile(Path file) {
        return Files.exists(file) && !Files.isRegularFile(file);
    }

    private static BasicFileAttributes attributes(Path path, String label) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InputException(label + ": " + noSuchFile(path));
        } catch (AccessDeniedException e) {
            throw new InputException(label + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new InputException(label + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Why a path names no file: "no such file", or, when the name holds characters the Java runtime could
     * not decode (it reads the program's arguments in {@code sun.jnu.encoding}, putting U+FFFD for bytes
     * that are not valid there), that the name itself is the problem: a file called "caf\xE9.png" in
     * Latin-1 exists, but the name Java passes on is "caf\uFFFD.png".
     */
    public static String noSuchFile(Path path) {
        if (path.toString().indexOf('\uFFFD') < 0) {
            return "no such file";
        }
        String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
        return "cannot be opened by this name: it is not valid " + encoding + " text, and Java replaces the bytes it"
                + " cannot decode (shown as \uFFFD), so it looks for another name; rename the file, or pass the folder"
                + " it is in (files found in a folder are opened by their bytes)";
    }

    /** What a path that is neither a regular file nor a folder is, from its Unix file type when known. */
    private static String kind(Path path) {
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;    // S_IFMT
            return switch (type) {
                case 0010000 -> "a named pipe (FIFO)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }
}

package ai.glimpse.model;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Reads the pretrained CNN a user brings: a DL4J model zip (a {@link ComputationGraph} saved with
 * {@link ModelSerializer}, as the DL4J zoo ships them) or a Keras HDF5 file (a functional model, e.g.
 * {@code keras.applications.VGG16}), told apart by their first bytes.
 */
final class EncoderWeights {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private EncoderWeights() {
    }

    /**
     * Loads the whole graph in the file.
     *
     * @throws InputException naming the file when it is missing, unreadable, of another format or not
     *                        a loadable computation graph
     */
    static ComputationGraph read(Path file) {
        byte[] head = head(file);
        if (startsWith(head, ZIP)) {
            try {
                return ModelSerializer.restoreComputationGraph(file.toFile(), false);
            } catch (Exception | LinkageError e) {
                throw new InputException("weights file " + file + ": not a DL4J ComputationGraph zip (" + reason(e) + ")", e);
            }
        }
        if (startsWith(head, HDF5)) {
            try {
                org.bytedeco.hdf5.Exception.dontPrint();        // the message below says it in one line
                return KerasModelImport.importKerasModelAndWeights(file.toString(), false);
            } catch (Exception | LinkageError e) {
                throw new InputException("weights file " + file + ": cannot import it as a Keras functional model ("
                        + reason(e) + ")", e);
            }
        }
        throw new InputException("weights file " + file + ": neither a DL4J model zip nor a Keras .h5 file");
    }

    /**
     * A fingerprint of the file's content: its size and SHA-256 (about 1 s for VGG16's 530 MB), so a
     * copy keeps it and any changed byte does not.
     */
    static String fingerprint(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; size += n) {
                sha.update(buffer, 0, n);
            }
            return "bytes=" + size + ",sha256=" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new InputException("weights file " + file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static byte[] head(Path file) {
        InputFiles.requireFile(file, "weights file " + file);              // a named pipe would block the read
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HDF5.length);
        } catch (IOException e) {
            throw new InputException("weights file " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}

package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.NativeBackend;
import ai.glimpse.config.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The provenance a training run starts with, for {@code train} to put in every bundle it writes: this
 * Glimpse's version, the date, the command's arguments, the backend, and the data files with their sizes
 * and SHA-256 checksums (the images folder by path only: hashing every image of COCO would take longer
 * than some training runs). Steps, epochs and validation scores are added by
 * {@link ai.glimpse.model.ModelBundle#withTraining} when the weights are saved.
 */
final class TrainProvenance {
    private TrainProvenance() {
    }

    /**
     * What {@code train} knows before its first step.
     *
     * @param spec           the train command, for its arguments
     * @param encoderWeights the frozen encoder's weights file, or null
     * @param resume         the checkpoint the run resumes from, or null
     */
    static Provenance start(CommandSpec spec, Path captions, Path images, Path encoderWeights, Path resume) {
        List<Provenance.DataFile> data = new ArrayList<>();
        data.add(file("captions", captions));
        data.add(new Provenance.DataFile("images", images.toString(), null, null));
        if (encoderWeights != null) {
            data.add(file("encoder weights", encoderWeights));
        }
        if (resume != null) {
            data.add(file("resumed from", resume));
        }
        List<String> command = spec.commandLine().getParseResult() == null ? null
                : List.copyOf(rootArgs(spec));
        return Provenance.start(GlimpseCommand.glimpseVersion(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                command, NativeBackend.describe(), data);
    }

    private static List<String> rootArgs(CommandSpec spec) {
        var cmd = spec.commandLine();
        while (cmd.getParent() != null) {
            cmd = cmd.getParent();
        }
        return cmd.getParseResult() == null ? spec.commandLine().getParseResult().originalArgs()
                : cmd.getParseResult().originalArgs();
    }

    /** A data file with its size and checksum. */
    static Provenance.DataFile file(String role, Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            long bytes = 0;
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                bytes += n;
            }
            return new Provenance.DataFile(role, path.toString(), bytes, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new InputException(role + " file " + path + ": cannot be read (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}

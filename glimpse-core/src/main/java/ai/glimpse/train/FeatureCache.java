package ai.glimpse.train;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Frozen-encoder features computed once per image and kept on disk, as Show, Attend and Tell trains
 * its decoder on fixed conv features (Xu et al. 2015, 4.3): one memory-mapped file per {@link
 * CacheKey}, rows of L x D halves, reused across epochs and runs.
 *
 * <p>{@link #open} computes only the images the file lacks. A new or extended file is written whole
 * to a temporary file and renamed into place ({@link AtomicFile}), so a crash mid-build leaves the
 * previous file or none, never a partial one. A file that is truncated, damaged or made under another
 * key is rebuilt ({@link #rebuiltBecause()} says why); a row whose bytes were damaged after it was
 * written is caught by its CRC-32 when read. Reads are safe from several threads.
 */
public final class FeatureCache {
    private final Path file;
    private final CacheKey key;
    private final CacheFile data;
    private final Map<String, Integer> rows;
    private final int computed;
    private final String rebuiltBecause;

    private FeatureCache(Path file, CacheKey key, CacheFile data, int computed, String rebuiltBecause) {
        this.file = file;
        this.key = key;
        this.data = data;
        this.computed = computed;
        this.rebuiltBecause = rebuiltBecause;
        this.rows = new HashMap<>();
        for (int r = 0; r < data.files().size(); r++) {
            rows.put(data.files().get(r), r);
        }
    }

    /**
     * Opens the cache of {@code key} in {@code dir}, first computing through {@code source} the
     * features of every file of {@code imageFiles} it lacks. Rows already cached for other files stay.
     *
     * @throws InputException when the folder or file cannot be written, either is something else (a file
     *                        as the folder, a named pipe as the file), or the source refuses an image
     */
    public static FeatureCache open(Path dir, CacheKey key, List<String> imageFiles, FeatureSource source,
            Progress progress) {
        Objects.requireNonNull(source, "source");
        if (Files.exists(dir)) {
            InputFiles.requireFolder(dir, "feature cache folder " + dir);
        }
        Path path = dir.resolve(key.fileName());
        if (InputFiles.isOtherThanFile(path)) {
            InputFiles.requireFile(path, "feature cache " + path);   // a named pipe would be waited on forever
        }
        AtomicFile.removeStale(path);                                    // of crashed builds
        CacheFile old = null;
        String rebuilt = null;
        if (Files.exists(path)) {
            try {
                old = CacheFile.read(path, key);
            } catch (CacheFile.Invalid e) {
                rebuilt = e.getMessage();
            } catch (IOException e) {
                throw new InputException("feature cache " + path + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        LinkedHashSet<String> missing = new LinkedHashSet<>(imageFiles);
        if (old != null) {
            missing.removeAll(new HashSet<>(old.files()));
            if (missing.isEmpty()) {
                return new FeatureCache(path, key, old, 0, null);              // rows are checked when read
            }
        }
        // The file is rewritten: rows copied from the old one are checked now, damaged ones recomputed.
        List<String> keep = new ArrayList<>();
        if (old != null) {
            for (int r = 0; r < old.files().size(); r++) {
                if (old.intact(r)) {
                    keep.add(old.files().get(r));
                } else if (rebuilt == null) {
                    rebuilt = "row " + r + " (" + old.files().get(r) + ") was damaged";
                }
            }
        }
        missing = new LinkedHashSet<>(imageFiles);
        missing.removeAll(new HashSet<>(keep));
        build(path, key, old, keep, List.copyOf(missing), source, progress);
        try {
            return new FeatureCache(path, key, CacheFile.read(path, key), missing.size(), rebuilt);
        } catch (CacheFile.Invalid | IOException e) {
            throw new InputException("feature cache " + path + ": unreadable right after writing it (" + e.getMessage() + ")", e);
        }
    }

    /** Writes a new file: the kept rows of {@code old}, then the computed ones. */
    private static void build(Path path, CacheKey key, CacheFile old, List<String> keep, List<String> missing,
            FeatureSource source, Progress progress) {
        int perRow = key.regions() * key.dim();
        int batch = Math.max(1, source.batchSize());
        AtomicFile.write(path, out -> {
            CacheFile.Writer writer = new CacheFile.Writer(out, key, keep.size() + missing.size());
            if (!keep.isEmpty()) {
                Map<String, Integer> oldRows = new HashMap<>();
                for (int r = 0; r < old.files().size(); r++) {
                    oldRows.put(old.files().get(r), r);
                }
                for (String f : keep) {
                    writer.raw(f, old.rawRow(oldRows.get(f)));
                }
            }
            progress.start("encoding images", missing.size());
            try {
                for (int from = 0; from < missing.size(); from += batch) {
                    List<String> files = missing.subList(from, Math.min(missing.size(), from + batch));
                    float[] features = source.compute(files);                   // [n, L, D]
                    if (features.length != files.size() * perRow) {
                        throw new IllegalStateException("the feature source gave " + features.length + " values for "
                                + files.size() + " images of " + key.regions() + " x " + key.dim());
                    }
                    for (int i = 0; i < files.size(); i++) {
                        writer.row(files.get(i), features, i * perRow);
                    }
                    progress.advance(from + files.size(), null);
                }
            } finally {
                progress.finish();
            }
            writer.finish();
        });
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    public CacheKey key() {
        return key;
    }

    /** L, feature vectors per image. */
    public int regions() {
        return key.regions();
    }

    /** D, size of each feature vector. */
    public int dim() {
        return key.dim();
    }

    /** Number of images cached, including any cached by earlier opens for other image lists. */
    public int size() {
        return data.files().size();
    }

    /** Images whose features this open computed (0 when everything was cached). */
    public int computed() {
        return computed;
    }

    /** Why an existing file was not reused as it was (truncated, damaged, other key), if it was not. */
    public Optional<String> rebuiltBecause() {
        return Optional.ofNullable(rebuiltBecause);
    }

    /** The row of an image file, as named in the list given to {@link #open}. */
    public int row(String imageFile) {
        Integer r = rows.get(imageFile);
        if (r == null) {
            throw new IllegalArgumentException("no features cached for " + imageFile + " in " + file);
        }
        return r;
    }

    /** The features of row {@code row}: L * D floats, [L, D]. */
    public float[] read(int row) {
        float[] out = new float[key.regions() * key.dim()];
        copy(row, out, 0);
        return out;
    }

    /**
     * Writes the features of row {@code row} into {@code dst} from {@code offset}: [L, D].
     *
     * @throws InputException when the row's bytes no longer match their checksum (delete the file to rebuild)
     */
    public void copy(int row, float[] dst, int offset) {
        if (row < 0 || row >= size()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size());
        }
        if (!data.copy(row, dst, offset)) {
            throw new InputException("feature cache " + file + ": row " + row + " (" + data.files().get(row)
                    + ") is damaged (checksum mismatch); delete the file to rebuild it");
        }
    }
}

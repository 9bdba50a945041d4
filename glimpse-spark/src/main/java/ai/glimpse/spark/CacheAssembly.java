package ai.glimpse.spark;

import ai.glimpse.Progress;
import ai.glimpse.train.CacheKey;
import ai.glimpse.train.FeatureCache;
import ai.glimpse.train.FeatureSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Turns the features table into {@code glimpse train}'s feature cache: the core's {@link FeatureCache}
 * writes the file (its layout, key, checksums and atomic rename are the core's alone), fed by a {@link
 * FeatureSource} that streams the table's rows through the driver instead of running an encoder. Rows
 * the cache file already has are kept; the halves pass through floats unchanged (a half converts to a
 * float and back exactly).
 *
 * <p>The table is scanned twice in the same order (the same Parquet files, split the same way): names
 * first, to tell the cache what to expect, then names and features; the source checks every name.
 */
final class CacheAssembly {
    private CacheAssembly() {
    }

    static FeatureCache assemble(SparkSession spark, String table, Path cacheDir, CacheKey key, Progress progress) {
        Dataset<Row> ok = spark.read().parquet(table).where(FeatureTable.ERROR + " IS NULL");
        LinkedHashSet<String> names = new LinkedHashSet<>();
        ok.select(FeatureTable.FILE).collectAsList().forEach(r -> names.add(r.getString(0)));
        Iterator<Row> rows = ok.select(FeatureTable.FILE, FeatureTable.FEATURES).toLocalIterator();
        return FeatureCache.open(cacheDir, key, new ArrayList<>(names), new TableSource(rows, key), progress);
    }

    /** Features read from the table in its scan order; asked for a subsequence of it. */
    private static final class TableSource implements FeatureSource {
        private final Iterator<Row> rows;
        private final int perRow;

        TableSource(Iterator<Row> rows, CacheKey key) {
            this.rows = rows;
            this.perRow = key.regions() * key.dim();
        }

        @Override
        public float[] compute(List<String> files) {
            float[] out = new float[files.size() * perRow];                // [n, L, D]
            for (int i = 0; i < files.size(); i++) {
                Row r = next(files.get(i));
                byte[] features = (byte[]) r.get(1);
                if (features.length != 2 * perRow) {
                    throw new IllegalStateException(files.get(i) + ": " + features.length / 2 + " feature values in the table, the key says "
                            + perRow);
                }
                FeatureTable.decode(features, out, i * perRow);
            }
            return out;
        }

        /** Skips to the row of {@code file} (rows the cache already holds are passed over). */
        private Row next(String file) {
            while (rows.hasNext()) {
                Row r = rows.next();
                if (r.getString(0).equals(file)) {
                    return r;
                }
            }
            throw new IllegalStateException("the features table changed while the cache was assembled (" + file
                    + " not found in its second scan); run again");
        }

        @Override
        public int batchSize() {
            return 64;
        }
    }
}

package ai.glimpse.spark;

import ai.glimpse.train.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The features job's Parquet table, one row per image: {@code file} (the path below the images folder,
 * as a captions file names it and as {@code glimpse train}'s feature cache keys its rows), {@code path}
 * (the full URI), {@code features} (L x D IEEE halves, little-endian, regions row-major: the cache's own
 * row encoding, so assembling the cache loses nothing) and {@code error}.
 */
final class FeatureTable {
    static final String FILE = "file";
    static final String FEATURES = "features";
    static final String ERROR = "error";

    static final StructType SCHEMA = DataTypes.createStructType(new org.apache.spark.sql.types.StructField[] {
        DataTypes.createStructField(FILE, DataTypes.StringType, false),
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField(FEATURES, DataTypes.BinaryType, true),
        DataTypes.createStructField(ERROR, DataTypes.StringType, true)});

    private FeatureTable() {
    }

    /** A row of image {@code i}'s features out of a batch's [n, L, D] floats. */
    static Row encoded(String file, String path, float[] batch, int i, int perImage) {
        short[] halves = new short[perImage];
        Half.fromFloats(batch, i * perImage, halves, 0, perImage);
        ByteBuffer bytes = ByteBuffer.allocate(2 * perImage).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(halves);
        return RowFactory.create(file, path, bytes.array(), null);
    }

    static Row failed(String file, String path, String error) {
        return RowFactory.create(file, path, null, error);
    }

    /** The floats of a row's features into {@code dst} at {@code offset}: [L, D]. */
    static void decode(byte[] features, float[] dst, int offset) {
        short[] halves = new short[features.length / 2];
        ByteBuffer.wrap(features).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(halves);
        Half.toFloats(halves, 0, dst, offset, halves.length);
    }
}

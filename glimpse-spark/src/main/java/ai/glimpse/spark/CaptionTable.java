package ai.glimpse.spark;

import ai.glimpse.cli.CaptionCommand;
import ai.glimpse.decode.Caption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The caption job's Parquet table, one row per image: {@code path} (the file's full URI), {@code
 * image_id} (as {@code glimpse caption --json} gives it: the number of a COCO or synth file name, else
 * the file name), {@code caption}, {@code log_prob} (natural log), {@code words}, {@code finished} (the
 * caption ended with {@code <end>}), with {@code --attention} {@code alphas} [steps][L] and {@code
 * betas} [steps], and {@code error}: null for a captioned image, else the one-line reason it could not
 * be (then the caption columns are null).
 */
final class CaptionTable {
    static final String PATH = "path";
    static final String IMAGE_ID = "image_id";
    static final String CAPTION = "caption";
    static final String ERROR = "error";

    private CaptionTable() {
    }

    static StructType schema(boolean attention) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField(PATH, DataTypes.StringType, false),
                DataTypes.createStructField(IMAGE_ID, DataTypes.StringType, false),
                DataTypes.createStructField(CAPTION, DataTypes.StringType, true),
                DataTypes.createStructField("log_prob", DataTypes.DoubleType, true),
                DataTypes.createStructField("words", DataTypes.createArrayType(DataTypes.StringType, false), true),
                DataTypes.createStructField("finished", DataTypes.BooleanType, true)));
        if (attention) {
            fields.add(DataTypes.createStructField("alphas",
                    DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), true));
            fields.add(DataTypes.createStructField("betas", DataTypes.createArrayType(DataTypes.FloatType, false), true));
        }
        fields.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    /** The image id of a path, as text: {@code glimpse caption}'s rule on the file name. */
    static String imageId(String path) {
        return String.valueOf(CaptionCommand.imageId(Path.of(ImageListing.fileName(path))));
    }

    static Row captioned(String path, Caption c, boolean attention) {
        List<Object> v = new ArrayList<>(List.of(path, imageId(path), c.text(), c.logProb(), seq(c.words()), c.finished()));
        if (attention) {
            List<Object> alphas = new ArrayList<>();                    // [steps][L]
            for (float[] step : c.alphas()) {
                alphas.add(seq(step));
            }
            v.add(seq(alphas));
            v.add(seq(c.betas()));                                      // [steps]
        }
        v.add(null);
        return RowFactory.create(v.toArray());
    }

    /** A row's array value: Spark's rows hold Scala sequences. */
    static scala.collection.Seq<?> seq(List<?> values) {
        return CollectionConverters.asScala(values);
    }

    static scala.collection.Seq<?> seq(float[] values) {
        List<Float> boxed = new ArrayList<>(values.length);
        for (float v : values) {
            boxed.add(v);
        }
        return seq(boxed);
    }

    static Row failed(String path, String error, boolean attention) {
        Object[] v = new Object[attention ? 9 : 7];
        v[0] = path;
        v[1] = imageId(path);
        v[v.length - 1] = error;
        return RowFactory.create(v);
    }
}

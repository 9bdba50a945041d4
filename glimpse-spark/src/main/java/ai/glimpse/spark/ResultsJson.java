package ai.glimpse.spark;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The coco-caption results file of a caption table: {@code [{"image_id": ..., "caption": ...}]} for every
 * captioned image, in path order, as {@code glimpse caption --json} writes it (numeric ids as numbers).
 * The three short columns are collected and sorted on the driver (about 150 bytes an image: 1.5 GB of
 * driver heap for 10 million images), which on one machine takes a fraction of a Spark sort's time.
 */
final class ResultsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsJson() {
    }

    /** Writes the results of the table at {@code table} to {@code path}; returns the number of entries. */
    static long write(SparkSession spark, HadoopFiles files, String table, String path) {
        long[] count = {0};
        List<Row> sorted = new ArrayList<>(spark.read().parquet(table)
                .where(CaptionTable.ERROR + " IS NULL")
                .select(CaptionTable.PATH, CaptionTable.IMAGE_ID, CaptionTable.CAPTION)
                .collectAsList());
        sorted.sort(Comparator.comparing(r -> r.getString(0)));
        Iterator<Row> rows = sorted.iterator();
        files.writeAtomically(path, out -> {
            try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                g.useDefaultPrettyPrinter();
                g.writeStartArray();
                while (rows.hasNext()) {
                    Row r = rows.next();
                    g.writeStartObject();
                    String id = r.getString(1);
                    if (id.matches("[1-9][0-9]{0,17}|0")) {
                        g.writeNumberField("image_id", Long.parseLong(id));
                    } else {
                        g.writeStringField("image_id", id);
                    }
                    g.writeStringField("caption", r.getString(2));
                    g.writeEndObject();
                    count[0]++;
                }
                g.writeEndArray();
            }
        });
        return count[0];
    }
}

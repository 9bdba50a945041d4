package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.decode.Caption;
import ai.glimpse.decode.SearchStrategy;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Captions one partition: its batches of image files, one batch at a time (read, decoded and resized in
 * the task's thread, then captioned together with the executor's one model), so rows stream to the
 * Parquet writer as batches finish and a partition never holds more than one batch of images. A file
 * that cannot be read or decoded becomes a row with its error; the others in its batch are captioned.
 */
final class CaptionTask implements FlatMapFunction<Iterator<List<CaptionTask.Image>>, Row> {
    private static final long serialVersionUID = 1L;

    /**
     * An image of a batch: its URI, its size, and whether its row is wanted (a resumed run decodes whole
     * batches, as an uninterrupted run makes them, and keeps only the new rows).
     */
    record Image(String path, long length, boolean needed) implements java.io.Serializable {
    }

    private final ShippedModel model;
    private final HadoopFiles files;
    private final Decoding decoding;
    private final LongAccumulator failed;

    CaptionTask(ShippedModel model, HadoopFiles files, Decoding decoding, LongAccumulator failed) {
        this.model = model;
        this.files = files;
        this.decoding = decoding;
        this.failed = failed;
    }

    @Override
    public Iterator<Row> call(Iterator<List<Image>> batches) {
        ShippedModel.Loaded loaded = model.get();
        SearchStrategy strategy = decoding.strategy();
        ArrayDeque<Row> ready = new ArrayDeque<>();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && batches.hasNext()) {
                    caption(loaded, batches.next(), strategy, ready);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** Captions one batch, adding a row per file in order. */
    private void caption(ShippedModel.Loaded loaded, List<Image> batch, SearchStrategy strategy, ArrayDeque<Row> out) {
        int per = loaded.imageValues();
        float[] pixels = new float[batch.size() * per];                 // [n, 3, S, S], the loaded ones first
        String[] errors = new String[batch.size()];
        int n = 0;
        for (int i = 0; i < batch.size(); i++) {
            Image f = batch.get(i);
            try {
                float[] image = loaded.prepare(f.path(), files.readImage(f.path(), f.length()));
                System.arraycopy(image, 0, pixels, n++ * per, per);
            } catch (InputException e) {
                errors[i] = e.getMessage();
            }
        }
        List<Caption> captions = loaded.caption(pixels, n, strategy);
        int k = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (errors[i] == null) {
                Caption c = captions.get(k++);
                if (batch.get(i).needed()) {
                    out.add(CaptionTable.captioned(batch.get(i).path(), c, decoding.attention()));
                }
            } else if (batch.get(i).needed()) {
                failed.add(1);
                out.add(CaptionTable.failed(batch.get(i).path(), errors[i], decoding.attention()));
            }
        }
    }
}

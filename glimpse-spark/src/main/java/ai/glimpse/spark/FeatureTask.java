package ai.glimpse.spark;

import ai.glimpse.InputException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Encodes one partition: batches of images (read and prepared in the task's thread, encoded together
 * by the executor's one frozen encoder), streaming one row per image; an image that cannot be read or
 * decoded gets a row with its error.
 */
final class FeatureTask implements FlatMapFunction<Iterator<List<FeatureTask.Image>>, Row> {
    private static final long serialVersionUID = 1L;

    /**
     * An image of a batch: its name below the images folder, its URI, its size (-1: not in the folder),
     * and whether its row is wanted (a resumed run encodes whole batches, and keeps only the new rows).
     */
    record Image(String file, String path, long length, boolean needed) implements java.io.Serializable {
    }

    private final ShippedEncoder encoder;
    private final HadoopFiles files;
    private final LongAccumulator failed;

    FeatureTask(ShippedEncoder encoder, HadoopFiles files, LongAccumulator failed) {
        this.encoder = encoder;
        this.files = files;
        this.failed = failed;
    }

    @Override
    public Iterator<Row> call(Iterator<List<Image>> batches) {
        ShippedEncoder.Loaded loaded = encoder.get();
        ArrayDeque<Row> ready = new ArrayDeque<>();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && batches.hasNext()) {
                    encode(loaded, batches.next(), ready);
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

    private void encode(ShippedEncoder.Loaded loaded, List<Image> batch, ArrayDeque<Row> out) {
        int size = loaded.encoder.imageSize();
        int per = 3 * size * size;
        float[] pixels = new float[batch.size() * per];                 // [n, 3, S, S], the loaded ones first
        String[] errors = new String[batch.size()];
        int n = 0;
        for (int i = 0; i < batch.size(); i++) {
            Image im = batch.get(i);
            try {
                if (im.length() < 0) {
                    throw new InputException(im.path() + ": no such file (the captions file names it)");
                }
                float[] image = loaded.loader.load(im.path(), files.readImage(im.path(), im.length())).data();
                System.arraycopy(image, 0, pixels, n++ * per, per);
            } catch (InputException e) {
                errors[i] = e.getMessage();
            }
        }
        int perImage = loaded.encoder.regions() * loaded.encoder.featureDim();
        float[] features = n == 0 ? new float[0]
                : loaded.encoder.encode(java.util.Arrays.copyOf(pixels, n * per), n);   // [n, L, D]
        int k = 0;
        for (int i = 0; i < batch.size(); i++) {
            Image im = batch.get(i);
            if (errors[i] == null) {
                if (im.needed()) {
                    out.add(FeatureTable.encoded(im.file(), im.path(), features, k, perImage));
                }
                k++;
            } else if (im.needed()) {
                failed.add(1);
                out.add(FeatureTable.failed(im.file(), im.path(), errors[i]));
            }
        }
    }
}

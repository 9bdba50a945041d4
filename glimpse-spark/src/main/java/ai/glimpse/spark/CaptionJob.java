package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.decode.ImageCaptioner;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.spark.ImageListing.ImageFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The caption job on the driver: lists the images, leaves out those the output already has, and
 * captions the rest in chunks, each chunk one Spark job whose rows are appended to the Parquet table
 * {@code OUT/captions} and committed when it ends; then writes {@code OUT/results.json}. A crash loses at
 * most the chunk in progress, and a rerun into the same output captions only what is missing.
 *
 * <p>Images go to the tasks in batches of {@link ImageCaptioner#BATCH} in path order, as {@code glimpse
 * caption} batches the files of a folder, so both decode the same batches.
 */
final class CaptionJob {
    /** Batches per task (256 images): small enough for regular progress, large enough to amortise a task. */
    static final int BATCHES_PER_TASK = 16;

    /**
     * @param model          the model bundle (a local file, read by the driver)
     * @param images         folders, files or globs
     * @param out            the output folder (any file system Spark writes)
     * @param chunk          images per committed chunk
     * @param json           whether to write the coco-caption results file
     * @param encoderWeights a frozen encoder's weights (local file), or null for the path the model recorded
     */
    record Config(Path model, List<String> images, String out, boolean recursive, Decoding decoding, int chunk,
            boolean json, Path encoderWeights) {
        Config {
            if (chunk < ImageCaptioner.BATCH) {
                throw new InputException("--chunk must be at least " + ImageCaptioner.BATCH + " images, got " + chunk);
            }
        }
    }

    /** What a run did. */
    record Outcome(int listed, int skipped, int captioned, long failed, String results) {
    }

    private CaptionJob() {
    }

    /** Runs the job with a model bundle the caller loaded from {@code c.model()}. */
    static Outcome run(SparkSession spark, Config c, ModelBundle bundle, PrintWriter err) {
        long start = System.nanoTime();
        PhaseTimes times = new PhaseTimes();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
        byte[] modelBytes = read(c.model());
        ShippedModel.check(bundle, c.decoding().maxLength(), c.encoderWeights());

        String out = files.qualify(c.out());
        String table = out + "/captions";
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("job", "caption");
        settings.put("model_sha256", sha256(modelBytes));
        settings.put("beam", c.decoding().beam());
        settings.put("length_penalty", c.decoding().lengthPenalty());
        settings.put("max_length", c.decoding().maxLength());
        settings.put("attention", c.decoding().attention());
        JobManifest.claim(files, out, settings);

        times.lap("model");
        List<ImageFile> listed = ImageListing.list(spark, c.images(), c.recursive());
        if (c.json()) {
            requireDistinctIds(listed);
        }
        Set<String> done = new HashSet<>();
        if (files.exists(table)) {
            spark.read().parquet(table).select(CaptionTable.PATH).collectAsList().forEach(r -> done.add(r.getString(0)));
        }
        times.lap("listing");
        // Batches over the whole listing, as one uninterrupted run (and glimpse caption) makes them: a
        // resumed run decodes the batches not done, so its captions are the ones an uninterrupted run writes.
        List<List<CaptionTask.Image>> batches = new ArrayList<>();
        int todo = 0;
        for (int from = 0; from < listed.size(); from += ImageCaptioner.BATCH) {
            List<CaptionTask.Image> batch = new ArrayList<>();
            boolean needed = false;
            for (ImageFile f : listed.subList(from, Math.min(listed.size(), from + ImageCaptioner.BATCH))) {
                boolean missing = !done.contains(f.path());
                needed |= missing;
                todo += missing ? 1 : 0;
                batch.add(new CaptionTask.Image(f.path(), f.length(), missing));
            }
            if (needed) {
                batches.add(batch);
            }
        }
        int skipped = listed.size() - todo;
        int perChunk = Math.max(1, c.chunk() / ImageCaptioner.BATCH);
        int chunks = (batches.size() + perChunk - 1) / perChunk;
        err.printf(Locale.ROOT, "glimpse-spark: %d images; %d captioned before, %d to caption in %d chunk%s, on %s%n",
                listed.size(), skipped, todo, chunks, chunks == 1 ? "" : "s", spark.sparkContext().master());
        err.flush();

        LongAccumulator failed = spark.sparkContext().longAccumulator("glimpse failed images");
        SparkProgress progress = new SparkProgress(err, "images captioned", todo, failed);
        if (todo > 0) {
            String weights = null;
            if (c.encoderWeights() != null) {
                jsc.addFile(c.encoderWeights().toAbsolutePath().toString());
                weights = c.encoderWeights().getFileName().toString();
            }
            ShippedModel shipped = new ShippedModel(jsc.broadcast(modelBytes), sha256(modelBytes), weights,
                    c.decoding().maxLength());
            CaptionTask task = new CaptionTask(shipped, files, c.decoding(), failed);
            spark.sparkContext().addSparkListener(progress);
            try {
                for (int k = 0; k < chunks; k++) {
                    List<List<CaptionTask.Image>> chunk = new ArrayList<>(batches.subList(k * perChunk,
                            Math.min(batches.size(), (k + 1) * perChunk)));
                    int slices = Math.min(chunk.size(), Math.max(jsc.defaultParallelism(),
                            (chunk.size() + BATCHES_PER_TASK - 1) / BATCHES_PER_TASK));
                    jsc.setJobDescription("caption chunk " + (k + 1) + "/" + chunks);
                    JavaRDD<Row> rows = jsc.parallelize(chunk, slices).mapPartitions(task);
                    spark.createDataFrame(rows, CaptionTable.schema(c.decoding().attention()))
                            .write().mode(SaveMode.Append).parquet(table);
                }
            } finally {
                spark.sparkContext().removeSparkListener(progress);
                jsc.setJobDescription(null);
            }
        }
        times.lap("captioning");
        String results = null;
        if (c.json() && files.exists(table)) {
            results = out + "/results.json";
            ResultsJson.write(spark, files, table, results);
            times.lap("results.json");
        }
        long bad = failed.value();
        err.printf(Locale.ROOT, "glimpse-spark: %d captioned and %d failed in this run, %d skipped (in the output already); "
                + "%.1f s (%s)%n", todo - bad, bad, skipped, (System.nanoTime() - start) / 1e9, times);
        err.println("glimpse-spark: table " + table + (results == null ? "" : ", results " + results));
        err.flush();
        return new Outcome(listed.size(), skipped, todo - (int) bad, bad, results);
    }

    /** A results file holds one caption per image id: refuse inputs that would share one, as glimpse caption does. */
    static void requireDistinctIds(List<ImageFile> files) {
        Map<String, String> seen = new HashMap<>();
        for (ImageFile f : files) {
            String id = CaptionTable.imageId(f.path());
            String other = seen.putIfAbsent(id, f.path());
            if (other != null) {
                throw new InputException("results.json: " + other + " and " + f.path() + " would both be image_id " + id
                        + " (use --no-json to write the table only)");
            }
        }
    }

    static byte[] read(Path file) {
        ai.glimpse.InputFiles.requireFile(file, "model file " + file);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}

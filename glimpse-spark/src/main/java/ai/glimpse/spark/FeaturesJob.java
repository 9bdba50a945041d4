package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.cli.ConsoleProgress;
import ai.glimpse.data.CaptionCorpus;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.CorpusReader;
import ai.glimpse.data.Split;
import ai.glimpse.model.FrozenArchitecture;
import ai.glimpse.model.FrozenEncoder;
import ai.glimpse.train.CacheKey;
import ai.glimpse.train.FeatureCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * The features job on the driver: a frozen encoder's features for every image under a folder, computed
 * in parallel into the Parquet table {@code OUT/features} in committed chunks (resumable like the caption
 * job), then assembled into the feature cache file that {@code glimpse train --encoder E --encoder-weights
 * W --images DIR --feature-cache CACHE} reads: the same key (encoder and cut, weights fingerprint, size,
 * preprocessing), the same row names (paths below the images folder, as captions files name images).
 */
final class FeaturesJob {
    /** Images encoded together: {@code glimpse train}'s batch when it fills its cache. */
    static final int BATCH = 8;
    static final int BATCHES_PER_TASK = 16;

    /**
     * @param images    the images folder (what train's --images will be)
     * @param captions  train's captions file: encode the images train will ask for, in its order and
     *                  batches (then the cache is bit for bit the one train would make), or null: every
     *                  image below the folder, in path order
     * @param valImages train's --val-images (with {@code captions})
     * @param cacheDir  where to assemble the cache file (a local folder), or null to leave it
     */
    record Config(FrozenArchitecture architecture, Path weights, int imageSize, String images, Path captions, int valImages,
            String out, boolean recursive, int chunk, Path cacheDir) {
        Config {
            if (chunk < BATCH) {
                throw new InputException("--chunk must be at least " + BATCH + " images, got " + chunk);
            }
            if (valImages < 0) {
                throw new InputException("--val-images must be >= 0, got " + valImages);
            }
        }
    }

    /**
     * The images {@code glimpse train} encodes for its feature cache, in its order: the train split's, then
     * the first {@code valImages} of the val split's, as the captions file names them.
     */
    static List<String> trainsFiles(Config c) {
        CaptionCorpus corpus = CorpusReader.read(c.captions());
        List<String> names = new ArrayList<>(corpus.split(Split.TRAIN).stream().map(CorpusImage::file).toList());
        List<CorpusImage> val = corpus.split(Split.VAL);
        val.subList(0, Math.min(val.size(), c.valImages())).forEach(i -> names.add(i.file()));
        if (names.isEmpty()) {
            throw new InputException("--captions " + c.captions() + ": no images in its train and val splits");
        }
        return names.stream().distinct().toList();
    }

    /** What a run did; {@code cache} is null when none was assembled. */
    record Outcome(int listed, int skipped, int encoded, long failed, FeatureCache cache) {
    }

    private FeaturesJob() {
    }

    static Outcome run(SparkSession spark, Config c, PrintWriter err) {
        long start = System.nanoTime();
        PhaseTimes times = new PhaseTimes();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
        InputFiles.requireFile(c.weights(), "--encoder-weights " + c.weights());
        FrozenEncoder encoder = FrozenEncoder.load(c.architecture(), c.weights(), c.imageSize());
        CacheKey key = CacheKey.of(encoder, ShippedEncoder.preprocessing(encoder));
        String fingerprint = encoder.weightsFingerprint();
        String described = String.format(Locale.ROOT, "%s, %d regions x %d per image", encoder.description(),
                encoder.regions(), encoder.featureDim());
        encoder = null;                                   // the executors load their own; this JVM may be one of them

        times.lap("encoder");
        String out = files.qualify(c.out());
        String table = out + "/features";
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("job", "features");
        settings.put("key", key);
        JobManifest.claim(files, out, settings);

        String root = files.qualify(c.images()).replaceFirst("/+$", "") + "/";
        Map<String, Long> found = new HashMap<>();                      // name below the folder -> bytes
        for (ImageListing.ImageFile f : ImageListing.list(spark, List.of(c.images()), c.recursive())) {
            if (!f.path().startsWith(root)) {
                throw new InputException("--images " + c.images() + " must be one folder (the one train's --images names); "
                        + f.path() + " is not below " + root);
            }
            found.put(f.path().substring(root.length()), f.length());
        }
        List<String> names = c.captions() == null ? found.keySet().stream().sorted().toList() : trainsFiles(c);
        times.lap("listing");
        Set<String> done = new HashSet<>();
        if (files.exists(table)) {
            spark.read().parquet(table).select(FeatureTable.FILE).collectAsList().forEach(r -> done.add(r.getString(0)));
        }
        // Batches over the whole list, as one uninterrupted run makes them (an image's features depend, in
        // the last float bit, on its place in its batch): a resumed run encodes the batches not done.
        List<List<FeatureTask.Image>> batches = new ArrayList<>();
        int todo = 0;
        for (int from = 0; from < names.size(); from += BATCH) {
            List<FeatureTask.Image> batch = new ArrayList<>();
            boolean needed = false;
            for (String name : names.subList(from, Math.min(names.size(), from + BATCH))) {
                boolean missing = !done.contains(name);
                needed |= missing;
                todo += missing ? 1 : 0;
                batch.add(new FeatureTask.Image(name, root + name, found.getOrDefault(name, -1L), missing));
            }
            if (needed) {
                batches.add(batch);
            }
        }
        int listedCount = names.size();
        int perChunk = Math.max(1, c.chunk() / BATCH);
        int chunks = (batches.size() + perChunk - 1) / perChunk;
        err.printf(Locale.ROOT, "glimpse-spark: %s; %d images%s, %d encoded before, %d to encode in "
                + "%d chunk%s, on %s%n", described, listedCount,
                c.captions() == null ? "" : " (train's, from " + c.captions().getFileName() + ")", listedCount - todo, todo,
                chunks, chunks == 1 ? "" : "s", spark.sparkContext().master());
        err.flush();

        LongAccumulator failed = spark.sparkContext().longAccumulator("glimpse failed images");
        if (todo > 0) {
            jsc.addFile(c.weights().toAbsolutePath().toString());
            ShippedEncoder shipped = new ShippedEncoder(c.architecture(), c.weights().getFileName().toString(),
                    fingerprint, c.imageSize());
            FeatureTask task = new FeatureTask(shipped, files, failed);
            SparkProgress progress = new SparkProgress(err, "images encoded", todo, failed);
            spark.sparkContext().addSparkListener(progress);
            try {
                for (int k = 0; k < chunks; k++) {
                    List<List<FeatureTask.Image>> chunk = new ArrayList<>(batches.subList(k * perChunk,
                            Math.min(batches.size(), (k + 1) * perChunk)));
                    int slices = Math.min(chunk.size(), Math.max(jsc.defaultParallelism(),
                            (chunk.size() + BATCHES_PER_TASK - 1) / BATCHES_PER_TASK));
                    jsc.setJobDescription("features chunk " + (k + 1) + "/" + chunks);
                    JavaRDD<Row> rows = jsc.parallelize(chunk, slices).mapPartitions(task);
                    spark.createDataFrame(rows, FeatureTable.SCHEMA).write().mode(SaveMode.Append).parquet(table);
                }
            } finally {
                spark.sparkContext().removeSparkListener(progress);
                jsc.setJobDescription(null);
            }
        }
        times.lap("encoding");
        long bad = failed.value();
        FeatureCache cache = null;
        if (c.cacheDir() != null && files.exists(table)) {
            jsc.setJobDescription("assemble the feature cache");
            cache = CacheAssembly.assemble(spark, table, c.cacheDir(), key, ConsoleProgress.on(err));
            jsc.setJobDescription(null);
            times.lap("cache");
            err.printf(Locale.ROOT, "glimpse-spark: feature cache %s: %d images (%d added now)%n", cache.file(), cache.size(),
                    cache.computed());
        } else if (c.cacheDir() == null) {
            err.println("glimpse-spark: table " + table + "; no feature cache assembled (run again with --feature-cache LOCAL_DIR)");
        }
        err.printf(Locale.ROOT, "glimpse-spark: %d encoded and %d failed in this run, %d skipped (in the table already); %.1f s (%s)%n",
                todo - bad, bad, listedCount - todo, (System.nanoTime() - start) / 1e9, times);
        err.flush();
        return new Outcome(listedCount, listedCount - todo, (int) (todo - bad), bad, cache);
    }
}

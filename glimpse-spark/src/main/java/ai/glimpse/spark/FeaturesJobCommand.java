package ai.glimpse.spark;

import ai.glimpse.InputException;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.model.FrozenArchitecture;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse-spark features}: a frozen encoder's features for an image folder, as train's feature cache. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Computes a frozen encoder's features for every image below a folder, in parallel, into",
            "OUT/features (Parquet: file, path, features as L x D halves, error), then assembles them into the",
            "feature cache that 'glimpse train' reads: pass the same --encoder, --encoder-weights, --image-size",
            "and --images to train, and --feature-cache the folder given here; train then encodes nothing.",
            "A rerun into the same OUT encodes only the images it does not have yet.",
            "Example: glimpse-spark features --encoder vgg16 --encoder-weights vgg16.h5 --images coco/images \\",
            "    --out coco/features --feature-cache coco/feature-cache"})
final class FeaturesJobCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--encoder", required = true, paramLabel = "NAME", description = "vgg16 or resnet50.")
    String encoder;

    @Option(names = "--encoder-weights", required = true, paramLabel = "FILE",
            description = "The encoder's ImageNet weights: a DL4J zoo model zip or a Keras .h5 (a local file, shipped to every executor).")
    Path weights;

    @Option(names = "--image-size", defaultValue = "224", paramLabel = "N",
            description = "Side of the square encoder input, as train's --image-size. Default: ${DEFAULT-VALUE}.")
    int imageSize;

    @Option(names = "--images", required = true, paramLabel = "DIR",
            description = "The images folder (train's --images); its files are named by their path below it.")
    String images;

    @Option(names = "--captions", paramLabel = "FILE",
            description = {"Train's captions file: encode only the images train will ask for (its train split, then",
                "the first --val-images of val), in train's order and batches, so that the cache is bit for bit",
                "the one train would build. Default: every image below --images, in path order."})
    Path captions;

    @Option(names = "--val-images", defaultValue = "500", paramLabel = "N",
            description = "With --captions: train's --val-images. Default: ${DEFAULT-VALUE}, as train's.")
    int valImages;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The output folder (any file system Spark writes).")
    String out;

    @Option(names = "--feature-cache", paramLabel = "DIR",
            description = "Where to assemble the cache file (a local folder). Default: OUT/feature-cache when OUT is local.")
    Path featureCache;

    @Option(names = "--recursive", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Read subfolders too (--no-recursive: one level). Default: ${DEFAULT-VALUE}.")
    boolean recursive;

    @Option(names = "--chunk", defaultValue = "2048", paramLabel = "N",
            description = "Images per committed chunk: a crash loses at most one. Default: ${DEFAULT-VALUE}.")
    int chunk;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ModelConfig.Encoder kind;
        try {
            kind = ModelConfig.Encoder.parse(encoder);
        } catch (IllegalArgumentException e) {
            throw new InputException("--encoder: " + e.getMessage());
        }
        if (kind == ModelConfig.Encoder.SMALL) {
            throw new InputException("--encoder small is trained with the decoder: it has no fixed features to compute (vgg16 or resnet50)");
        }
        FrozenArchitecture architecture = FrozenArchitecture.of(kind);
        architecture.requireImageSize(imageSize);
        SparkSession spark = cluster.start("glimpse-spark features");
        try {
            HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
            Path cache = featureCache != null ? featureCache
                    : files.isLocal(out) ? Path.of(java.net.URI.create(files.qualify(out) + "/feature-cache")) : null;
            FeaturesJob.Config config = new FeaturesJob.Config(architecture, weights, imageSize, images, captions, valImages,
                    out, recursive, chunk, cache);
            FeaturesJob.Outcome o = FeaturesJob.run(spark, config, err);
            return o.failed() > 0 ? SparkMain.BAD_INPUT : SparkMain.OK;
        } finally {
            spark.stop();
        }
    }
}

package ai.glimpse.spark;

import ai.glimpse.model.ModelBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse-spark caption}: captions an image set on Spark into Parquet and a coco-caption results file. */
@Command(name = "caption", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Captions every image under the given paths with a model, in parallel, and writes",
            "OUT/captions (Parquet: path, image_id, caption, log_prob, words, finished, error; alphas and",
            "betas with --attention) and OUT/results.json (coco-caption results). An image that cannot be",
            "read gets a row with its error; the exit code is then 2. A rerun into the same OUT captions",
            "only the images it does not have yet.",
            "Example: glimpse-spark caption --model pretrained/glimpse-shapes.zip --images photos/ --out run1"})
final class CaptionJobCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle made by 'glimpse train'.")
    Path model;

    @Option(names = "--images", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Folders (read recursively), image files or globs, on any file system Spark reads.")
    List<String> images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The output folder.")
    String out;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "N",
            description = "Beam width, 1.." + Decoding.MAX_BEAM + "; 1 is greedy search. Default: ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--length-penalty", defaultValue = "1.0", paramLabel = "X",
            description = "Beam search ranks captions by log p / steps^X. Default: ${DEFAULT-VALUE}.")
    double lengthPenalty;

    @Option(names = "--max-length", paramLabel = "N", description = "Most words in a caption. Default: the model's.")
    Integer maxLength;

    @Option(names = "--attention", description = "Add each caption's alphas [steps][regions] and betas [steps] to the table.")
    boolean attention;

    @Option(names = "--encoder-weights", paramLabel = "FILE",
            description = "For a model on vgg16/resnet50 features: the encoder's weights, shipped to every executor.")
    Path encoderWeights;

    @Option(names = "--recursive", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Read folders' subfolders too (--no-recursive: one level). Default: ${DEFAULT-VALUE}.")
    boolean recursive;

    @Option(names = "--chunk", defaultValue = "4096", paramLabel = "N",
            description = "Images per committed chunk: a crash loses at most one. Default: ${DEFAULT-VALUE}.")
    int chunk;

    @Option(names = "--json", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write OUT/results.json (--no-json: the table only). Default: ${DEFAULT-VALUE}.")
    boolean json;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ModelBundle bundle = ModelBundle.load(model);                   // a bad model is refused before Spark starts
        Decoding decoding = new Decoding(beam, lengthPenalty, maxLength == null ? bundle.config().maxLength() : maxLength,
                attention);
        CaptionJob.Config config = new CaptionJob.Config(model, images, out, recursive, decoding, chunk, json, encoderWeights);
        SparkSession spark = cluster.start("glimpse-spark caption");
        try {
            CaptionJob.Outcome o = CaptionJob.run(spark, config, bundle, err);
            return o.failed() > 0 ? SparkMain.BAD_INPUT : SparkMain.OK;
        } finally {
            spark.stop();
        }
    }
}

package ai.glimpse.spark;

import ai.glimpse.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import picocli.CommandLine;

/** Shared fixtures: synthetic images, a VGG16-shaped weights file, and both command lines run in-process. */
final class Fixtures {
    /** The shipped demo model (128 px, the small encoder). */
    static final Path SHAPES_MODEL = Path.of(System.getProperty("basedir", "."), "..", "pretrained", "glimpse-shapes.zip")
            .normalize();

    private Fixtures() {
    }

    /** Output and exit code of one command line. */
    record Run(int code, String out, String err) {
    }

    /** Runs {@code glimpse ARGS} (the core's command line). */
    static Run glimpse(List<String> args) {
        return run(Main.commandLine(), args);
    }

    /** Runs {@code glimpse-spark ARGS}. */
    static Run glimpseSpark(List<String> args) {
        return run(SparkMain.commandLine(), args);
    }

    private static Run run(CommandLine cmd, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code glimpse synth}: n synthetic scenes of 128 px in {@code dir/images}, captions in {@code dir/dataset.json}. */
    static Path synth(Path dir, int n, long seed) {
        Run r = glimpse(List.of("synth", "--out", dir.toString(), "--images", Integer.toString(n), "--seed", Long.toString(seed)));
        if (r.code() != 0) {
            throw new IllegalStateException("synth failed: " + r.err());
        }
        return dir.resolve("images");
    }

    /** A file with an image extension that is no image. */
    static Path broken(Path dir) throws IOException {
        return Files.write(dir.resolve("broken.png"), "this is not a PNG file".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * A DL4J zip of VGG16's convolutional part (13 3x3 convolutions of VGG16's widths with ReLU, a 2x2
     * max-pool after each block; no classifier), random He weights, for {@code size}-pixel images: what
     * {@code FrozenEncoder} cuts at conv5_3.
     */
    static Path vgg16Weights(Path file, int size, long seed) throws IOException {
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed)
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(size, size, 3));
        String previous = "input";
        for (int b = 0; b < blocks.length; b++) {
            for (int c = 0; c < blocks[b].length; c++) {
                String name = "block" + (b + 1) + "_conv" + (c + 1);
                g.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(blocks[b][c]).activation(Activation.RELU).build(), previous);
                previous = name;
            }
            String pool = "block" + (b + 1) + "_pool";
            g.addLayer(pool, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), previous);
            previous = pool;
        }
        ComputationGraph net = new ComputationGraph(g.setOutputs(previous).build());
        net.init();
        ModelSerializer.writeModel(net, file.toFile(), false);
        return file;
    }

    /** A Spark session for reading the jobs' tables. */
    static SparkSession reader() {
        return SparkSession.builder().master("local[1]").appName("test reader").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }
}

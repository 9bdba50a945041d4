package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.NativeBackend;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.Provenance;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.model.Npy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse info}: what a model file is (encoder, sizes, vocabulary, parameters) and where it came from
 * (its {@link Provenance}), read from its manifest and the headers of its weights, without loading them;
 * then the backend this machine would run it on.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Describes a model file: what it is and where it came from.",
            "Reads the model's manifest and the headers of its weights (the weights themselves are not loaded): the"
                    + " encoder and the decoder's sizes, the vocabulary, the number of parameters, how images are"
                    + " prepared for it, and, for models that recorded it, the Glimpse version, date, command, data"
                    + " files with their checksums, steps and validation scores of the run that trained it. Then"
                    + " the backend this machine runs models on."},
        footerHeading = "%nExample:%n",
        footer = {"  glimpse info pretrained/glimpse-shapes.zip"})
public final class InfoCommand implements Callable<Integer> {
    private static final String MANIFEST = "glimpse.json";
    private static final String TRAINER = "trainer.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A model file (or a training checkpoint).")
    Path file;

    @Override
    public Integer call() {
        DecodeOptions.requireModelFile(file, "model file");
        PrintWriter out = spec.commandLine().getOut();
        String source = file.toString();
        try (ZipFile zip = ModelBundle.open(file)) {
            JsonNode manifest = ModelBundle.readJson(zip, MANIFEST, source);
            if (!ModelBundle.FORMAT.equals(manifest.path("format").asText())) {
                throw new InputException(source + ": not a Glimpse model (format is '" + manifest.path("format").asText() + "')");
            }
            ModelConfig config = part(manifest, "model", ModelConfig.class, source);
            JsonNode pre = manifest.path("preprocessing");
            JsonNode vocabulary = manifest.path("vocabulary");
            long[] parameters = parameters(zip, source);
            Provenance provenance = ModelBundle.provenance(manifest, source);

            line(out, "file", source + " (" + megabytes(Files.size(file)) + ")");
            line(out, "format", ModelBundle.FORMAT + " version " + manifest.path("version").asInt()
                    + (zip.getEntry(TRAINER) != null ? "; a training checkpoint (" + checkpoint(zip, source) + ")" : ""));
            line(out, "encoder", encoder(config, manifest.path("encoder")));
            line(out, "decoder", decoder(config));
            String extras = extras(config);
            if (!extras.isEmpty()) {
                line(out, "extras", extras);
            }
            int entries = vocabulary.path("words").size();
            line(out, "vocabulary", entries + " entries: " + Math.max(0, entries - Vocabulary.SPECIALS.size()) + " words"
                    + (vocabulary.has("minFreq") ? " (each seen at least " + vocabulary.path("minFreq").asInt()
                            + " times in training)" : "") + " and <pad>, <start>, <end>, <unk>");
            line(out, "parameters", String.format(Locale.ROOT, "%,d in %d tensors", parameters[0], parameters[1]));
            line(out, "images", pre.path("size").asInt() + " px, " + pre.path("policy").asText().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + (pre.path("imagenetNormalize").asBoolean() ? ", ImageNet normalisation" : ""));
            provenance(out, provenance);
        } catch (ZipException e) {
            throw new InputException("model file " + file + ": damaged (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line(out, "backend", NativeBackend.describe());
        out.flush();
        return Main.OK;
    }

    private static <T> T part(JsonNode manifest, String name, Class<T> type, String source) {
        if (!manifest.path(name).isObject()) {
            throw new InputException(source + ": incomplete model: " + MANIFEST + " has no \"" + name + "\"");
        }
        try {
            return JSON.treeToValue(manifest.get(name), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(source + ": bad model configuration: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The number of weights and of weight tensors, from the .npy headers alone. */
    private static long[] parameters(ZipFile zip, String source) throws IOException {
        long count = 0;
        long tensors = 0;
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (entry.getName().startsWith("weights/") && entry.getName().endsWith(".npy")) {
                try (InputStream in = zip.getInputStream(entry)) {
                    count += Npy.readHeader(in, source + ":" + entry.getName()).count();
                    tensors++;
                }
            }
        }
        return new long[] {count, tensors};
    }

    private static String checkpoint(ZipFile zip, String source) throws IOException {
        JsonNode state = ModelBundle.readJson(zip, TRAINER, source).path("state");
        double best = state.path("bestScore").asDouble(Double.NaN);
        return "step " + state.path("step").asLong() + ", epoch " + state.path("epoch").asInt()
                + (Double.isFinite(best) ? String.format(Locale.ROOT, ", best validation CIDEr-D %.3f", best) : "")
                + "; resume it with train --resume";
    }

    private static String encoder(ModelConfig c, JsonNode frozen) {
        String grid = c.gridSize() + "x" + c.gridSize() + " grid of " + c.featureDim() + "-d features";
        if (c.encoder() == ModelConfig.Encoder.SMALL) {
            String channels = c.cnnChannels().stream().map(String::valueOf).collect(Collectors.joining(", "));
            return "small CNN trained with the decoder: " + c.cnnChannels().size() + " blocks of " + channels + " channels"
                    + (c.cnnLayerNorm() ? " with layer norm" : "")
                    + (c.gridConvs() > 0 ? ", " + c.gridConvs() + " more convolutions at the grid" : "")
                    + "; " + c.imageSize() + " px in, " + grid;
        }
        String weights = frozen.has("weightsPath") && !frozen.path("weightsPath").isNull()
                ? "; weights " + frozen.path("weightsPath").asText() : "";
        return c.encoder().label() + ", frozen (features cached): " + c.imageSize() + " px in, " + grid + weights;
    }

    private static String decoder(ModelConfig c) {
        return String.format(Locale.ROOT, "attention LSTM (soft attention): embedding %d, LSTM %d, attention %d, dropout %s,"
                + " lambda %s; at most %d words", c.embedDim(), c.hiddenDim(), c.attentionDim(), number(c.dropout()),
                number(c.alphaRegularization()), c.maxLength());
    }

    private static String extras(ModelConfig c) {
        List<String> parts = new ArrayList<>();
        if (c.wordLoss() > 0) {
            parts.add("word-detection loss " + number(c.wordLoss()) + " (its detectors are stored, not used to caption)");
        }
        if (c.contextLoss() > 0) {
            parts.add("context loss " + number(c.contextLoss()));
        }
        if (c.coordinates()) {
            parts.add("coordinate channels");
        }
        if (c.coverage()) {
            parts.add("coverage");
        }
        if (c.spatialSoftmax()) {
            parts.add("spatial softmax");
        }
        return String.join("; ", parts);
    }

    private static void provenance(PrintWriter out, Provenance p) {
        if (p == null) {
            line(out, "trained", "not recorded (a model written before Glimpse recorded where its models come from)");
            return;
        }
        String when = p.created() == null ? "" : " on " + p.created();
        String steps = p.steps() == null ? "" : "; " + String.format(Locale.ROOT, "%,d", p.steps()) + " steps"
                + (p.epochs() == null ? "" : " (" + p.epochs() + " epochs)");
        line(out, "trained", "by Glimpse " + p.glimpseVersion() + when + steps);
        if (p.command() != null) {
            line(out, "command", "glimpse " + String.join(" ", p.command()));
        }
        boolean first = true;
        for (Provenance.DataFile f : p.data()) {
            String facts = f.bytes() == null ? "" : " (" + megabytes(f.bytes()) + (f.sha256() == null ? "" : ", sha256 " + f.sha256()) + ")";
            line(out, first ? "data" : "", f.role() + " " + f.path() + facts);
            first = false;
        }
        if (p.validation() != null) {
            line(out, "validation", p.validation().entrySet().stream()
                    .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.4f", e.getValue()))
                    .collect(Collectors.joining(", ")));
        }
        if (p.backend() != null) {
            line(out, "trained on", p.backend());
        }
    }

    private static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e9 ? String.valueOf((long) x) : String.valueOf(x);
    }

    private static String megabytes(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    private static void line(PrintWriter out, String label, String text) {
        out.printf("%-11s %s%n", label, text);
    }
}

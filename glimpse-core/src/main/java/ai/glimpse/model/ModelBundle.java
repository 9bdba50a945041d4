package ai.glimpse.model;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.Provenance;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.Vocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained model as one file a user can pass around: a zip holding {@code glimpse.json} (format
 * version, model configuration, image preprocessing, vocabulary, and where the model came from when
 * known: {@link Provenance}) and one {@code weights/NAME.npy} per parameter tensor. Written through a
 * temporary file and a rename, so a crash never leaves a broken one.
 *
 * @param provenance what trained the model on which data (null: not recorded, as in bundles written
 *                   before Glimpse recorded it; they still load)
 */
public record ModelBundle(CaptionModel model, Vocabulary vocabulary, ImageOptions preprocessing, FrozenEncoderRef encoder,
        Provenance provenance) {
    public static final String FORMAT = "glimpse-model";
    public static final int VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = "glimpse.json";
    private static final String WEIGHTS = "weights/";

    public ModelBundle {
        if (vocabulary.size() != model.config().vocabSize()) {
            throw new IllegalArgumentException("vocabulary has " + vocabulary.size() + " words but the model expects "
                    + model.config().vocabSize());
        }
        if (preprocessing.size() != model.config().imageSize()) {
            throw new IllegalArgumentException("preprocessing makes " + preprocessing.size() + " px images but the model expects "
                    + model.config().imageSize());
        }
        if (encoder != null && model.takesImages()) {
            throw new IllegalArgumentException("a small-encoder model has no frozen encoder");
        }
    }

    /** A bundle whose provenance is not recorded. */
    public ModelBundle(CaptionModel model, Vocabulary vocabulary, ImageOptions preprocessing, FrozenEncoderRef encoder) {
        this(model, vocabulary, preprocessing, encoder, null);
    }

    /**
     * A bundle without a frozen encoder: the {@code small} encoder (trained with the model, stored in the
     * weights), or a decoder on features from elsewhere (which decodes features but cannot read images).
     */
    public ModelBundle(CaptionModel model, Vocabulary vocabulary, ImageOptions preprocessing) {
        this(model, vocabulary, preprocessing, null, null);
    }

    /** The same model (sharing its weights) with this provenance. */
    public ModelBundle withProvenance(Provenance value) {
        return new ModelBundle(model, vocabulary, preprocessing, encoder, value);
    }

    /**
     * The same model (sharing its weights), its provenance completed for weights saved after {@code steps}
     * captioning steps and {@code epochs} epochs with these validation scores: what the training side calls
     * before it saves the model. A bundle without provenance stays without.
     */
    public ModelBundle withTraining(long steps, int epochs, Map<String, Double> validation) {
        return provenance == null ? this : withProvenance(provenance.trained(steps, epochs, validation));
    }

    public ModelConfig config() {
        return model.config();
    }

    /** Saves the bundle atomically. */
    public void save(Path file) {
        AtomicFile.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                writeEntries(zip);
            }
        });
    }

    /** Writes the manifest and the weights into an open zip (checkpoints add their own entries). */
    public void writeEntries(ZipOutputStream zip) throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("version", VERSION);
        manifest.set("model", JSON.valueToTree(model.config()));
        manifest.set("preprocessing", JSON.valueToTree(preprocessing));
        manifest.set("vocabulary", vocabulary.toJson());
        if (encoder != null) {
            manifest.set("encoder", JSON.valueToTree(encoder));
        }
        manifest.set("parameters", JSON.valueToTree(model.params().names()));
        if (provenance != null) {
            manifest.set("provenance", JSON.valueToTree(provenance));
        }
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.write('\n');
        zip.closeEntry();
        writeArrays(zip, WEIGHTS, model.params());
    }

    /** Writes each named array as {@code prefix + name + ".npy"}. */
    public static void writeArrays(ZipOutputStream zip, String prefix, ParameterSet arrays) throws IOException {
        for (var e : arrays.asMap().entrySet()) {
            zip.putNextEntry(new ZipEntry(prefix + e.getKey() + ".npy"));
            Npy.write(e.getValue(), zip);
            zip.closeEntry();
        }
    }

    /** Loads a bundle (or the model part of a checkpoint), refusing files that are not Glimpse models. */
    public static ModelBundle load(Path file) {
        try (ZipFile zip = open(file)) {
            return read(zip, file.toString());
        } catch (ZipException e) {
            throw new InputException("model file " + file + ": damaged (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a model or checkpoint zip with a clear error for a missing or non-zip file. */
    public static ZipFile open(Path file) throws IOException {
        InputFiles.requireFile(file, "model file " + file);
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new InputException("model file " + file + ": not a Glimpse model (not a zip file)");
        }
    }

    /** Reads the manifest and weights from an open zip. */
    public static ModelBundle read(ZipFile zip, String source) throws IOException {
        JsonNode manifest = readJson(zip, MANIFEST, source);
        if (!FORMAT.equals(manifest.path("format").asText())) {
            throw new InputException(source + ": not a Glimpse model (format is '" + manifest.path("format").asText() + "')");
        }
        int version = manifest.path("version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new InputException(source + ": model format version " + version + " is not supported (this Glimpse reads 1.."
                    + VERSION + ")");
        }
        String[][] parts = {{"model", "the model's configuration"}, {"preprocessing", "how images are prepared for it"},
            {"vocabulary", "the words it was trained on"}};
        for (String[] part : parts) {
            if (!manifest.path(part[0]).isObject()) {
                throw new InputException(source + ": incomplete model: " + MANIFEST + " has no \"" + part[0] + "\" ("
                        + part[1] + ")");
            }
        }
        ModelConfig config;
        ImageOptions pre;
        FrozenEncoderRef encoder;
        try {
            config = JSON.treeToValue(manifest.get("model"), ModelConfig.class);
            pre = JSON.treeToValue(manifest.get("preprocessing"), ImageOptions.class);
            encoder = manifest.has("encoder") ? JSON.treeToValue(manifest.get("encoder"), FrozenEncoderRef.class) : null;
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(source + ": bad model configuration: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Vocabulary vocab = Vocabulary.fromJson(manifest.get("vocabulary"), source);
        // Checked before the configuration's tensors are made, so a manifest cannot ask for memory that
        // its own vocabulary and preprocessing do not back.
        if (vocab.size() != config.vocabSize() || pre.size() != config.imageSize()) {
            throw new InputException(source + ": inconsistent model file: " + (vocab.size() != config.vocabSize()
                    ? "vocabulary has " + vocab.size() + " words but the model expects " + config.vocabSize()
                    : "preprocessing makes " + pre.size() + " px images but the model expects " + config.imageSize()));
        }
        Provenance provenance = provenance(manifest, source);
        ParameterSet expected = CaptionModel.initialise(config, 0).params();
        ParameterSet params = readArrays(zip, WEIGHTS, expected, source);
        try {
            return new ModelBundle(new CaptionModel(config, params), vocab, pre, encoder, provenance);
        } catch (IllegalArgumentException e) {
            throw new InputException(source + ": inconsistent model file: " + e.getMessage());
        }
    }

    /**
     * The provenance a manifest records, or null when it has none (bundles written before Glimpse recorded
     * it). Fields this version does not know are ignored.
     */
    public static Provenance provenance(JsonNode manifest, String source) {
        JsonNode node = manifest.get("provenance");
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return JSON.treeToValue(node, Provenance.class);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InputException(source + ": bad provenance in " + MANIFEST + ": " + message.lines().findFirst().orElse(""));
        }
    }

    /** Reads {@code prefix + name + ".npy"} for every name in {@code like}, checking each shape. */
    public static ParameterSet readArrays(ZipFile zip, String prefix, ParameterSet like, String source) throws IOException {
        ParameterSet out = new ParameterSet();
        for (var e : like.asMap().entrySet()) {
            String entry = prefix + e.getKey() + ".npy";
            ZipEntry z = zip.getEntry(entry);
            if (z == null) {
                throw new InputException(source + ": missing " + entry);
            }
            INDArray a;
            try (InputStream in = zip.getInputStream(z)) {
                // The shape is checked before any value is read: a header cannot make us allocate for it.
                Npy.Header header = Npy.readHeader(in, source + ":" + entry);
                if (!java.util.Arrays.equals(header.shape(), e.getValue().shape())) {
                    throw new InputException(source + ": " + entry + " has shape " + java.util.Arrays.toString(header.shape())
                            + " but the configuration implies " + java.util.Arrays.toString(e.getValue().shape()));
                }
                a = Npy.readData(in, header, source + ":" + entry);
            }
            requireFinite(a, e.getKey(), source + ": " + entry);
            out.put(e.getKey(), a);
        }
        return out;
    }

    /**
     * Refuses a tensor holding NaN or an infinity: a model with one computes NaN everywhere it flows and
     * captions every image with nothing, as if it worked.
     */
    private static void requireFinite(INDArray array, String name, String where) {
        float[] values = array.data().asFloat();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InputException(where + ": parameter " + name + " holds " + values[i] + " at index " + i
                        + " (of " + values.length + "); a model with non-finite weights cannot caption");
            }
        }
    }

    /** Reads a JSON entry of the zip. */
    public static JsonNode readJson(ZipFile zip, String entry, String source) throws IOException {
        ZipEntry z = zip.getEntry(entry);
        if (z == null) {
            throw new InputException(source + ": not a Glimpse model (no " + entry + " inside)");
        }
        try (InputStream in = zip.getInputStream(z)) {
            return JSON.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(source + ": " + entry + " is not valid JSON");
        }
    }

}

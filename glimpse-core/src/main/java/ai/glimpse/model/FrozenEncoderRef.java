package ai.glimpse.model;

import ai.glimpse.InputException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a model bundle records of the frozen encoder its decoder was trained on: the architecture, the
 * input convention, and the weights file by fingerprint (the weights themselves, hundreds of MB, stay in
 * the user's file). Captioning loads the encoder again and refuses weights with another fingerprint.
 *
 * @param architecture       {@code vgg16} or {@code resnet50}
 * @param convention         the input convention label (see {@link InputConvention})
 * @param weightsFingerprint SHA-256 fingerprint of the weights file
 * @param weightsPath        where the weights were at training time (a hint; may be overridden)
 */
public record FrozenEncoderRef(String architecture, String convention, String weightsFingerprint, String weightsPath) {
    public FrozenEncoderRef {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(convention, "convention");
        Objects.requireNonNull(weightsFingerprint, "weightsFingerprint");
    }

    /** The reference to an encoder loaded from {@code weights}. */
    public static FrozenEncoderRef of(FrozenEncoder encoder, Path weights) {
        return new FrozenEncoderRef(encoder.architecture().label(), encoder.convention().label(), encoder.weightsFingerprint(),
                weights.toAbsolutePath().toString());
    }

    /**
     * Loads the encoder for images of {@code imageSize} from {@code weights}, or from the recorded path
     * when that is null, and checks that it is the file the model was trained with.
     */
    public FrozenEncoder load(Path weights, int imageSize) {
        Path file = weights != null ? weights : weightsPath == null ? null : Path.of(weightsPath);
        if (file == null) {
            throw new InputException("this model needs its " + architecture + " encoder weights: pass --encoder-weights");
        }
        FrozenArchitecture arch = java.util.Arrays.stream(FrozenArchitecture.values())
                .filter(a -> a.name().equalsIgnoreCase(architecture)).findFirst()
                .orElseThrow(() -> new InputException("unknown encoder '" + architecture + "' in the model file"));
        InputConvention conv = java.util.Arrays.stream(InputConvention.values())
                .filter(c -> c.label().equals(convention)).findFirst()
                .orElseThrow(() -> new InputException("unknown input convention '" + convention + "' in the model file"));
        FrozenEncoder encoder = FrozenEncoder.load(arch, file, imageSize, conv);
        if (!encoder.weightsFingerprint().equals(weightsFingerprint)) {
            throw new InputException("--encoder-weights " + file + ": not the weights this model was trained with "
                    + "(fingerprint " + encoder.weightsFingerprint() + ", expected " + weightsFingerprint + ")");
        }
        return encoder;
    }
}

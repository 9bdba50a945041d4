package ai.glimpse.data;

import java.util.Optional;

/**
 * The image file formats Glimpse reads, recognised by their magic bytes (the file name's extension is
 * never trusted). Signatures follow each format's specification: PNG (ISO/IEC 15948), JPEG (ITU-T T.81
 * SOI marker), BMP ("BM"), GIF87a/GIF89a, TIFF 6.0 and BigTIFF (both byte orders), and WebP (RIFF
 * container with form type "WEBP").
 */
public enum ImageFormat {
    PNG("PNG"),
    JPEG("JPEG"),
    BMP("BMP"),
    GIF("GIF"),
    TIFF("TIFF"),
    WEBP("WebP");

    /** How many leading bytes {@link #sniff} needs to recognise every format. */
    public static final int SIGNATURE_BYTES = 12;

    /** The list of readable formats as the error messages name them. */
    public static final String SUPPORTED = "PNG, JPEG, BMP, TIFF, WebP, GIF";

    private final String label;

    ImageFormat(String label) {
        this.label = label;
    }

    /** The format's usual name, e.g. {@code "WebP"}. */
    public String label() {
        return label;
    }

    /**
     * Recognises the format from the first bytes of a file.
     *
     * @param head   the file's first bytes
     * @param length how many bytes of {@code head} are valid (may be fewer than {@link #SIGNATURE_BYTES})
     * @return the format, or empty when the bytes match none of the supported signatures
     */
    public static Optional<ImageFormat> sniff(byte[] head, int length) {
        if (startsWith(head, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, length, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, length, 'G', 'I', 'F', '8') && length >= 6
                && (head[4] == '7' || head[4] == '9') && head[5] == 'a') {
            return Optional.of(GIF);
        }
        if (startsWith(head, length, 'I', 'I', 42, 0) || startsWith(head, length, 'M', 'M', 0, 42)
                || startsWith(head, length, 'I', 'I', 43, 0) || startsWith(head, length, 'M', 'M', 0, 43)) {
            return Optional.of(TIFF);
        }
        if (startsWith(head, length, 'R', 'I', 'F', 'F') && length >= 12
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of(WEBP);
        }
        // BMP last: "BM" is the weakest signature (ImageHeader then checks the DIB header size).
        if (startsWith(head, length, 'B', 'M')) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int length, int... signature) {
        if (length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}

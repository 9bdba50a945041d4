package ai.glimpse.data;

import java.util.Optional;

/**
 * Finds image files that were cut off, by walking their container structure in Java before any native
 * decoder sees them: libjpeg would only warn and pad the missing part with grey, libpng would print
 * its error on the process's standard error. Follows the PNG chunk layout (ISO/IEC 15948 5.3), the
 * JPEG marker syntax (ITU-T T.81 B.1.1), the RIFF size of WebP and the file size field of BMP.
 */
final class TruncationCheck {
    private TruncationCheck() {
    }

    /**
     * Why the file looks cut off, or empty when it is complete as far as its structure shows (formats
     * other than PNG, JPEG, WebP and BMP are left to their decoders).
     */
    static Optional<String> whyTruncated(ImageFormat format, byte[] bytes) {
        return switch (format) {
            case PNG -> pngReachesEnd(bytes) ? Optional.empty()
                    : Optional.of("the file ends before the IEND chunk");
            case JPEG -> jpegReachesEnd(bytes) ? Optional.empty()
                    : Optional.of("the file ends before the end-of-image marker");
            case WEBP -> bytes.length >= 8 + u32le(bytes, 4) ? Optional.empty()
                    : Optional.of("the file is shorter than its RIFF header says");
            case BMP -> bytes.length >= u32le(bytes, 2) ? Optional.empty() // bfSize; 0 when unset
                    : Optional.of("the file is shorter than its BMP header says");
            default -> Optional.empty();
        };
    }

    /** Whether the PNG's chunks (length, type, data, CRC) run whole up to the IEND chunk. */
    static boolean pngReachesEnd(byte[] b) {
        long pos = 8; // after the signature
        while (pos + 8 <= b.length) {
            long length = u32be(b, (int) pos);
            boolean end = b[(int) pos + 4] == 'I' && b[(int) pos + 5] == 'E'
                    && b[(int) pos + 6] == 'N' && b[(int) pos + 7] == 'D';
            pos += 12 + length;
            if (pos > b.length) {
                return false;
            }
            if (end) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a JPEG's marker structure runs to its end-of-image marker: segments are skipped by their
     * length (so the EOI of an embedded thumbnail does not count), entropy-coded data is scanned for the
     * next marker, and stuffed bytes (FF 00) and restart markers are passed over.
     */
    static boolean jpegReachesEnd(byte[] b) {
        int n = b.length;
        int i = 2; // after SOI
        while (i < n) {
            if ((b[i] & 0xFF) != 0xFF) {
                i++; // entropy-coded data
                continue;
            }
            int j = i + 1;
            while (j < n && (b[j] & 0xFF) == 0xFF) {
                j++; // fill bytes
            }
            if (j >= n) {
                return false;
            }
            int marker = b[j] & 0xFF;
            if (marker == 0xD9) {
                return true;
            }
            if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                i = j + 1; // no length field
                continue;
            }
            if (j + 2 >= n) {
                return false;
            }
            i = j + 1 + ((b[j + 1] & 0xFF) << 8 | (b[j + 2] & 0xFF));
        }
        return false;
    }

    private static long u32be(byte[] b, int at) {
        return (long) (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (long) (b[at + 3] & 0xFF) << 24;
    }
}

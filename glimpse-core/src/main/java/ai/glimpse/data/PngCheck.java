package ai.glimpse.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Checks a PNG in Java and rebuilds it from the chunks that make its pixels (IHDR, PLTE, tRNS, IDAT,
 * IEND), so that libpng, which prints its errors and warnings straight onto the process's standard
 * error, is only ever given a stream it has nothing to say about. Damage libpng would stop at (a bad
 * checksum, an unknown critical chunk, a broken or short zlib stream, an unknown row filter, a header
 * field out of range) is found here and reported in Glimpse's own one-line message; ancillary chunks
 * that libpng would only warn about (colour profiles, text) are left out, which changes no pixel, since
 * the decoder ignores them. Follows ISO/IEC 15948 (PNG, second edition), sections 5, 10, 11 and 12.
 */
final class PngCheck {
    /** libpng's default limit on width and height (PNG_USER_WIDTH_MAX, PNG_USER_HEIGHT_MAX). */
    static final int LIBPNG_MAX_SIDE = 1_000_000;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Adam7 passes: x start, y start, x step, y step. */
    private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4},
        {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngCheck() {
    }

    /** Why a PNG cannot be decoded; the message that goes after "cannot decode PNG image (". */
    static final class Damaged extends Exception {
        Damaged(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The PNG rebuilt from its checked pixel-making chunks: IHDR, PLTE (palette images), a valid tRNS,
     * one IDAT with the image's zlib stream and nothing after it, IEND.
     *
     * @param bytes a whole PNG file that reaches its IEND chunk
     * @throws Damaged saying what libpng would have stopped at
     */
    static byte[] rebuilt(byte[] bytes) throws Damaged {
        byte[] header = null;
        byte[] palette = null;
        byte[] transparency = null;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean dataEnded = false;
        int pos = SIGNATURE.length;
        while (true) {
            int length = ByteBuffer.wrap(bytes, pos, 4).getInt();
            if (length < 0 || pos + 12L + length > bytes.length) {
                throw new Damaged("a chunk runs past the end of the file");
            }
            String type = new String(bytes, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new Damaged("a chunk type is not four letters");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, pos + 4, 4 + length);
            boolean crcOk = (int) crc.getValue() == ByteBuffer.wrap(bytes, pos + 8 + length, 4).getInt();
            boolean critical = Character.isUpperCase(type.charAt(0));
            if (!crcOk && critical) {
                throw new Damaged("chunk " + type + " has a bad checksum");
            }
            int start = pos + 8;
            pos += 12 + length;
            if (!crcOk) {
                continue;                                               // libpng drops a damaged ancillary chunk too
            }
            switch (type) {
                case "IHDR" -> header = slice(bytes, start, length);
                case "PLTE" -> palette = header == null || data.size() > 0 ? palette : slice(bytes, start, length);
                case "tRNS" -> transparency = data.size() > 0 ? transparency : slice(bytes, start, length);
                case "IDAT" -> {
                    if (dataEnded) {
                        throw new Damaged("IDAT chunks are not consecutive");
                    }
                    data.write(bytes, start, length);
                }
                case "IEND" -> {
                    return rebuild(check(header), palette, transparency, data.toByteArray());
                }
                default -> {
                    if (critical) {
                        throw new Damaged("unknown critical chunk " + type);
                    }
                }
            }
            dataEnded |= data.size() > 0 && !type.equals("IDAT");
        }
    }

    /** What IHDR says, checked as libpng checks it. */
    private record Header(byte[] bytes, int width, int height, int depth, int colourType, boolean interlaced) {
        int channels() {
            return switch (colourType) {
                case 0, 3 -> 1;
                case 4 -> 2;
                case 2 -> 3;
                default -> 4;
            };
        }

        /** Bytes of one filtered row of {@code pixels} pixels, without its filter byte. */
        long rowBytes(long pixels) {
            return (pixels * channels() * depth + 7) / 8;
        }
    }

    private static Header check(byte[] ihdr) throws Damaged {
        if (ihdr == null || ihdr.length != 13) {
            throw new Damaged("no valid IHDR chunk");
        }
        ByteBuffer b = ByteBuffer.wrap(ihdr);
        int width = b.getInt();
        int height = b.getInt();
        int depth = ihdr[8];
        int colourType = ihdr[9];
        if (width <= 0 || height <= 0) {
            throw new Damaged("IHDR gives a size of " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height));
        }
        if (width > LIBPNG_MAX_SIDE || height > LIBPNG_MAX_SIDE) {
            throw new Damaged(width + "x" + height + " pixels: libpng decodes at most " + LIBPNG_MAX_SIDE + " on a side");
        }
        boolean valid = switch (colourType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
        if (!valid) {
            throw new Damaged("IHDR gives colour type " + colourType + " with " + depth + "-bit samples, which PNG does not define");
        }
        if (ihdr[10] != 0 || ihdr[11] != 0 || (ihdr[12] != 0 && ihdr[12] != 1)) {
            throw new Damaged("IHDR gives an unknown compression, filter or interlace method");
        }
        return new Header(ihdr, width, height, depth, colourType, ihdr[12] == 1);
    }

    private static byte[] rebuild(Header h, byte[] palette, byte[] transparency, byte[] data) throws Damaged {
        if (h.colourType() == 3 && (palette == null || palette.length == 0 || palette.length % 3 != 0
                || palette.length / 3 > 1 << h.depth())) {
            throw new Damaged(palette == null ? "a palette image without a PLTE chunk before its data"
                    : "PLTE holds " + palette.length + " bytes, not 1 to " + (1 << h.depth()) + " colours of 3 bytes");
        }
        if (data.length == 0) {
            throw new Damaged("no image data (IDAT)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 1024);
        out.writeBytes(SIGNATURE);
        chunk(out, "IHDR", h.bytes());
        if (h.colourType() == 3) {
            chunk(out, "PLTE", palette);
        }
        if (transparency != null && validTransparency(h, transparency, palette)) {
            chunk(out, "tRNS", transparency);
        }
        chunk(out, "IDAT", imageStream(h, data));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A tRNS libpng would keep: one grey sample, one RGB sample, or at most one alpha per palette entry. */
    private static boolean validTransparency(Header h, byte[] trns, byte[] palette) {
        return switch (h.colourType()) {
            case 0 -> trns.length == 2;
            case 2 -> trns.length == 6;
            case 3 -> trns.length >= 1 && trns.length <= palette.length / 3;
            default -> false;                                           // colour types 4 and 6 carry alpha already
        };
    }

    /**
     * Inflates the image's zlib stream, checking it holds exactly the rows IHDR implies, each led by a
     * known filter type (0 to 4). Returns the stream without what follows its end; a stream that goes on
     * past the image is compressed again holding the image alone (libpng would warn about the rest).
     */
    private static byte[] imageStream(Header h, byte[] data) throws Damaged {
        Rows rows = new Rows(h);
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] buffer = new byte[64 * 1024];
            long produced = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsDictionary()) {
                    throw new Damaged("the compressed image data asks for a preset dictionary, which PNG does not allow");
                }
                if (n == 0 && inflater.needsInput()) {
                    throw new Damaged("the image data ends early (" + produced + " of " + rows.total + " bytes)");
                }
                rows.check(buffer, n, produced);
                produced += n;
            }
            if (produced < rows.total) {
                throw new Damaged("the image data ends early (" + produced + " of " + rows.total + " bytes)");
            }
            if (produced > rows.total) {
                return recompressed(data, rows.total);
            }
            return slice(data, 0, (int) inflater.getBytesRead());
        } catch (DataFormatException e) {
            throw new Damaged("the compressed image data is damaged (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    /** The first {@code keep} bytes of the (already checked) stream, compressed again on their own. */
    private static byte[] recompressed(byte[] data, long keep) throws DataFormatException {
        Inflater inflater = new Inflater();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            byte[] packed = new byte[64 * 1024];
            for (long left = keep; left > 0; ) {
                int n = inflater.inflate(buffer, 0, (int) Math.min(buffer.length, left));
                deflater.setInput(buffer, 0, n);
                while (!deflater.needsInput()) {
                    out.write(packed, 0, deflater.deflate(packed));
                }
                left -= n;
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(packed, 0, deflater.deflate(packed));
            }
            return out.toByteArray();
        } finally {
            inflater.end();
            deflater.end();
        }
    }

    /** Where the filtered rows begin in the inflated stream (Adam7 passes in turn), and their filter bytes. */
    private static final class Rows {
        private final long[] rowLength;                                 // per pass: filter byte + row bytes
        private final long[] rowCount;
        final long total;
        private int pass;
        private long row;
        private long nextRowAt;

        Rows(Header h) {
            int passes = h.interlaced() ? ADAM7.length : 1;
            rowLength = new long[passes];
            rowCount = new long[passes];
            long sum = 0;
            for (int p = 0; p < passes; p++) {
                int[] a = h.interlaced() ? ADAM7[p] : new int[] {0, 0, 1, 1};
                long w = (h.width() - a[0] + a[2] - 1L) / a[2];
                long n = (h.height() - a[1] + a[3] - 1L) / a[3];
                rowLength[p] = w > 0 && n > 0 ? 1 + h.rowBytes(w) : 0;
                rowCount[p] = w > 0 && n > 0 ? n : 0;
                sum += rowLength[p] * rowCount[p];
            }
            total = sum;
            skipEmptyPasses();
        }

        /** Checks the filter bytes among {@code n} bytes that start at offset {@code from} of the stream. */
        void check(byte[] buffer, int n, long from) throws Damaged {
            while (pass < rowCount.length && nextRowAt < from + n) {
                int filter = buffer[(int) (nextRowAt - from)] & 0xFF;
                if (filter > 4) {
                    throw new Damaged("a row has filter type " + filter + " (PNG defines 0 to 4)");
                }
                nextRowAt += rowLength[pass];
                if (++row == rowCount[pass]) {
                    pass++;
                    row = 0;
                    skipEmptyPasses();
                }
            }
        }

        private void skipEmptyPasses() {
            while (pass < rowCount.length && rowCount[pass] == 0) {
                pass++;
            }
        }
    }

    private static byte[] slice(byte[] bytes, int from, int length) {
        byte[] part = new byte[length];
        System.arraycopy(bytes, from, part, 0, length);
        return part;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}

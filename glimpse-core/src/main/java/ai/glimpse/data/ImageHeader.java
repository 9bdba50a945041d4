package ai.glimpse.data;

import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;

/**
 * An image's format and size read from its file header without decoding any pixel, so that images
 * above a pixel limit can be refused before they are decoded. Follows the PNG IHDR chunk, the JPEG SOFn
 * frame header (ITU-T T.81 B.2.2; baseline, extended, progressive and lossless), the BMP DIB header
 * (core and info variants, bottom-up or top-down), the GIF logical screen descriptor, the TIFF 6.0 /
 * BigTIFF first IFD (ImageWidth and ImageLength tags, either byte order) and the WebP VP8, VP8L and VP8X
 * chunks.
 *
 * @param format the file's format, recognised from its magic bytes
 * @param width  width in pixels, at least 1
 * @param height height in pixels, at least 1
 */
public record ImageHeader(ImageFormat format, int width, int height) {
    public ImageHeader {
        Objects.requireNonNull(format, "format");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1x1, got " + width + "x" + height);
        }
    }

    /** Width times height. */
    public long pixels() {
        return (long) width * height;
    }

    /**
     * Reads the header of an image file, touching only the bytes the header needs.
     *
     * @throws InputException naming the file when it is missing, a directory, empty, unreadable, not
     *                        one of the supported formats, or its header is damaged or truncated
     */
    public static ImageHeader read(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new InputException(name + ": is a directory, not an image file");
        }
        InputFiles.requireFile(file, name);                            // a named pipe would block the open below
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new HeaderBytes(name, channel, null).parse();
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": " + InputFiles.noSuchFile(file));
        } catch (AccessDeniedException e) {
            throw new InputException(name + ": permission denied");
        } catch (IOException e) {
            throw new InputException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the header of an image held in memory.
     *
     * @param name  the file name to put in error messages
     * @param bytes the whole file (or at least its header)
     * @throws InputException as {@link #read(Path)}
     */
    public static ImageHeader parse(String name, byte[] bytes) {
        try {
            return new HeaderBytes(name, null, bytes).parse();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory read failed", e); // cannot happen: no channel
        }
    }

    /**
     * Refuses images with more than {@code maxPixels} pixels.
     *
     * @param name the file name to put in the message
     * @return this header, when within the limit
     * @throws InputException naming the file, its size and the limit
     */
    public ImageHeader requireAtMost(long maxPixels, String name) {
        if (pixels() > maxPixels) {
            throw new InputException(String.format(Locale.ROOT,
                    "%s: %dx%d pixels (%.1f megapixels) is above the limit of %.1f megapixels",
                    name, width, height, pixels() / 1e6, maxPixels / 1e6));
        }
        return this;
    }

    /** Random access to a file's bytes with bounds checks that report truncation; parses every format. */
    private static final class HeaderBytes {
        private static final int WINDOW = 64 * 1024;
        private final String name;
        private final FileChannel channel; // null when reading from memory
        private final long size;
        private byte[] window;
        private long windowStart;
        private int windowLength;
        private ImageFormat format;

        HeaderBytes(String name, FileChannel channel, byte[] bytes) throws IOException {
            this.name = name;
            this.channel = channel;
            this.size = channel != null ? channel.size() : bytes.length;
            this.window = bytes;
            this.windowLength = bytes != null ? bytes.length : 0;
        }

        ImageHeader parse() throws IOException {
            if (size == 0) {
                throw new InputException(name + ": empty file");
            }
            byte[] head = new byte[ImageFormat.SIGNATURE_BYTES];
            int n = (int) Math.min(head.length, size);
            for (int i = 0; i < n; i++) {
                head[i] = (byte) u8(i);
            }
            format = ImageFormat.sniff(head, n).orElseThrow(() -> new InputException(
                    name + ": not an image Glimpse can read (" + ImageFormat.SUPPORTED + ")"));
            return switch (format) {
                case PNG -> png();
                case JPEG -> jpeg();
                case BMP -> bmp();
                case GIF -> header(u16(6, true), u16(8, true));
                case TIFF -> tiff();
                case WEBP -> webp();
            };
        }

        private ImageHeader png() throws IOException {
            if (u32(12, false) != 0x49484452L) { // "IHDR"
                throw damaged("the first chunk is not IHDR");
            }
            return header(u32(16, false), u32(20, false));
        }

        private ImageHeader jpeg() throws IOException {
            long pos = 2;
            while (true) {
                while (u8(pos) != 0xFF) { // tolerate junk between segments, as libjpeg does
                    pos++;
                }
                while (u8(pos) == 0xFF) { // fill bytes
                    pos++;
                }
                int marker = u8(pos++);
                if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                    continue; // markers without a length field
                }
                if (marker == 0xD9 || marker == 0xDA) {
                    throw damaged("no frame header before the image data");
                }
                int length = u16(pos, false);
                if (length < 2) {
                    throw damaged("segment length " + length + " at byte " + pos);
                }
                boolean frame = marker >= 0xC0 && marker <= 0xCF
                        && marker != 0xC4 && marker != 0xC8 && marker != 0xCC; // DHT, JPG, DAC
                if (frame) {
                    int height = u16(pos + 3, false);
                    if (height == 0) {
                        throw new InputException(name + ": JPEG whose height is given by a DNL marker is not supported");
                    }
                    return header(u16(pos + 5, false), height);
                }
                pos += length;
            }
        }

        private ImageHeader bmp() throws IOException {
            long dib = u32(14, true);
            if (dib == 12) { // BITMAPCOREHEADER: 16-bit unsigned sizes
                return header(u16(18, true), u16(20, true));
            }
            if (dib < 16) {
                throw damaged("unknown DIB header size " + dib);
            }
            int width = (int) u32(18, true);
            int height = (int) u32(22, true); // negative for top-down bitmaps
            return header(width, height == Integer.MIN_VALUE ? 0 : Math.abs(height));
        }

        private ImageHeader tiff() throws IOException {
            boolean little = u8(0) == 'I';
            boolean big = u16(2, little) == 43;
            if (big && u16(4, little) != 8) {
                throw damaged("BigTIFF offset size is not 8");
            }
            long ifd = big ? u64(8, little) : u32(4, little);
            if (ifd < 8) {
                throw damaged("first IFD offset " + ifd);
            }
            long count = big ? u64(ifd, little) : u16(ifd, little);
            int entrySize = big ? 20 : 12;
            long first = ifd + (big ? 8 : 2);
            long width = -1;
            long height = -1;
            for (long i = 0; i < Math.min(count, 65_536) && (width < 0 || height < 0); i++) {
                long e = first + i * entrySize;
                int tag = u16(e, little);
                if (tag != 256 && tag != 257) { // ImageWidth, ImageLength
                    continue;
                }
                long valueAt = e + (big ? 12 : 8);
                long value = switch (u16(e + 2, little)) {
                    case 3 -> u16(valueAt, little);  // SHORT
                    case 4 -> u32(valueAt, little);  // LONG
                    case 16 -> u64(valueAt, little); // LONG8 (BigTIFF)
                    default -> throw damaged("tag " + tag + " has an unexpected type");
                };
                if (tag == 256) {
                    width = value;
                } else {
                    height = value;
                }
            }
            if (width < 0 || height < 0) {
                throw damaged("no ImageWidth or ImageLength tag in the first IFD");
            }
            return header(width, height);
        }

        private ImageHeader webp() throws IOException {
            long chunk = u32(12, false);
            if (chunk == 0x56503820L) { // "VP8 ": lossy
                if (u8(23) != 0x9D || u8(24) != 0x01 || u8(25) != 0x2A) {
                    throw damaged("VP8 start code missing");
                }
                return header(u16(26, true) & 0x3FFF, u16(28, true) & 0x3FFF);
            }
            if (chunk == 0x5650384CL) { // "VP8L": lossless
                if (u8(20) != 0x2F) {
                    throw damaged("VP8L signature missing");
                }
                long bits = u32(21, true);
                return header((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
            if (chunk == 0x56503858L) { // "VP8X": extended (alpha, metadata, animation)
                return header(u24(24) + 1, u24(27) + 1);
            }
            throw damaged("unknown first chunk");
        }

        private ImageHeader header(long width, long height) {
            if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
                throw damaged("header gives a size of " + width + "x" + height + " pixels");
            }
            return new ImageHeader(format, (int) width, (int) height);
        }

        private InputException damaged(String why) {
            return new InputException(name + ": damaged " + format.label() + " file (" + why + ")");
        }

        private int u8(long pos) throws IOException {
            if (pos < 0 || pos >= size) {
                String what = format == null ? "file" : format.label() + " file";
                throw new InputException(name + ": truncated " + what + " (it ends at byte " + size + ", inside the header)");
            }
            if (pos < windowStart || pos >= windowStart + windowLength) {
                load(pos);
            }
            return window[(int) (pos - windowStart)] & 0xFF;
        }

        private void load(long pos) throws IOException {
            if (window == null || window.length != WINDOW) {
                window = new byte[WINDOW];
            }
            ByteBuffer buffer = ByteBuffer.wrap(window);
            while (buffer.hasRemaining() && pos + buffer.position() < size) {
                if (channel.read(buffer, pos + buffer.position()) < 0) {
                    break;
                }
            }
            windowStart = pos;
            windowLength = buffer.position();
            if (windowLength == 0) {
                throw new IOException("file shrank while reading");
            }
        }

        private int u16(long pos, boolean little) throws IOException {
            int a = u8(pos);
            int b = u8(pos + 1);
            return little ? a | b << 8 : a << 8 | b;
        }

        private long u24(long pos) throws IOException { // little-endian, as WebP writes it
            return u8(pos) | u8(pos + 1) << 8 | (long) u8(pos + 2) << 16;
        }

        private long u32(long pos, boolean little) throws IOException {
            long a = u16(pos, little);
            long b = u16(pos + 2, little);
            return little ? a | b << 16 : a << 16 | b;
        }

        private long u64(long pos, boolean little) throws IOException {
            long a = u32(pos, little);
            long b = u32(pos + 4, little);
            long value = little ? a | b << 32 : a << 32 | b;
            if (value < 0) {
                throw damaged("offset beyond 2^63");
            }
            return value;
        }
    }
}

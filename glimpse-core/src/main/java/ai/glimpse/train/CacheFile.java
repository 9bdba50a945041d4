package ai.glimpse.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The on-disk layout of a {@link FeatureCache}, little-endian throughout:
 * <pre>
 * 0     "GLIMPSEF", int version 1, int regions L, int dim D, int rows N, long indexOffset, zeros to 64
 * 64    N rows of L * D halves (IEEE binary16, {@link Half}), row r at 64 + r * L * D * 2
 * index UTF-8 JSON {"key": {...}, "files": [N names], "crc32": [N CRC-32s of the rows' bytes]}
 * end   long index length, "GLFEND01"
 * </pre>
 * A file is used only if every part checks out: magic, version, shape, the exact length the header
 * implies, the trailer, the index and its key. Rows are checked against their CRC-32 when read.
 */
final class CacheFile {
    static final int VERSION = 1;
    static final int DATA_OFFSET = 64;
    private static final byte[] MAGIC = "GLIMPSEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "GLFEND01".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a cache file cannot be used. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason);
        }
    }

    private final List<String> files;
    private final int[] crcs;
    private final ByteBuffer[] chunks;        // read-only mappings of whole rows, each under 2 GB
    private final int rowsPerChunk;
    private final int rowBytes;

    private CacheFile(List<String> files, int[] crcs, ByteBuffer[] chunks, int rowsPerChunk, int rowBytes) {
        this.files = files;
        this.crcs = crcs;
        this.chunks = chunks;
        this.rowsPerChunk = rowsPerChunk;
        this.rowBytes = rowBytes;
    }

    /** Maps {@code path} after checking its structure and that it was made under {@code key}. */
    static CacheFile read(Path path, CacheKey key) throws Invalid, IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < DATA_OFFSET + TRAILER) {
                throw new Invalid("truncated (" + size + " bytes)");
            }
            ByteBuffer head = readFully(ch, 0, DATA_OFFSET);
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Invalid("not a Glimpse feature cache (bad magic)");
            }
            int version = head.getInt();
            int regions = head.getInt();
            int dim = head.getInt();
            int rows = head.getInt();
            long indexOffset = head.getLong();
            if (version != VERSION) {
                throw new Invalid("format version " + version + ", expected " + VERSION);
            }
            if (regions != key.regions() || dim != key.dim()) {
                throw new Invalid("features of " + regions + " x " + dim + ", expected " + key.regions() + " x " + key.dim());
            }
            int rowBytes = 2 * regions * dim;
            if (rows < 0 || indexOffset != DATA_OFFSET + (long) rows * rowBytes || indexOffset > size - TRAILER) {
                throw new Invalid("truncated or damaged header (" + rows + " rows, " + size + " bytes)");
            }
            ByteBuffer tail = readFully(ch, size - TRAILER, TRAILER);
            long indexLength = tail.getLong();
            byte[] end = new byte[END.length];
            tail.get(end);
            if (!Arrays.equals(end, END) || indexOffset + indexLength + TRAILER != size || indexLength > Integer.MAX_VALUE) {
                throw new Invalid("truncated (no end marker where the header says)");
            }
            ByteBuffer index = readFully(ch, indexOffset, (int) indexLength);
            JsonNode json;
            try {
                json = JSON.readTree(StandardCharsets.UTF_8.decode(index).toString());
            } catch (IOException e) {
                throw new Invalid("damaged index (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            if (!JSON.valueToTree(key).equals(json.get("key"))) {
                throw new Invalid("made under another key " + json.get("key"));
            }
            List<String> files = new ArrayList<>(rows);
            int[] crcs = new int[rows];
            JsonNode names = json.path("files");
            JsonNode sums = json.path("crc32");
            if (names.size() != rows || sums.size() != rows) {
                throw new Invalid("damaged index (" + names.size() + " files and " + sums.size() + " checksums for " + rows + " rows)");
            }
            for (int r = 0; r < rows; r++) {
                files.add(names.get(r).asText());
                crcs[r] = (int) sums.get(r).asLong();
            }
            if (new HashSet<>(files).size() != rows) {
                throw new Invalid("damaged index (a file is listed twice)");
            }
            int perChunk = Math.max(1, (1 << 30) / rowBytes);
            ByteBuffer[] chunks = new ByteBuffer[(rows + perChunk - 1) / perChunk];
            for (int c = 0; c < chunks.length; c++) {
                int n = Math.min(perChunk, rows - c * perChunk);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, DATA_OFFSET + (long) c * perChunk * rowBytes,
                        (long) n * rowBytes);
                chunks[c] = map.order(ByteOrder.LITTLE_ENDIAN);
            }
            return new CacheFile(List.copyOf(files), crcs, chunks, perChunk, rowBytes);
        }
    }

    List<String> files() {
        return files;
    }

    /** The row's bytes, a view of the mapping; its CRC is not checked here. */
    private ByteBuffer rowView(int row) {
        ByteBuffer chunk = chunks[row / rowsPerChunk];
        return chunk.slice((row % rowsPerChunk) * rowBytes, rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether the row's bytes still have the CRC-32 written with them. */
    boolean intact(int row) {
        CRC32 crc = new CRC32();
        crc.update(rowView(row));
        return (int) crc.getValue() == crcs[row];
    }

    /** The row's stored bytes, for copying into a new file (CRC checked by the caller). */
    ByteBuffer rawRow(int row) {
        return rowView(row);
    }

    /** Writes row {@code row} as floats into {@code dst} at {@code offset}; false if its CRC fails. */
    boolean copy(int row, float[] dst, int offset) {
        ByteBuffer view = rowView(row);
        CRC32 crc = new CRC32();
        crc.update(view.duplicate());
        if ((int) crc.getValue() != crcs[row]) {
            return false;
        }
        ShortBuffer halves = view.asShortBuffer();                 // [L * D]
        for (int i = 0, n = rowBytes / 2; i < n; i++) {
            dst[offset + i] = Half.toFloat(halves.get(i));
        }
        return true;
    }

    private static ByteBuffer readFully(FileChannel ch, long at, int length) throws IOException, Invalid {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                throw new Invalid("truncated");
            }
        }
        return buf.flip();
    }

    /** Streams a new cache file: header, rows in order, then index and trailer on {@link #finish()}. */
    static final class Writer {
        private final OutputStream out;
        private final CacheKey key;
        private final int rows;
        private final int rowBytes;
        private final List<String> files = new ArrayList<>();
        private final ArrayNode crcs = JSON.createArrayNode();
        private final byte[] buffer;
        private final short[] halves;

        Writer(OutputStream out, CacheKey key, int rows) throws IOException {
            this.out = out;
            this.key = key;
            this.rows = rows;
            this.rowBytes = 2 * key.regions() * key.dim();
            this.buffer = new byte[rowBytes];
            this.halves = new short[rowBytes / 2];
            ByteBuffer head = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(VERSION).putInt(key.regions()).putInt(key.dim()).putInt(rows)
                    .putLong(DATA_OFFSET + (long) rows * rowBytes);
            out.write(head.array());
        }

        /** Appends a row already in the file's encoding. */
        void raw(String file, ByteBuffer bytes) throws IOException {
            bytes.duplicate().get(buffer);
            append(file);
        }

        /** Appends a row of {@code L * D} floats from {@code features} at {@code offset}, stored as halves. */
        void row(String file, float[] features, int offset) throws IOException {
            Half.fromFloats(features, offset, halves, 0, halves.length);
            ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(halves);
            append(file);
        }

        private void append(String file) throws IOException {
            if (files.size() == rows) {
                throw new IllegalStateException("more than the " + rows + " rows announced");
            }
            CRC32 crc = new CRC32();
            crc.update(buffer);
            out.write(buffer);
            files.add(file);
            crcs.add(crc.getValue());
        }

        /** Writes the index and the trailer; every announced row must have been written. */
        void finish() throws IOException {
            if (files.size() != rows) {
                throw new IllegalStateException(files.size() + " rows written, " + rows + " announced");
            }
            ObjectNode index = JSON.createObjectNode();
            index.set("key", JSON.valueToTree(key));
            index.set("files", JSON.valueToTree(files));
            index.set("crc32", crcs);
            byte[] json = JSON.writeValueAsBytes(index);
            out.write(json);
            ByteBuffer tail = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            tail.putLong(json.length).put(END);
            out.write(tail.array());
        }
    }
}

package ai.glimpse.model;

import ai.glimpse.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes single arrays in NumPy's .npy format (version 1.0, little-endian float32, C order),
 * so that model weights are plain files other tools (NumPy, PyTorch) read without Glimpse.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    /** The longest header read: NumPy writes a few hundred bytes for any array of numbers. */
    static final int MAX_HEADER = 65_536;
    /** The most values one array may hold: a Java float array's limit. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    /** Bytes read at a time. */
    private static final int BLOCK = 64 * 1024;

    private Npy() {
    }

    /** Writes the array as float32 .npy. */
    public static void write(INDArray array, OutputStream out) throws IOException {
        long[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2);
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0});
        int len = header.length();
        out.write(new byte[] {(byte) (len & 0xff), (byte) (len >> 8)});
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        float[] data = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        out.write(buf.array());
    }

    /**
     * What a .npy header declares: the array's shape and the bytes per value (4 for {@code <f4}, 8 for
     * {@code <f8}).
     */
    public record Header(long[] shape, int width) {
        /** Number of values, the product of the shape (1 for a scalar). */
        public long count() {
            long count = 1;
            for (long d : shape) {
                count *= d;                                             // checked against overflow when read
            }
            return count;
        }
    }

    /** Reads a float32 or float64 little-endian C-order .npy into a float array. */
    public static INDArray read(InputStream in, String source) throws IOException {
        return readData(in, readHeader(in, source), source);
    }

    /**
     * Reads and checks the magic string and header, leaving the stream at the first value. Nothing is
     * allocated from what the header claims until it has been checked.
     *
     * @throws InputException naming {@code source} when the header is malformed or declares an array
     *                        Glimpse does not read
     */
    public static Header readHeader(InputStream in, String source) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new InputException(source + ": not a .npy array");
        }
        int major = magic[6] & 0xff;
        if (major < 1 || major > 3) {
            throw new InputException(source + ": .npy format version " + major + "." + (magic[7] & 0xff)
                    + " is not supported (1.0 to 3.0 are)");
        }
        byte[] l = in.readNBytes(major == 1 ? 2 : 4);
        if (l.length < (major == 1 ? 2 : 4)) {
            throw new InputException(source + ": truncated .npy header");
        }
        long headerLen = major == 1 ? (l[0] & 0xff) | (l[1] & 0xff) << 8
                : ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (headerLen > MAX_HEADER) {
            throw new InputException(source + ": malformed .npy header (it claims " + headerLen + " bytes; an array"
                    + " header takes a few hundred, and Glimpse reads at most " + MAX_HEADER + ")");
        }
        byte[] headerBytes = in.readNBytes((int) headerLen);
        if (headerBytes.length < headerLen) {
            throw new InputException(source + ": truncated .npy header (" + headerBytes.length + " of " + headerLen + " bytes)");
        }
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, source);
        if ("True".equals(find(ORDER, header, source))) {
            throw new InputException(source + ": Fortran-ordered arrays are not supported");
        }
        long[] shape = shape(find(SHAPE, header, source), source);
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new InputException(source + ": unsupported .npy type " + descr + " (expected <f4 or <f8)");
        };
        return new Header(shape, width);
    }

    /** The dimensions of a shape tuple's inside ("2, 3", "5,", ""), each a whole number, their product an int. */
    private static long[] shape(String tuple, String source) {
        String inside = tuple.strip();
        if (inside.endsWith(",")) {
            inside = inside.substring(0, inside.length() - 1).strip();
            if (inside.isEmpty()) {
                throw malformedShape(tuple, source, "is not a tuple of whole numbers");
            }
        }
        if (inside.isEmpty()) {
            return new long[0];
        }
        String[] parts = inside.split(",", -1);
        long[] shape = new long[parts.length];
        long count = 1;
        for (int i = 0; i < parts.length; i++) {
            String d = parts[i].strip();
            if (d.matches("-\\d+")) {
                throw malformedShape(tuple, source, "has a negative dimension");
            }
            if (!d.matches("\\d{1,18}")) {
                throw malformedShape(tuple, source, "is not a tuple of whole numbers");
            }
            shape[i] = Long.parseLong(d);
            if (shape[i] > 0 && count > MAX_VALUES / shape[i]) {
                throw malformedShape(tuple, source, "holds more than " + MAX_VALUES + " values");
            }
            count *= shape[i];
        }
        return shape;
    }

    private static InputException malformedShape(String tuple, String source, String why) {
        return new InputException(source + ": malformed .npy header (shape (" + tuple.strip() + ") " + why + ")");
    }

    /**
     * Reads exactly the values the header declares, in blocks, so memory follows the data actually there
     * rather than the declared size; refuses data that ends early or goes on after the declared values.
     */
    public static INDArray readData(InputStream in, Header header, String source) throws IOException {
        long count = header.count();
        int width = header.width();
        long declared = count * width;
        float[] data = new float[(int) Math.min(count, BLOCK / width)];
        byte[] block = new byte[BLOCK];
        ByteBuffer buf = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;                                                  // values read so far
        while (done < count) {
            int n = (int) Math.min(BLOCK / width, count - done);        // values in this block
            int got = in.readNBytes(block, 0, n * width);
            if (got < n * width) {
                throw new InputException(source + ": truncated .npy array (" + (done * width + got) + " of " + declared
                        + " bytes)");
            }
            if (done + n > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, Math.max(2L * data.length, done + n)));
            }
            for (int i = 0; i < n; i++) {
                data[(int) done + i] = width == 4 ? buf.getFloat(4 * i) : (float) buf.getDouble(8 * i);
            }
            done += n;
        }
        if (in.read() >= 0) {
            throw new InputException(source + ": holds more data than its .npy header declares (" + declared
                    + " bytes for shape " + Arrays.toString(header.shape()) + ")");
        }
        long[] shape = header.shape();
        return shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.create(data, shape, 'c');
    }

    private static String find(Pattern p, String header, String source) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new InputException(source + ": malformed .npy header");
        }
        return m.group(1);
    }
}

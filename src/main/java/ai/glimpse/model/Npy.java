package ai.glimpse.model;

import ai.glimpse.InputException;
import java.io.ByteArrayOutputStream;
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

    /** Reads a float32 or float64 little-endian C-order .npy into a float array. */
    public static INDArray read(InputStream in, String source) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new InputException(source + ": not a .npy array");
        }
        int headerLen;
        if (magic[6] == 1) {
            byte[] l = in.readNBytes(2);
            headerLen = (l[0] & 0xff) | (l[1] & 0xff) << 8;
        } else {
            byte[] l = in.readNBytes(4);
            headerLen = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
        String header = new String(in.readNBytes(headerLen), StandardCharsets.US_ASCII);
        String descr = find(DESCR, header, source);
        if ("True".equals(find(ORDER, header, source))) {
            throw new InputException(source + ": Fortran-ordered arrays are not supported");
        }
        String shapeText = find(SHAPE, header, source).strip();
        long[] shape = shapeText.isEmpty() ? new long[0]
                : Arrays.stream(shapeText.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).toArray();
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new InputException(source + ": unsupported .npy type " + descr + " (expected <f4 or <f8)");
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        if (bytes.size() < count * width) {
            throw new InputException(source + ": truncated .npy array (" + bytes.size() + " of " + count * width + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        float[] data = new float[Math.toIntExact(count)];
        for (int i = 0; i < data.length; i++) {
            data[i] = width == 4 ? buf.getFloat() : (float) buf.getDouble();
        }
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

package ai.glimpse.explain;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A palette of at most 256 colours for GIF, shared by all frames so colours do not flicker between
 * them: Heckbert's median cut (1982) over a 5-bit-per-channel histogram of every frame, each colour the
 * mean of the pixels it stands for; pixels are mapped to it with Floyd-Steinberg error diffusion (1976),
 * which turns the banding of smooth heat gradients into fine grain.
 */
final class Palette {
    private static final int BITS = 5;
    private static final int SIDE = 1 << BITS;
    private static final int CELLS = SIDE * SIDE * SIDE;

    private final int[] colours;                                      // 0xRRGGBB, at most 256
    private final byte[] nearest = new byte[CELLS];                   // histogram cell -> palette index

    private Palette(int[] colours) {
        this.colours = colours;
        for (int cell = 0; cell < CELLS; cell++) {
            int r = (cell >> 2 * BITS) << 3 | 4;
            int g = (cell >> BITS & SIDE - 1) << 3 | 4;
            int b = (cell & SIDE - 1) << 3 | 4;
            int best = 0;
            int bestDistance = Integer.MAX_VALUE;
            for (int i = 0; i < colours.length; i++) {
                int dr = r - (colours[i] >> 16 & 0xff);
                int dg = g - (colours[i] >> 8 & 0xff);
                int db = b - (colours[i] & 0xff);
                int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;      // rough perceptual weights
                if (d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
            nearest[cell] = (byte) best;
        }
    }

    /** The median-cut palette of at most {@code maxColours} (2..256) for the pixels of all {@code frames}. */
    static Palette of(List<BufferedImage> frames, int maxColours) {
        long[] count = new long[CELLS];
        long[][] sum = new long[3][CELLS];
        for (BufferedImage frame : frames) {
            int w = frame.getWidth();
            int[] row = new int[w];
            for (int y = 0; y < frame.getHeight(); y++) {
                rgbRow(frame, y, row);
                for (int p : row) {
                    int r = p >> 16 & 0xff;
                    int g = p >> 8 & 0xff;
                    int b = p & 0xff;
                    int cell = cellOf(r, g, b);
                    count[cell]++;
                    sum[0][cell] += r;
                    sum[1][cell] += g;
                    sum[2][cell] += b;
                }
            }
        }
        List<Integer> used = new ArrayList<>();
        for (int cell = 0; cell < CELLS; cell++) {
            if (count[cell] > 0) {
                used.add(cell);
            }
        }
        List<Box> boxes = new ArrayList<>();
        boxes.add(new Box(used, count));
        while (boxes.size() < maxColours) {
            Box widest = boxes.stream().filter(box -> box.cells.size() > 1)
                    .max(Comparator.comparingDouble(Box::priority)).orElse(null);
            if (widest == null) {
                break;
            }
            boxes.remove(widest);
            boxes.addAll(widest.split(count));
        }
        int[] colours = new int[Math.max(1, boxes.size())];
        for (int i = 0; i < boxes.size(); i++) {
            colours[i] = boxes.get(i).mean(count, sum);
        }
        return new Palette(colours);
    }

    /** The palette as a colour model for {@link BufferedImage#TYPE_BYTE_INDEXED} images. */
    IndexColorModel colourModel() {
        int n = 256;                                                  // unused entries black: GIF wants 2^k
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        for (int i = 0; i < colours.length; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        return new IndexColorModel(8, n, r, g, b);
    }

    int size() {
        return colours.length;
    }

    /** The frame in this palette, with Floyd-Steinberg error diffusion. */
    BufferedImage apply(BufferedImage frame) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, colourModel());
        float[][] error = new float[2][3 * (w + 2)];                  // this row and the next, [3 * (W + 2)]
        int[] row = new int[w];
        byte[] indices = new byte[w];
        for (int y = 0; y < h; y++) {
            float[] here = error[y & 1];
            float[] below = error[(y + 1) & 1];
            Arrays.fill(below, 0f);
            rgbRow(frame, y, row);
            for (int x = 0; x < w; x++) {
                int e = 3 * (x + 1);
                int r = clamp((row[x] >> 16 & 0xff) + here[e]);
                int g = clamp((row[x] >> 8 & 0xff) + here[e + 1]);
                int b = clamp((row[x] & 0xff) + here[e + 2]);
                int index = nearest[cellOf(r, g, b)] & 0xff;
                indices[x] = (byte) index;
                int c = colours[index];
                spread(here, below, e, r - (c >> 16 & 0xff));
                spread(here, below, e + 1, g - (c >> 8 & 0xff));
                spread(here, below, e + 2, b - (c & 0xff));
            }
            out.getRaster().setDataElements(0, y, w, 1, indices);
        }
        return out;
    }

    /** Floyd-Steinberg: a channel's error at {@code e} to the right (7/16) and to the row below (3, 5, 1 /16). */
    private static void spread(float[] here, float[] below, int e, int diff) {
        here[e + 3] += diff * 7 / 16f;
        below[e - 3] += diff * 3 / 16f;
        below[e] += diff * 5 / 16f;
        below[e + 3] += diff / 16f;
    }

    /**
     * Row {@code y} of an image as 0xRRGGBB ints: read straight from the pixel buffer for the two types the
     * explain figures use (3-byte BGR, int RGB), through {@link BufferedImage#getRGB} otherwise.
     */
    static void rgbRow(BufferedImage image, int y, int[] row) {
        int w = image.getWidth();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte bytes
                && image.getRaster().getParent() == null) {
            byte[] data = bytes.getData();
            int from = 3 * w * y;
            for (int x = 0; x < w; x++) {
                int p = from + 3 * x;
                row[x] = (data[p + 2] & 0xff) << 16 | (data[p + 1] & 0xff) << 8 | data[p] & 0xff;
            }
        } else if (image.getType() == BufferedImage.TYPE_INT_RGB
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferInt ints
                && image.getRaster().getParent() == null) {
            System.arraycopy(ints.getData(), w * y, row, 0, w);
            for (int x = 0; x < w; x++) {
                row[x] &= 0xffffff;
            }
        } else {
            image.getRGB(0, y, w, 1, row, 0, w);
        }
    }

    private static int cellOf(int r, int g, int b) {
        return (r >> 3) << 2 * BITS | (g >> 3) << BITS | b >> 3;
    }

    private static int clamp(float v) {
        return Math.min(255, Math.max(0, Math.round(v)));
    }

    /** A set of histogram cells, split along its longest channel at the pixel-count median. */
    private record Box(List<Integer> cells, long pixels, int longest, int range) {
        Box(List<Integer> cells, long[] count) {
            this(cells, pixels(cells, count), longestChannel(cells), rangeOf(cells, longestChannel(cells)));
        }

        double priority() {
            return (double) range * Math.sqrt(pixels);
        }

        List<Box> split(long[] count) {
            List<Integer> sorted = new ArrayList<>(cells);
            sorted.sort(Comparator.comparingInt(cell -> channel(cell, longest)));
            long half = pixels / 2;
            long seen = 0;
            int cut = 1;
            for (int i = 0; i < sorted.size() - 1; i++) {
                seen += count[sorted.get(i)];
                cut = i + 1;
                if (seen >= half) {
                    break;
                }
            }
            return List.of(new Box(sorted.subList(0, cut), count), new Box(sorted.subList(cut, sorted.size()), count));
        }

        int mean(long[] count, long[][] sum) {
            long n = 0;
            long r = 0;
            long g = 0;
            long b = 0;
            for (int cell : cells) {
                n += count[cell];
                r += sum[0][cell];
                g += sum[1][cell];
                b += sum[2][cell];
            }
            if (n == 0) {
                return 0;
            }
            return (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
        }

        private static long pixels(List<Integer> cells, long[] count) {
            long n = 0;
            for (int cell : cells) {
                n += count[cell];
            }
            return n;
        }

        private static int longestChannel(List<Integer> cells) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                if (rangeOf(cells, c) > rangeOf(cells, best)) {
                    best = c;
                }
            }
            return best;
        }

        private static int rangeOf(List<Integer> cells, int c) {
            int lo = SIDE;
            int hi = -1;
            for (int cell : cells) {
                lo = Math.min(lo, channel(cell, c));
                hi = Math.max(hi, channel(cell, c));
            }
            return hi - lo;
        }

        private static int channel(int cell, int c) {
            return cell >> (2 - c) * BITS & SIDE - 1;
        }
    }
}

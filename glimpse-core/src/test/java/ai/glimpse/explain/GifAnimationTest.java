package ai.glimpse.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/** GIF frames come back close to what was drawn: one shared 256-colour palette, dithered. */
class GifAnimationTest {
    @Test
    void framesSurviveQuantisationWithSmallError() throws IOException {
        BufferedImage scene = Pictures.twoShapes(240, 160);
        CropBox box = CropBox.whole(240, 160);
        BufferedImage hot = Overlay.blend(scene, HeatMap.of(Pictures.bump(7, 2, 5, 1.5), 7, box, 240, 160, 12), box,
                ColourMap.INFERNO, 0.6);
        BufferedImage flat = Overlay.blend(scene, HeatMap.of(Pictures.uniform(7), 7, box, 240, 160, 12), box,
                ColourMap.VIRIDIS, 0.6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GifAnimation.write(bytes, List.of(scene, hot, flat), 250);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(3, reader.getNumImages(true));
            List<BufferedImage> drawn = List.of(scene, hot, flat);
            for (int i = 0; i < 3; i++) {
                double error = meanError(drawn.get(i), reader.read(i));
                assertTrue(error < 4, "frame " + i + " differs by " + error + " per channel on average");
                assertTrue(describe(reader.getImageMetadata(i)).contains("delayTime=25"));
            }
            reader.dispose();
        }
    }

    @Test
    void paletteNeverExceeds256ColoursAndKeepsFewColoursExact() {
        BufferedImage bands = new BufferedImage(90, 10, BufferedImage.TYPE_INT_RGB);
        int[] colours = {0xd62828, 0x2a9d4f, 0x1d3557};
        for (int x = 0; x < 90; x++) {
            for (int y = 0; y < 10; y++) {
                bands.setRGB(x, y, colours[x / 30]);
            }
        }
        Palette palette = Palette.of(List.of(bands), 256);
        assertEquals(3, palette.size());
        BufferedImage indexed = palette.apply(bands);
        for (int x = 0; x < 90; x++) {
            assertEquals(colours[x / 30], indexed.getRGB(x, 5) & 0xffffff, "x = " + x);
        }
        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 64; y++) {
                noisy.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        assertEquals(256, Palette.of(List.of(noisy), 256).size());
    }

    private static double meanError(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift : new int[] {16, 8, 0}) {
                    sum += Math.abs((p >> shift & 0xff) - (q >> shift & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    /** Every metadata node of a GIF frame with its attributes, as {@code name attr=value ...} lines. */
    static String describe(IIOMetadata meta) {
        StringBuilder out = new StringBuilder();
        append(meta.getAsTree("javax_imageio_gif_image_1.0"), out);
        return out.toString();
    }

    private static void append(Node node, StringBuilder out) {
        out.append(node.getNodeName());
        NamedNodeMap attributes = node.getAttributes();
        for (int i = 0; attributes != null && i < attributes.getLength(); i++) {
            out.append(' ').append(attributes.item(i).getNodeName()).append('=').append(attributes.item(i).getNodeValue());
        }
        out.append('\n');
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            append(child, out);
        }
    }
}

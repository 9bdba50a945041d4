package ai.glimpse.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws a {@link Scene} with Java2D: the background texture, then every object's outline filled in its
 * flat colour, antialiased. The same scene always gives the same pixels, and the same PNG bytes.
 */
public final class SceneRenderer {
    /** ImageIO's PNG "quality": 1 stores, 0 compresses hardest; 0.75 is a low deflate level. */
    private static final float PNG_QUALITY = 0.75f;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");   // drawing into images needs no display
        }
    }

    private SceneRenderer() {
    }

    /** The scene as an RGB image of {@code scene.size()} pixels square. */
    public static BufferedImage render(Scene scene) {
        BufferedImage image = new BufferedImage(scene.size(), scene.size(), BufferedImage.TYPE_INT_RGB);
        BackgroundPainter.paint(image, scene.background(), scene.textureSeed());
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (SceneObject object : scene.objects()) {
                g.setColor(new Color(object.colour().rgb()));
                g.fill(object.outline().toPath());
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * The image encoded as PNG, in memory (no ImageIO disk cache), with fast deflate settings: for these
     * textures it is about as small as the default and several times quicker.
     */
    public static byte[] png(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(PNG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}

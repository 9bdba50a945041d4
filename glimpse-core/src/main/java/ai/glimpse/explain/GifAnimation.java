package ai.glimpse.explain;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes frames as a looping animated GIF (GIF89a, with the NETSCAPE2.0 application extension for
 * looping) through ImageIO's GIF writer. All frames are mapped to one {@link Palette} of 256 colours,
 * stored once as the global colour table.
 */
final class GifAnimation {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";

    private GifAnimation() {
    }

    /**
     * Writes {@code frames} (at least one, all the same size) to {@code out}, each shown {@code delayMs}
     * milliseconds (rounded to hundredths of a second), looping forever.
     */
    static void write(OutputStream out, List<BufferedImage> frames, int delayMs) throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("an animation needs at least one frame");
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for gif");
        }
        Palette palette = Palette.of(frames, 256);
        ImageWriter writer = writers.next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            writer.prepareWriteSequence(streamMetadata(writer, param, palette));
            List<BufferedImage> mapped = frames.parallelStream().map(palette::apply).toList(); // dithered on every core
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage indexed = mapped.get(i);
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(indexed), param);
                configure(meta, Math.max(1, Math.round(delayMs / 10f)), i == 0);
                writer.writeToSequence(new IIOImage(indexed, null, meta), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /**
     * Stream metadata whose global colour table is the palette: without one the writer stores a default
     * table of its own while the frames' pixels index ours.
     */
    private static IIOMetadata streamMetadata(ImageWriter writer, ImageWriteParam param, Palette palette)
            throws IOException {
        IIOMetadata meta = writer.getDefaultStreamMetadata(param);
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(STREAM_FORMAT);
        IIOMetadataNode old = child(root, "GlobalColorTable");
        root.removeChild(old);
        IIOMetadataNode table = new IIOMetadataNode("GlobalColorTable");
        IndexColorModel model = palette.colourModel();
        table.setAttribute("sizeOfGlobalColorTable", Integer.toString(model.getMapSize()));
        table.setAttribute("backgroundColorIndex", "0");
        table.setAttribute("sortFlag", "FALSE");
        for (int i = 0; i < model.getMapSize(); i++) {
            IIOMetadataNode entry = new IIOMetadataNode("ColorTableEntry");
            entry.setAttribute("index", Integer.toString(i));
            entry.setAttribute("red", Integer.toString(model.getRed(i)));
            entry.setAttribute("green", Integer.toString(model.getGreen(i)));
            entry.setAttribute("blue", Integer.toString(model.getBlue(i)));
            table.appendChild(entry);
        }
        root.appendChild(table);
        meta.setFromTree(STREAM_FORMAT, root);
        return meta;
    }

    /**
     * Drops the default local colour table (a fixed web palette, whatever the image's colour model) so the
     * frame uses the global one; sets the delay (hundredths of a second) and, on the first frame, the
     * loop-forever extension.
     */
    private static void configure(IIOMetadata meta, int centiseconds, boolean first) throws IOException {
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        root.removeChild(child(root, "LocalColorTable"));            // the writer's default, not our palette
        child(root, "ImageDescriptor").setAttribute("interlaceFlag", "FALSE");
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(centiseconds));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode extension = new IIOMetadataNode("ApplicationExtension");
            extension.setAttribute("applicationID", "NETSCAPE");
            extension.setAttribute("authenticationCode", "2.0");
            extension.setUserObject(new byte[] {1, 0, 0});            // sub-block 1, loop count 0 = forever
            child(root, "ApplicationExtensions").appendChild(extension);
        }
        meta.setFromTree(FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) parent.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }
}

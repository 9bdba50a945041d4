package ai.glimpse.explain;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.log;
import static org.bytedeco.opencv.global.opencv_core.max;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.applyColorMap;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws the overlays of many steps over one picture with OpenCV, for pictures whose attention grid covers
 * the whole image (square inputs; a centre crop goes through {@link HeatMap} and {@link Overlay}, which
 * also grey what the model did not see): each step's {@link HeatMap.Field} is resized to the picture
 * (bilinear, pixel centres aligned, edges replicated: the sampling {@link HeatMap} does), made heat by
 * the {@link HeatScale}, coloured through the {@link ColourMap}'s 256-entry table and blended over the
 * picture at the opacity. The picture is converted once; every step then runs in native code. Safe to
 * use from several threads at once; {@link #close} frees the picture's copy.
 */
final class OverlayPainter implements AutoCloseable {
    private final int width;
    private final int height;
    private final Mat base;                                             // [H, W, 3] BGR bytes
    private final Mat lut;                                              // [256, 1, 3] BGR
    private final double opacity;
    private final HeatScale scale;

    OverlayPainter(BufferedImage picture, ColourMap map, HeatScale scale, double opacity) {
        this.width = picture.getWidth();
        this.height = picture.getHeight();
        this.opacity = opacity;
        this.scale = scale;
        BufferedImage bgr = toBgr(picture);
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        this.base = new Mat(height, width, CV_8UC3);
        ByteBuffer buf = base.createBuffer();
        buf.put(pixels);
        this.lut = new Mat(256, 1, CV_8UC3);
        ByteBuffer l = lut.createBuffer();
        for (int i = 0; i < 256; i++) {
            int c = map.rgb(i / 255.0);
            l.put(3 * i, (byte) (c & 0xff)).put(3 * i + 1, (byte) (c >> 8 & 0xff)).put(3 * i + 2, (byte) (c >> 16 & 0xff));
        }
    }

    /** The picture with one step's heat blended over it, as a new {@link BufferedImage#TYPE_3BYTE_BGR} image. */
    BufferedImage paint(HeatMap.Field field) {
        try (PointerScope scope = new PointerScope()) {
            Mat work = new Mat(field.rows(), field.cols(), CV_32F);     // [wh, ww], weight units
            FloatBuffer in = work.createBuffer();
            in.put(field.values());
            Mat heat = new Mat();
            resize(work, heat, new Size(width, height), 0, 0, INTER_LINEAR); // [H, W]
            Mat bytes = new Mat();
            if (scale == HeatScale.WORD) {
                DoublePointer top = new DoublePointer(1);
                minMaxLoc(heat, null, top, null, null, null);
                double peak = top.get();
                max(heat, new Mat(1, 1, CV_32F, new org.bytedeco.opencv.opencv_core.Scalar(0.0)), heat);
                heat.convertTo(bytes, CV_8U, peak > 0 ? 255 / peak : 0, 0);
            } else {
                int regions = field.regions();
                Mat floor = new Mat(1, 1, CV_32F, new org.bytedeco.opencv.opencv_core.Scalar(1e-30));
                max(heat, floor, heat);
                log(heat, heat);                                        // ln v
                double lnL = Math.log(Math.max(2, regions));
                // t = 1/2 + (ln v + ln L) / (2 ln L); 255 t = 255 + 255 ln v / (2 ln L), saturated to [0, 255]
                heat.convertTo(bytes, CV_8U, regions <= 1 ? 0 : 255 / (2 * lnL), regions <= 1 ? 127.5 : 255);
            }
            Mat colours = new Mat();
            applyColorMap(bytes, colours, lut);                         // [H, W, 3] BGR
            Mat out = new Mat();
            addWeighted(base, 1 - opacity, colours, opacity, 0, out);
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            ByteBuffer res = out.createBuffer();
            res.get(dst);
            return image;
        }
    }

    @Override
    public void close() {
        base.close();
        lut.close();
    }

    /** The picture as 3-byte BGR (a copy when it is another type). */
    private static BufferedImage toBgr(BufferedImage picture) {
        if (picture.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return picture;
        }
        BufferedImage bgr = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = bgr.createGraphics();
        try {
            g.drawImage(picture, 0, 0, null);
        } finally {
            g.dispose();
        }
        return bgr;
    }
}

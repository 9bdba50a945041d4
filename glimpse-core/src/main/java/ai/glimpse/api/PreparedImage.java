package ai.glimpse.api;

import java.awt.image.BufferedImage;

/**
 * An image made ready for a model by {@link Glimpse#prepare}: decoded, resized and normalised by the
 * model's preprocessing. Preparing is the part of captioning that runs on the caller's thread, in
 * parallel; {@link Glimpse#captionAll} then decodes many prepared images in one batch.
 *
 * @param name     what the image is called in messages (a path, or "image")
 * @param pixels   the model's input, [3, S, S] floats (S the model's image size)
 * @param original the image at its own size, for drawing overlays on; null when not kept
 */
public record PreparedImage(String name, float[] pixels, BufferedImage original) {
}

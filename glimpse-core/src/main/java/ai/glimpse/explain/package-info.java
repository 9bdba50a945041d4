/**
 * Pictures of where the model looked: for a {@link ai.glimpse.decode.Caption} and its image, per-word
 * attention overlays, the figure of Show, Attend and Tell (Xu et al. 2015, figures 2-3), an animated
 * GIF, a self-contained HTML page and a JSON file for other tools. This package draws; it never runs
 * the model.
 *
 * <p>{@link ai.glimpse.explain.ExplainWriter} writes everything with {@link
 * ai.glimpse.explain.ExplainOptions}; {@link ai.glimpse.explain.CropBox} maps the attention grid back to
 * the part of the original the model saw; {@link ai.glimpse.explain.HeatMap} upsamples (bicubic) and
 * smooths (Gaussian) one step's weights over the image; {@link ai.glimpse.explain.ColourMap} colours them.
 */
package ai.glimpse.explain;

/**
 * Synthetic captioning datasets whose right caption and right attention are known: scenes of coloured
 * shapes on textured backgrounds with exact boxes and outlines, and the "dog and wolf in the snow"
 * variant (after Ribeiro et al. 2016, "Why Should I Trust You?") whose test split breaks the
 * animal-background correlation of its training split.
 *
 * <p>A {@link ai.glimpse.synth.SceneSampler} draws a {@link ai.glimpse.synth.Scene} (records and enums
 * only), the {@link ai.glimpse.synth.SceneRenderer} draws it with Java2D, the
 * {@link ai.glimpse.synth.CaptionGrammar} describes it, and the {@link ai.glimpse.synth.DatasetJson}
 * writes the COCO captions, COCO instances and Karpathy files. {@link ai.glimpse.synth.SynthGenerator}
 * ties them together; the same seed and arguments always give the same bytes.
 */
package ai.glimpse.synth;

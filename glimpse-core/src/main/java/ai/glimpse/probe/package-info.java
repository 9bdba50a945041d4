/**
 * Tests of an explanation against the model itself: they change the region features a decoder reads and
 * run it again. {@link ai.glimpse.probe.DeletionTest} asks, for every word of a caption, whether masking
 * the regions its attention chose costs the word more log-probability than masking as many regions it
 * ignored (a deletion test in the spirit of Samek et al. 2017 and Petsiuk et al. 2018; attention alone is
 * no faithful explanation, Jain and Wallace 2019, Serrano and Smith 2019). {@link
 * ai.glimpse.probe.RegionMask} says which cells of the grid a rectangle of image pixels covers and
 * replaces their features by the image's mean feature, which also serves counterfactual captions: the
 * same image re-captioned with an object, or everything around it, masked.
 *
 * <p>This package runs the model ({@link ai.glimpse.model.Inference}); {@code explain} draws what it
 * finds and {@code eval} sums it over a split.
 */
package ai.glimpse.probe;

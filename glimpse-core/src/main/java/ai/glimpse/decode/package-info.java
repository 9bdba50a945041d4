/**
 * Turning a model into captions: the search strategies over the model's single step function and the
 * {@link ai.glimpse.decode.Caption} record with its per-word attention. Drawing belongs elsewhere.
 */
package ai.glimpse.decode;

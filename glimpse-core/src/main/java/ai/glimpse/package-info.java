/**
 * Glimpse: image captioning with spatial visual attention, after Xu et al. 2015, "Show, Attend and
 * Tell: Neural Image Caption Generation with Visual Attention". The packages follow the data flow:
 * {@code data} and {@code synth} make inputs, {@code model} and {@code train} fit the model,
 * {@code decode} writes captions, {@code explain} and {@code eval} look at them, {@code cli} drives it all.
 */
package ai.glimpse;

/**
 * Training: in-memory training sets, deterministic batches, the model-agnostic loop with its listeners
 * (progress, CSV log, checkpoints), Adam, validation by decoding, resumable checkpoints, and the
 * decoder benchmark. Decoding itself is borrowed from {@code decode}, never re-implemented.
 */
package ai.glimpse.train;

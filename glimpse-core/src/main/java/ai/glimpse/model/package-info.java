/**
 * The Show, Attend and Tell model (Xu et al. 2015, soft attention) on ND4J arrays: the parameters of each
 * box of the paper (the {@code small} CNN encoder, additive attention over regions, the LSTM decoder with
 * its gated context and deep output, the auxiliary losses), the engine that runs them with hand-written
 * gradients (the encoder engine, the decoder's one step function, the teacher-forced training pass and
 * step, inference sessions) with Java heap kernels for the CPU and ND4J twins for other precisions and
 * backends, the frozen encoders, and the model bundle on disk. The SameDiff graph of the same model
 * lives in the tests, as the oracle the engine is checked against. Nothing here parses command-line
 * options.
 */
package ai.glimpse.model;

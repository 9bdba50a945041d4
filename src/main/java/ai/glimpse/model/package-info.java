/**
 * The Show, Attend and Tell model (Xu et al. 2015, soft attention) in SameDiff: the {@code small} CNN
 * encoder, additive attention over regions, the LSTM decoder with its gated context and deep output,
 * the unrolled training graph and the step-wise inference graphs, which all share one step function;
 * and the model bundle on disk. Nothing here parses command-line options.
 */
package ai.glimpse.model;

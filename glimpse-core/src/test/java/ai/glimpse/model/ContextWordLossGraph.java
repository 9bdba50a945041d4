package ai.glimpse.model;

import static ai.glimpse.model.ContextWordLoss.*;

import org.nd4j.autodiff.samediff.SDVariable;

/** {@link ContextWordLoss} as a SameDiff graph, the oracle of the engine's context loss. */
final class ContextWordLossGraph {
    private ContextWordLossGraph() {
    }

    /**
     * Masked mean over real steps of -log softmax(W^T z_t + b)[y_t]: contexts [N, D] (the steps of all
     * captions, row-major), targets one-hot [N, K], mask [N] (1 on real steps).
     */
    static SDVariable loss(ModelGraph g, SDVariable contexts, SDVariable targetOneHot, SDVariable mask) {
        return TrainingGraph.maskedCrossEntropy(g, g.linear(contexts, W, B), targetOneHot, mask); // []
    }
}

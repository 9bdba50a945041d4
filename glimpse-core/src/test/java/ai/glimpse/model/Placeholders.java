package ai.glimpse.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The engine's batches from a {@link TrainingGraph} placeholder map, so tests feed the graph and the engine alike. */
final class Placeholders {
    private Placeholders() {
    }

    /** The training step's batch of the placeholders. */
    static TrainingStep.Batch step(Map<String, INDArray> ph) {
        INDArray input = ph.containsKey(TrainingGraph.IMAGES) ? ph.get(TrainingGraph.IMAGES) : ph.get(TrainingGraph.FEATURES);
        return new TrainingStep.Batch(input, ph.get(TrainingGraph.IMAGE_OF_CAPTION).argMax(1).toIntVector(),
                ph.get(TrainingGraph.INPUTS).toIntMatrix(), ph.get(TrainingGraph.TARGETS).toIntMatrix(),
                ph.get(TrainingGraph.MASK), ph.get(TrainingGraph.DROP));
    }

    /** The decoder pass's batch of placeholders that hold features. */
    static TrainingPass.Batch pass(Map<String, INDArray> ph) {
        TrainingStep.Batch b = step(ph);
        INDArray features = b.input();
        return new TrainingPass.Batch(features, b.imageOf(), b.inputs(), b.targets(), b.mask().castTo(features.dataType()),
                b.drop() == null ? null : b.drop().castTo(features.dataType()));
    }
}

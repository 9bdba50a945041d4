package ai.glimpse.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts a DL4J computation graph at one vertex: a new graph of that vertex and its ancestors only, with
 * their parameters copied, so nothing past the cut (a classifier head) is ever computed or kept. The
 * cut graph takes 4-D images of any size its layers allow.
 */
final class GraphCut {
    private GraphCut() {
    }

    /** The part of {@code full} that computes {@code output}, which becomes the only output. */
    static ComputationGraph cut(ComputationGraph full, String output) {
        ComputationGraphConfiguration conf = full.getConfiguration();
        Set<String> needed = ancestors(conf, output);
        List<String> inputs = conf.getNetworkInputs().stream().filter(needed::contains).toList();
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .dataType(conf.getDataType())
                .graphBuilder()
                .addInputs(inputs);
        for (String v : conf.getTopologicalOrderStr()) {
            if (needed.contains(v) && !inputs.contains(v)) {
                GraphVertex vertex = conf.getVertices().get(v).clone();
                List<String> from = conf.getVertexInputs().get(v);
                // Images always come as [N, C, H, W]: a flat-to-CNN preprocessor passes them through
                // untouched, but its fixed size would stop shape inference at other image sizes.
                if (vertex instanceof LayerVertex lv && lv.getPreProcessor() instanceof FeedForwardToCnnPreProcessor
                        && inputs.containsAll(from)) {
                    lv.setPreProcessor(null);
                }
                builder.addVertex(v, vertex, from.toArray(String[]::new));
            }
        }
        ComputationGraphConfiguration cutConf = builder.setOutputs(output).validateOutputLayerConfig(false).build();
        cutConf.setInferenceWorkspaceMode(conf.getInferenceWorkspaceMode());
        cutConf.setTrainingWorkspaceMode(conf.getTrainingWorkspaceMode());
        cutConf.setCacheMode(conf.getCacheMode());

        long count = 0;
        for (String v : needed) {
            if (!inputs.contains(v)) {
                count += full.getVertex(v).numParams();
            }
        }
        ComputationGraph cut = new ComputationGraph(cutConf);
        // Given parameters, init skips the random initialisation; each vertex's view is then filled,
        // vertex by vertex, so the order of the flat vector does not matter.
        cut.init(Nd4j.zeros(full.params().dataType(), 1, count), false);
        for (String v : needed) {
            if (!inputs.contains(v) && full.getVertex(v).numParams() > 0) {
                INDArray target = cut.getVertex(v).params();
                target.assign(full.getVertex(v).params().reshape(target.shape()));
            }
        }
        return cut;
    }

    /** {@code vertex} and every vertex it depends on, inputs included. */
    private static Set<String> ancestors(ComputationGraphConfiguration conf, String vertex) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                List<String> in = conf.getVertexInputs().get(v);
                if (in != null) {
                    todo.addAll(in);
                }
            }
        }
        return seen;
    }
}

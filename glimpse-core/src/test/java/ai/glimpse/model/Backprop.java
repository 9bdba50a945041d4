package ai.glimpse.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients from a SameDiff graph without its noise: in 1.0.0-M2.1 the first backward pass prints one
 * "Added differentiated op" line per op on stdout, which would bury a command's own output.
 */
public final class Backprop {
    private Backprop() {
    }

    /** Outputs and gradients of one batch. */
    public static OutAndGrad outputsAndGradients(SameDiff sd, Map<String, INDArray> placeholders,
            Collection<String> outputs, Collection<String> variables) {
        return quietly(() -> sd.calculateGradientsAndOutputs(placeholders, outputs, variables));
    }

    /** Gradients only. */
    public static Map<String, INDArray> gradients(SameDiff sd, Map<String, INDArray> placeholders,
            Collection<String> variables) {
        return quietly(() -> sd.calculateGradients(placeholders, variables));
    }

    private static <T> T quietly(Supplier<T> work) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return work.get();
        } finally {
            System.setOut(stdout);
        }
    }
}

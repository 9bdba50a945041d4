package ai.glimpse.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Named float blocks on the Java heap that the heap kernels reuse from batch to batch and from step to
 * step, grown when a batch needs more: a training step allocates nothing large after the first, and
 * first touches of fresh memory (about 40 ms for 27 MB here) are paid once. One set serves one pass at a
 * time.
 */
final class HostBuffers {
    private final Map<String, float[]> blocks = new HashMap<>();

    /** A block of at least {@code size} floats under {@code name}; its contents are whatever was left in it. */
    float[] get(String name, int size) {
        float[] b = blocks.get(name);
        if (b == null || b.length < size) {
            b = new float[size];
            blocks.put(name, b);
        }
        return b;
    }

    /** As {@link #get}, with its first {@code size} floats set to 0. */
    float[] zeroed(String name, int size) {
        float[] b = get(name, size);
        Arrays.fill(b, 0, size, 0f);
        return b;
    }

    /** The block for step t of a per-step quantity. */
    float[] step(String name, int t, int size) {
        return get(name + '#' + t, size);
    }
}

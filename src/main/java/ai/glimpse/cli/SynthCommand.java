package ai.glimpse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code synth} verb; its issue fills it in. */
@Command(name = "synth", mixinStandardHelpOptions = true, description = "Not written yet.")
public final class SynthCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("synth is not written yet");
    }
}

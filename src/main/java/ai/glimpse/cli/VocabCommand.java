package ai.glimpse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code vocab} verb; its issue fills it in. */
@Command(name = "vocab", mixinStandardHelpOptions = true, description = "Not written yet.")
public final class VocabCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("vocab is not written yet");
    }
}

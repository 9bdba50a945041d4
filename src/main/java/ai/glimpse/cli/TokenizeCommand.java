package ai.glimpse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code tokenize} verb; its issue fills it in. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Not written yet.")
public final class TokenizeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("tokenize is not written yet");
    }
}

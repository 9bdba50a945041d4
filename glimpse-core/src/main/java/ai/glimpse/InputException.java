package ai.glimpse;

/**
 * Bad input from the user: a file that is missing or malformed, a flag with a wrong value, an image
 * that cannot be decoded. The command line prints the message as one line and exits with status 2, so
 * the message must name the file or flag and say what is wrong with it.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}

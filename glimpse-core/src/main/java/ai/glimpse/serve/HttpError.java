package ai.glimpse.serve;

/** A request refused with an HTTP status and a one-line reason, answered as {"error": reason}. */
final class HttpError extends RuntimeException {
    private final int status;
    private final String kind;

    /**
     * @param kind the metrics' name for this refusal (bad_request, too_large, unsupported_type, ...)
     */
    HttpError(int status, String kind, String message) {
        super(message, null, false, false);
        this.status = status;
        this.kind = kind;
    }

    int status() {
        return status;
    }

    String kind() {
        return kind;
    }
}

package ai.glimpse;

/**
 * Reports how far a long piece of work has come. Domain code takes one of these; the command line
 * passes a progress bar, tests and libraries pass {@link #NONE}.
 */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void advance(long done, String status) {
        }

        @Override
        public void finish() {
        }
    };

    /** Begins a task of {@code total} units (0 or less when the total is unknown). */
    void start(String task, long total);

    /** Sets the number of units done so far, with an optional short status (e.g. "loss 2.31"). */
    void advance(long done, String status);

    /** Ends the task; the bar prints its last state and a newline. */
    void finish();
}

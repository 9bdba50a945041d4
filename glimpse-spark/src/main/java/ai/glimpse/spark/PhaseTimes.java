package ai.glimpse.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Wall-clock time of a job's phases on the driver, for its closing line: "model 0.4 s, listing 1.2 s, ...". */
final class PhaseTimes {
    private final List<String> laps = new ArrayList<>();
    private long last = System.nanoTime();

    /** Ends the phase running since the last lap (or since construction) and names it. */
    void lap(String phase) {
        long now = System.nanoTime();
        laps.add(String.format(Locale.ROOT, "%s %.1f s", phase, (now - last) / 1e9));
        last = now;
    }

    @Override
    public String toString() {
        return String.join(", ", laps);
    }
}

package ai.glimpse.spark;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.util.LongAccumulator;

/**
 * A job's progress on stderr from Spark's own listener bus: each finished stage (its job's description,
 * tasks, time) and, as tasks finish, the images written so far (the tasks' output records) of those
 * expected, the rate and the failures counted by the job's accumulator. Lines are printed at most every
 * few seconds, and at the end of each stage.
 */
final class SparkProgress extends SparkListener {
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long expected;
    private final LongAccumulator failed;
    private final long startNanos = System.nanoTime();
    private final Map<Integer, String> jobOfStage = new HashMap<>();
    private long written;
    private long lastPrint;

    /**
     * @param what     what a record is, e.g. "images captioned"
     * @param expected the records this run will write
     * @param failed   the job's count of failed images, or null
     */
    SparkProgress(PrintWriter err, String what, long expected, LongAccumulator failed) {
        this.err = err;
        this.what = what;
        this.expected = expected;
        this.failed = failed;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart job) {
        String description = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
        for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())) {
            jobOfStage.put((Integer) stage, description == null ? "job " + job.jobId() : description);
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
        if (task.taskInfo().successful() && task.taskMetrics() != null) {
            long records = task.taskMetrics().outputMetrics().recordsWritten();
            if (records > 0) {
                written += records;
                long now = System.nanoTime();
                if (now - lastPrint >= EVERY_NANOS || written >= expected) {
                    lastPrint = now;
                    err.println("glimpse-spark: " + status());
                    err.flush();
                }
            }
        }
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
        StageInfo s = completed.stageInfo();
        long ms = s.completionTime().isDefined() && s.submissionTime().isDefined()
                ? (Long) s.completionTime().get() - (Long) s.submissionTime().get() : 0;
        String failure = s.failureReason().isDefined() ? ", FAILED: " + s.failureReason().get().lines().findFirst().orElse("") : "";
        err.printf(Locale.ROOT, "glimpse-spark: stage %d (%s) done: %d tasks in %.1f s%s%n", s.stageId(),
                jobOfStage.getOrDefault(s.stageId(), "job"), s.numTasks(), ms / 1000.0, failure);
        err.flush();
    }

    /** E.g. "256/500 images captioned, 12.1/s, 1 failed". */
    synchronized String status() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long bad = failed == null ? 0 : failed.value();
        return String.format(Locale.ROOT, "%d/%d %s, %.1f/s%s", written, expected, what, written / Math.max(seconds, 1e-9),
                bad > 0 ? ", " + bad + " failed" : "");
    }
}

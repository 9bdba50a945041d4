package ai.glimpse.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Where a job runs: {@code --master} and {@code --conf}, as spark-submit's. Without a master the job runs
 * embedded in this JVM ({@code local[*]}); under spark-submit, the master it was given.
 *
 * <p>ND4J's threads: each executor JVM holds one model and one OpenMP pool, used by one task at a time
 * (the others prepare images meanwhile). The pool is as wide as {@code OMP_NUM_THREADS}; executors get
 * {@code spark.executor.cores} there when that is set (and {@code OMP_WAIT_POLICY=PASSIVE}), the embedded
 * mode gets what the launcher set (one per core).
 */
public final class ClusterOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], spark://HOST:7077, yarn, k8s://... Default: spark-submit's, else local[*].")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting (repeatable), e.g. --conf spark.executor.memory=8g.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Starts (or joins) the Spark session for a job named {@code app}. */
    SparkSession start(String app) {
        SparkConf submitted = new SparkConf();                          // spark.* properties spark-submit set
        String m = master != null ? master : submitted.get("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder().appName(app).master(m);
        if (m.startsWith("local")) {
            setDefault(b, submitted, "spark.ui.enabled", "false");
            setDefault(b, submitted, "spark.driver.host", "127.0.0.1");
            setDefault(b, submitted, "spark.driver.bindAddress", "127.0.0.1");
        } else {
            // client mode outside spark-submit: executors fetch the job's classes from this jar
            String jar = ownJar();
            if (jar != null) {
                setDefault(b, submitted, "spark.jars", jar);
            }
        }
        setDefault(b, submitted, "spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        String cores = settings.getOrDefault("spark.executor.cores", submitted.get("spark.executor.cores", null));
        if (cores != null) {
            setDefault(b, submitted, "spark.executorEnv.OMP_NUM_THREADS", cores);
        }
        settings.forEach(b::config);
        return b.getOrCreate();
    }

    /** The assembly jar this class was loaded from, or null (classes from a folder, as in tests). */
    private static String ownJar() {
        try {
            java.net.URL where = ClusterOptions.class.getProtectionDomain().getCodeSource().getLocation();
            String path = java.nio.file.Path.of(where.toURI()).toString();
            return path.endsWith(".jar") ? path : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private void setDefault(SparkSession.Builder b, SparkConf submitted, String key, String value) {
        if (!settings.containsKey(key) && !submitted.contains(key)) {
            b.config(key, value);
        }
    }
}

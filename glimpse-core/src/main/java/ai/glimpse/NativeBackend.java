package ai.glimpse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * The ND4J backend this jar carries. Tells JavaCPP which build of ND4J's native library to load (the
 * oneDNN/AVX2 one by default, the plain one with Maven's {@code portable} profile, the plain or cuDNN
 * CUDA one with {@code cuda}), before ND4J loads it; for the CUDA build, checks the machine first
 * ({@link CudaSupport}) so that a missing driver, GPU or library is one line, not a native crash; and
 * describes the backend in one line. A user may still set {@code org.bytedeco.javacpp.platform.extension}.
 */
public final class NativeBackend {
    private static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** Set to "off" to skip the machine check of the CUDA build (ND4J's own failures are still one line). */
    public static final String CHECK_VARIABLE = "GLIMPSE_CUDA_CHECK";
    private static final String PREFIX = "cannot start the CUDA backend: ";

    private static boolean started;
    private static InputException failure;

    private NativeBackend() {
    }

    /** Sets the platform extension the build chose, unless one is set already. Idempotent. */
    public static synchronized void configure() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        String extension = buildProperties().getProperty("nd4j.extension", "");
        if (!extension.isEmpty()) {
            System.setProperty(PROPERTY, extension);
        }
    }

    /** Whether this jar carries ND4J's CUDA backend (the {@code cuda} profile's build). */
    public static boolean cudaBuild() {
        return NativeBackend.class.getResource("/org/nd4j/linalg/jcublas/JCublasBackend.class") != null;
    }

    /**
     * Whether ND4J will try its CUDA backend first: this is the CUDA build, and no CPU backend on the class
     * path is put before it (BACKEND_PRIORITY_CPU above BACKEND_PRIORITY_GPU, as the cuda build's tests do).
     */
    public static boolean cudaFirst() {
        boolean cpu = NativeBackend.class.getResource("/org/nd4j/linalg/cpu/nativecpu/CpuBackend.class") != null;
        return cudaBuild() && !(cpu && Nd4jBackend.BACKEND_PRIORITY_CPU > Nd4jBackend.BACKEND_PRIORITY_GPU);
    }

    /**
     * Starts ND4J. On the CPU build only configures it (ND4J then loads on first use). On the CUDA build
     * ({@link #cudaFirst}) checks the machine, loads ND4J and runs one product on the GPU; any failure
     * becomes an {@link InputException} with one line saying what is missing and what to do (the same one
     * on every later call). What ND4J prints meanwhile is held back, and follows the exception as its cause.
     */
    public static synchronized void start() {
        configure();
        if (failure != null) {
            throw failure;
        }
        if (started || !cudaFirst()) {
            return;
        }
        boolean check = !"off".equalsIgnoreCase(System.getenv(CHECK_VARIABLE));
        if (check) {
            GpuFacts facts = GpuFacts.inspect(CudaSupport.libraries(System.getProperty(PROPERTY, "")));
            Optional<String> refusal = CudaSupport.refusal(facts);
            if (refusal.isPresent()) {
                failure = new InputException(PREFIX + refusal.get());
                throw failure;
            }
        }
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            String backend = Nd4j.getBackend().getClass().getSimpleName();
            if (!backend.startsWith("JCublas")) {
                throw new IllegalStateException("ND4J loaded its " + backend + " instead");
            }
            if (check) {
                CudaSupport.gpuRefusal(devices()).ifPresent(r -> {
                    throw new InputException(PREFIX + r);
                });
            }
            INDArray x = Nd4j.ones(DataType.FLOAT, 16, 16);                // [16, 16]
            double sum = x.mmul(x).sumNumber().doubleValue();             // cuBLAS, and the context's handles
            if (sum != 16 * 16 * 16) {
                throw new IllegalStateException("a 16x16 product of ones on the GPU summed to " + sum + ", not 4096");
            }
            started = true;
        } catch (InputException e) {
            failure = e;
        } catch (Throwable t) {
            String log = said.toString(StandardCharsets.UTF_8);
            failure = new InputException(PREFIX + "ND4J failed: " + reason(t, log) + " (--verbose shows ND4J's messages; "
                    + "GLIMPSE_BACKEND=cpu scripts/glimpse runs the CPU build)",
                    new IllegalStateException("ND4J said:\n" + log, t));
        } finally {
            System.setErr(err);
            if (started) {
                err.print(said.toString(StandardCharsets.UTF_8));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * One line naming the backend and where it runs, e.g. "ND4J CPU backend (nd4j-native, onednn-avx2),
     * 2 threads" or "ND4J CUDA backend (nd4j-cuda-11.6), device 0 of 1: NVIDIA A100-SXM4-40GB (sm_80, 39.4
     * GiB)". Starts ND4J; never throws (a backend that cannot start is described as such).
     */
    public static String describe() {
        String artifact = buildProperties().getProperty("nd4j.backend", cudaBuild() ? "nd4j-cuda" : "nd4j-native");
        try {
            start();
            String backend = Nd4j.getBackend().getClass().getSimpleName();
            if (backend.startsWith("JCublas")) {
                return "ND4J CUDA backend (" + artifact + "), " + device();
            }
            String extension = System.getProperty(PROPERTY, "").replaceFirst("^-", "");
            return "ND4J CPU backend (" + (cudaBuild() ? "nd4j-native" : artifact) + (extension.isEmpty() ? "" : ", " + extension) + "), "
                    + Nd4j.getEnvironment().maxThreads() + " threads";
        } catch (InputException e) {
            return "ND4J CUDA backend (" + artifact + "): not available: " + e.getMessage();
        } catch (Throwable t) {
            return "ND4J backend (" + artifact + "): not available: " + t;
        }
    }

    /** The GPUs ND4J sees, from its environment information. */
    private static List<GpuFacts.Gpu> devices() {
        List<GpuFacts.Gpu> gpus = new ArrayList<>();
        int i = 0;
        for (Map<String, Object> d : deviceInfo()) {
            gpus.add(new GpuFacts.Gpu(i++, String.valueOf(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY)),
                    number(d, Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY), number(d, Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY), ""));
        }
        return gpus;
    }

    private static String device() {
        List<Map<String, Object>> info = deviceInfo();
        int id = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        if (id < 0 || id >= info.size()) {
            return "device " + id + " of " + info.size() + " GPUs";
        }
        Map<String, Object> d = info.get(id);
        double gib = ((Number) d.getOrDefault(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY, 0L)).doubleValue() / (1L << 30);
        return String.format(Locale.ROOT, "device %d of %d: %s (sm_%d%d, %.1f GiB)", id, info.size(),
                d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY), number(d, Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY),
                number(d, Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY), gib);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deviceInfo() {
        Object list = Nd4j.getExecutioner().getEnvironmentInformation().get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        return list instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static int number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.intValue() : -1;
    }

    /** ND4J's own reason when its backend loader skipped the CUDA backend, else the root cause's message. */
    private static String reason(Throwable t, String log) {
        for (String line : log.split("\n")) {
            int at = line.indexOf("backend (unavailable): ");
            if (line.contains("JCublas") && at >= 0) {
                return line.substring(at + 23).strip();
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return (m == null || m.isBlank() ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + m)
                .replace('\n', ' ').strip();
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = NativeBackend.class.getResourceAsStream("/ai/glimpse/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}

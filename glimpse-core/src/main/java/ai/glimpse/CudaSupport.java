package ai.glimpse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What ND4J's CUDA build (nd4j-cuda-11.6 1.0.0-M2.1, the newest on Maven Central) can run on, and the
 * one-line reason when a machine cannot run it. That build carries machine code for sm_37 to sm_86
 * (Kepler K80 to Ampere) and no PTX, so no newer GPU can compile it; on Ada (sm_89) cuSOLVER fails to
 * start (deeplearning4j issue 9989). Its libnd4jcuda.so links libcublas.so.11 (which links
 * libcublasLt.so.11) and libcusolver.so.11, ND4J's Java side loads libcudart.so.11.0, and the cuDNN
 * variant also links libcudnn.so.8. CUDA 11.x runs on drivers from 450.80.02 on.
 */
public final class CudaSupport {
    /** The CUDA 11 libraries every CUDA build needs. */
    public static final List<String> LIBRARIES = List.of("libcudart.so.11.0", "libcublas.so.11", "libcublasLt.so.11",
            "libcusolver.so.11");
    /** The library the cuDNN variant also needs. */
    public static final String CUDNN = "libcudnn.so.8";
    /** The oldest driver CUDA 11.x runs on (minor version compatibility). */
    public static final String MIN_DRIVER = "450.80.02";

    private static final String BUILD = "ND4J's CUDA build (nd4j-cuda-11.6 1.0.0-M2.1, the newest)";
    private static final String CPU = "run the CPU build instead (GLIMPSE_BACKEND=cpu scripts/glimpse, or glimpse-core/target/glimpse.jar)";

    private CudaSupport() {
    }

    /** The libraries a build with this JavaCPP platform extension ("" or "-cudnn") needs. */
    public static List<String> libraries(String extension) {
        List<String> libs = new ArrayList<>(LIBRARIES);
        if (extension != null && extension.contains("cudnn")) {
            libs.add(CUDNN);
        }
        return List.copyOf(libs);
    }

    /** Why ND4J's CUDA build cannot run on this machine, as one line; empty when nothing stops it. */
    public static Optional<String> refusal(GpuFacts f) {
        if (!"Linux".equals(f.os()) || !("amd64".equals(f.arch()) || "x86_64".equals(f.arch()))) {
            return Optional.of("the CUDA build runs on Linux x86-64 only, not on " + f.os() + " " + f.arch() + "; " + CPU);
        }
        if (!f.libcuda()) {
            if (f.kernelModule()) {
                return Optional.of("the NVIDIA kernel driver is loaded but its library libcuda.so.1 is not on the library path"
                        + " (in a container, start it through the NVIDIA Container Toolkit, e.g. docker run --gpus all); " + CPU);
            }
            return Optional.of("no NVIDIA driver: libcuda.so.1 is not on the library path and /proc/driver/nvidia does not"
                    + " exist; install the NVIDIA driver (" + MIN_DRIVER + " or newer) for a Kepler (sm_37) to Ampere (sm_86)"
                    + " GPU, or " + CPU);
        }
        if (f.driverVersion() != null && older(f.driverVersion(), MIN_DRIVER)) {
            return Optional.of("NVIDIA driver " + f.driverVersion() + " is too old for CUDA 11 (it needs " + MIN_DRIVER
                    + " or newer); update the driver, or " + CPU);
        }
        if (f.gpus() != null && f.gpus().isEmpty()) {
            return Optional.of(f.selection() != null
                    ? "CUDA_VISIBLE_DEVICES=" + f.selection() + " leaves no GPU visible; name a GPU there (nvidia-smi -L lists them), or " + CPU
                    : "the NVIDIA driver lists no GPU (nvidia-smi -L); " + CPU);
        }
        if (f.gpus() != null) {
            Optional<String> gpu = gpuRefusal(f.gpus());
            if (gpu.isPresent()) {
                return gpu;
            }
        }
        if (!f.missingLibraries().isEmpty()) {
            String found = f.libraryHint() == null ? ""
                    : " (they are in " + f.libraryHint() + ": export LD_LIBRARY_PATH=" + f.libraryHint() + ")";
            return Optional.of("CUDA 11 libraries not found: " + String.join(", ", f.missingLibraries()) + found
                    + "; install CUDA 11.x (11.6 or a later 11.x: CUDA 12 does not provide these) with its lib64 folder on"
                    + " LD_LIBRARY_PATH, or build the jar with the libraries inside (./mvnw -Pcuda,cuda-redist package,"
                    + " 1.8 GB more), or " + CPU);
        }
        return Optional.empty();
    }

    /** The reason the first GPU this build cannot run on stops it, naming the others it can run on; empty if none. */
    public static Optional<String> gpuRefusal(List<GpuFacts.Gpu> gpus) {
        for (GpuFacts.Gpu gpu : gpus) {
            String why = unsupported(gpu.major(), gpu.minor());
            if (why != null) {
                List<String> usable = gpus.stream().filter(g -> unsupported(g.major(), g.minor()) == null)
                        .map(g -> String.valueOf(g.index())).toList();
                String others = usable.isEmpty() ? "" : "; GPU " + String.join(",", usable)
                        + " can run it alone: CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=" + String.join(",", usable);
                return Optional.of("GPU " + gpu.index() + " (" + gpu.name() + ") " + why + others + "; or " + CPU);
            }
        }
        return Optional.empty();
    }

    /** Why this build cannot run on a GPU of compute capability major.minor (negative: unknown), or null when it can. */
    static String unsupported(int major, int minor) {
        if (major < 0) {
            return null;
        }
        String arch = "sm_" + major + minor;
        if (major >= 10) {
            return "is a Blackwell or newer GPU (" + arch + "): " + BUILD + " has machine code for sm_37 to sm_86 and no PTX,"
                    + " so it cannot run there";
        }
        if (major == 9) {
            return "is a Hopper GPU (" + arch + "): " + BUILD + " has machine code for sm_37 to sm_86 and no PTX,"
                    + " so it cannot run there";
        }
        if (major == 8 && minor >= 9) {
            return "is an Ada GPU (" + arch + "), where " + BUILD + " fails to start cuSOLVER (deeplearning4j issue 9989)";
        }
        if (major < 3 || (major == 3 && minor < 7)) {
            return "is too old (" + arch + "): " + BUILD + " needs sm_37 (Kepler K80) or newer";
        }
        return null;
    }

    /** Whether dotted version a is older than b (numerically, field by field). */
    static boolean older(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return p < q;
            }
        }
        return false;
    }

    private static int parse(String field) {
        try {
            return Integer.parseInt(field.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

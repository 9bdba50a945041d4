package ai.glimpse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CUDA build's refusals from made-up machines: each names what is missing and what to do, in one line. */
class CudaSupportTest {
    private static final GpuFacts.Gpu A100 = new GpuFacts.Gpu(0, "NVIDIA A100-SXM4-40GB", 8, 0, "GPU-a100");
    private static final GpuFacts.Gpu GTX_1070 = new GpuFacts.Gpu(0, "NVIDIA GeForce GTX 1070", 6, 1, "GPU-1070");
    private static final GpuFacts.Gpu RTX_4070 = new GpuFacts.Gpu(1, "NVIDIA GeForce RTX 4070", 8, 9, "GPU-4070");
    private static final GpuFacts.Gpu H100 = new GpuFacts.Gpu(0, "NVIDIA H100 80GB HBM3", 9, 0, "GPU-h100");

    /** A Linux machine with a driver, the given GPUs (null: unknown) and missing libraries. */
    private static GpuFacts machine(List<GpuFacts.Gpu> gpus, List<String> missing) {
        return new GpuFacts("Linux", "amd64", true, true, "535.104.05", gpus, null, missing, null);
    }

    private static String refusal(GpuFacts f) {
        Optional<String> r = CudaSupport.refusal(f);
        assertTrue(r.isPresent(), "refused");
        assertFalse(r.get().contains("\n"), "one line: " + r.get());
        assertTrue(r.get().contains("GLIMPSE_BACKEND=cpu"), "says how to run the CPU build: " + r.get());
        return r.get();
    }

    @Test
    void aSupportedGpuWithItsLibrariesRuns() {
        for (int[] cc : new int[][] {{3, 7}, {5, 2}, {6, 1}, {7, 0}, {7, 5}, {8, 0}, {8, 6}}) {
            GpuFacts.Gpu gpu = new GpuFacts.Gpu(0, "gpu", cc[0], cc[1], "GPU-x");
            assertEquals(Optional.empty(), CudaSupport.refusal(machine(List.of(gpu), List.of())), "sm_" + cc[0] + cc[1]);
        }
        assertEquals(Optional.empty(), CudaSupport.refusal(machine(null, List.of())), "no nvidia-smi: ND4J's own list decides");
    }

    @Test
    void noDriverAtAllSaysToInstallIt() {
        String r = refusal(new GpuFacts("Linux", "amd64", false, false, null, null, null, CudaSupport.LIBRARIES, null));
        assertTrue(r.startsWith("no NVIDIA driver: libcuda.so.1"), r);
        assertTrue(r.contains(CudaSupport.MIN_DRIVER), r);
    }

    @Test
    void aKernelDriverWithoutItsLibraryPointsAtTheContainer() {
        String r = refusal(new GpuFacts("Linux", "amd64", true, false, "535.104.05", null, null, List.of(), null));
        assertTrue(r.contains("libcuda.so.1 is not on the library path"), r);
        assertTrue(r.contains("--gpus"), r);
    }

    @Test
    void aDriverOlderThanCuda11NeedsIsNamed() {
        String r = refusal(new GpuFacts("Linux", "amd64", true, true, "440.33.01", List.of(A100), null, List.of(), null));
        assertTrue(r.startsWith("NVIDIA driver 440.33.01 is too old for CUDA 11"), r);
        assertEquals(Optional.empty(), CudaSupport.refusal(
                new GpuFacts("Linux", "amd64", true, true, "450.80.02", List.of(A100), null, List.of(), null)));
    }

    @Test
    void hopperIsRefusedForLackOfMachineCode() {
        String r = refusal(machine(List.of(H100), List.of()));
        assertTrue(r.startsWith("GPU 0 (NVIDIA H100 80GB HBM3) is a Hopper GPU (sm_90)"), r);
        assertTrue(r.contains("no PTX"), r);
    }

    @Test
    void adaIsRefusedWithTheReportedCuSolverFailure() {
        String r = refusal(machine(List.of(new GpuFacts.Gpu(0, "NVIDIA L4", 8, 9, "GPU-l4")), List.of()));
        assertTrue(r.startsWith("GPU 0 (NVIDIA L4) is an Ada GPU (sm_89)"), r);
        assertTrue(r.contains("cuSOLVER") && r.contains("9989"), r);
    }

    @Test
    void blackwellAndOldKeplerAreRefused() {
        assertTrue(refusal(machine(List.of(new GpuFacts.Gpu(0, "B200", 10, 0, "GPU-b")), List.of())).contains("sm_100"));
        assertTrue(refusal(machine(List.of(new GpuFacts.Gpu(0, "RTX 5090", 12, 0, "GPU-r")), List.of())).contains("sm_120"));
        String kepler = refusal(machine(List.of(new GpuFacts.Gpu(0, "Tesla K40", 3, 5, "GPU-k")), List.of()));
        assertTrue(kepler.contains("is too old (sm_35)") && kepler.contains("sm_37"), kepler);
    }

    @Test
    void aMixedMachineIsToldWhichGpuToSelect() {
        String r = refusal(machine(List.of(GTX_1070, RTX_4070), List.of()));
        assertTrue(r.startsWith("GPU 1 (NVIDIA GeForce RTX 4070) is an Ada GPU"), r);
        assertTrue(r.contains("CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=0"), r);
        assertEquals(Optional.empty(), CudaSupport.refusal(machine(List.of(GTX_1070), List.of())), "with the 4070 hidden");
    }

    @Test
    void anUnsupportedGpuComesBeforeMissingLibrariesSinceLibrariesWouldNotHelp() {
        assertTrue(refusal(machine(List.of(H100), List.of("libcublas.so.11"))).contains("Hopper"));
    }

    @Test
    void missingLibrariesAreEachNamedWithBothWaysToGetThem() {
        String r = refusal(machine(List.of(A100), List.of("libcusolver.so.11")));
        assertTrue(r.startsWith("CUDA 11 libraries not found: libcusolver.so.11;"), r);
        assertTrue(r.contains("install CUDA 11.x") && r.contains("-Pcuda,cuda-redist"), r);
        String all = refusal(machine(List.of(A100), CudaSupport.libraries("-cudnn")));
        for (String lib : List.of("libcudart.so.11.0", "libcublas.so.11", "libcublasLt.so.11", "libcusolver.so.11", "libcudnn.so.8")) {
            assertTrue(all.contains(lib), lib + " in " + all);
        }
    }

    @Test
    void librariesInstalledOffThePathAreShown() {
        Path dir = Path.of("/usr/local/cuda-11.8/lib64");
        String r = refusal(new GpuFacts("Linux", "amd64", true, true, null, List.of(A100), null, List.of("libcublas.so.11"), dir));
        assertTrue(r.contains("export LD_LIBRARY_PATH=/usr/local/cuda-11.8/lib64"), r);
    }

    @Test
    void noVisibleGpuNamesTheSelectionThatHidThem() {
        String hidden = refusal(new GpuFacts("Linux", "amd64", true, true, null, List.of(), "-1", List.of(), null));
        assertTrue(hidden.startsWith("CUDA_VISIBLE_DEVICES=-1 leaves no GPU visible"), hidden);
        assertTrue(refusal(machine(List.of(), List.of())).startsWith("the NVIDIA driver lists no GPU"));
    }

    @Test
    void otherSystemsThanLinuxOnX86AreRefused() {
        String r = refusal(new GpuFacts("Mac OS X", "aarch64", false, false, null, null, null, List.of(), null));
        assertTrue(r.startsWith("the CUDA build runs on Linux x86-64 only, not on Mac OS X aarch64"), r);
    }

    @Test
    void theCudnnVariantAlsoNeedsCudnn() {
        assertEquals(CudaSupport.LIBRARIES, CudaSupport.libraries(""));
        assertTrue(CudaSupport.libraries("-cudnn").contains(CudaSupport.CUDNN));
    }

    @Test
    void driverVersionsCompareFieldByField() {
        assertTrue(CudaSupport.older("450.80.01", "450.80.02"));
        assertTrue(CudaSupport.older("418.226.00", "450.80.02"));
        assertFalse(CudaSupport.older("450.80.02", "450.80.02"));
        assertFalse(CudaSupport.older("470.57", "450.80.02"));
        assertFalse(CudaSupport.older("1000.1", "450.80.02"));
    }
}

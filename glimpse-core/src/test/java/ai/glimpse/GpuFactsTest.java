package ai.glimpse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the machine for the CUDA check: nvidia-smi's list, the driver version, CUDA_VISIBLE_DEVICES, the linker's path. */
class GpuFactsTest {
    private static final String SMI = """
            0, NVIDIA GeForce GTX 1070, 6.1, GPU-1070aaaa-0000
            1, NVIDIA GeForce RTX 4070, 8.9, GPU-4070bbbb-1111
            """;

    @TempDir
    Path root;

    @Test
    void nvidiaSmiRowsBecomeGpusWithTheirComputeCapability() {
        List<GpuFacts.Gpu> gpus = GpuFacts.parseNvidiaSmi(SMI, true);
        assertEquals(List.of(new GpuFacts.Gpu(0, "NVIDIA GeForce GTX 1070", 6, 1, "GPU-1070aaaa-0000"),
                new GpuFacts.Gpu(1, "NVIDIA GeForce RTX 4070", 8, 9, "GPU-4070bbbb-1111")), gpus);
        assertEquals("sm_89", gpus.get(1).arch());
        assertEquals(List.of(new GpuFacts.Gpu(0, "Tesla K80, rev. 2", -1, -1, "GPU-k80")),
                GpuFacts.parseNvidiaSmi("0, Tesla K80, rev. 2, GPU-k80\nNo devices were found\n", false),
                "an old driver's list has no capability; a name may hold a comma; a message is no GPU");
        assertEquals(List.of(), GpuFacts.parseNvidiaSmi("0, Some GPU, [N/A], GPU-x\n", true));
    }

    @Test
    void theDriverVersionIsReadFromBothKernelModules() {
        assertEquals("535.104.05", GpuFacts.driverVersion(
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\nGCC version:  gcc 12"));
        assertEquals("550.54.14", GpuFacts.driverVersion(
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.14  Release Build  (dvs-builder@U16)"));
        assertNull(GpuFacts.driverVersion(""));
    }

    @Test
    void cudaVisibleDevicesSelectsAsCudaWouldOrSaysItCannotTell() {
        List<GpuFacts.Gpu> two = GpuFacts.parseNvidiaSmi(SMI, true);
        assertEquals(two, GpuFacts.visible(two, null, null));
        assertEquals(List.of(), GpuFacts.visible(two, "-1", null));
        assertEquals(List.of(), GpuFacts.visible(two, "", null));
        assertEquals(List.of(two.get(0)), GpuFacts.visible(two, "0", "PCI_BUS_ID"));
        assertEquals(List.of(two.get(0)), GpuFacts.visible(two, "0,7,1", "PCI_BUS_ID"), "CUDA stops at an invalid entry");
        assertNull(GpuFacts.visible(two, "0", null), "CUDA's default order (fastest first) need not be nvidia-smi's");
        assertEquals(List.of(two.get(0)), GpuFacts.visible(two.subList(0, 1), "0", null), "one GPU: no order to get wrong");
        assertEquals(List.of(two.get(1)), GpuFacts.visible(two, "GPU-4070", null));
        assertNull(GpuFacts.visible(two, "MIG-5b0d", null));
    }

    @Test
    void theLinkerPathFollowsLdSoConfIncludesAfterLdLibraryPath() throws IOException {
        Path cuda = Files.createDirectories(root.resolve("usr/local/cuda-11.8/targets/x86_64-linux/lib"));
        Files.createDirectories(root.resolve("etc/ld.so.conf.d"));
        Files.writeString(root.resolve("etc/ld.so.conf"), "# comment\ninclude /etc/ld.so.conf.d/*.conf\n");
        Files.writeString(root.resolve("etc/ld.so.conf.d/988_cuda-11.conf"), "/usr/local/cuda-11.8/targets/x86_64-linux/lib\n");
        Files.writeString(root.resolve("etc/ld.so.conf.d/x86_64-linux-gnu.conf"), "# multiarch\n/usr/local/lib/x86_64-linux-gnu\n");
        Path mine = Files.createDirectories(root.resolve("opt/mine"));
        List<Path> dirs = GpuFacts.linkerPath(root, mine + "::", null);
        assertEquals(mine, dirs.get(0));
        assertEquals(cuda, dirs.get(1));
        assertEquals(root.resolve("usr/local/lib/x86_64-linux-gnu"), dirs.get(2));
        assertTrue(dirs.contains(root.resolve("usr/lib/x86_64-linux-gnu")), "the defaults come last");

        Files.writeString(cuda.resolve("libcublas.so.11"), "");
        assertEquals(cuda, GpuFacts.find("libcublas.so.11", dirs));
        assertNull(GpuFacts.find("libcusolver.so.11", dirs));
    }

    @Test
    void aCuda11InstallationOffThePathIsFoundNewestFirst() throws IOException {
        Path local = root.resolve("usr/local");
        Path old = Files.createDirectories(local.resolve("cuda-11.4/lib64"));
        Path recent = Files.createDirectories(local.resolve("cuda-11.8/lib64"));
        Files.createDirectories(local.resolve("cuda-12.2/lib64"));
        for (Path d : List.of(old, recent)) {
            Files.writeString(d.resolve("libcublas.so.11"), "");
        }
        Files.writeString(old.resolve("libcusolver.so.11"), "");
        assertEquals(recent, GpuFacts.hint(local, List.of("libcublas.so.11")));
        assertEquals(old, GpuFacts.hint(local, List.of("libcublas.so.11", "libcusolver.so.11")));
        assertNull(GpuFacts.hint(local, List.of("libcudnn.so.8")));
    }
}

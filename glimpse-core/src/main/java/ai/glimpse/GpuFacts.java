package ai.glimpse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine offers ND4J's CUDA build, found without loading any CUDA library (so that a missing
 * piece is reported, not met as a native crash): the NVIDIA kernel driver and its user-space library
 * {@code libcuda.so.1}, the GPUs {@code nvidia-smi} lists with their compute capability, and which CUDA
 * 11 libraries are neither where the dynamic linker looks nor in the redistributable jar on the class
 * path. {@link CudaSupport} decides from these facts.
 *
 * @param kernelModule     whether {@code /proc/driver/nvidia/version} exists
 * @param libcuda          whether {@code libcuda.so.1} is on the linker's path
 * @param driverVersion    the driver's version, e.g. "535.104.05", or null when unknown
 * @param gpus             the GPUs CUDA will see, in nvidia-smi's order; null when unknown (no nvidia-smi,
 *                         or a CUDA_VISIBLE_DEVICES that cannot be mapped to its list)
 * @param selection        the CUDA_VISIBLE_DEVICES value that selected {@code gpus}, or null when unset
 * @param missingLibraries required libraries found nowhere
 * @param libraryHint      a folder off the linker's path that holds all the missing libraries, or null
 */
public record GpuFacts(String os, String arch, boolean kernelModule, boolean libcuda, String driverVersion,
        List<Gpu> gpus, String selection, List<String> missingLibraries, Path libraryHint) {

    /** One GPU as the driver lists it; major and minor are -1 when the driver is too old to say. */
    public record Gpu(int index, String name, int major, int minor, String uuid) {
        public String arch() {
            return major < 0 ? "compute capability unknown" : "sm_" + major + minor;
        }
    }

    /** Where JavaCPP's redistributable CUDA jar keeps the libraries. */
    static final String REDIST = "/org/bytedeco/cuda/linux-x86_64/";
    private static final List<String> DEFAULT_DIRS = List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib",
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/usr/local/cuda-11.6/lib64",                                  // libnd4jcuda.so's RUNPATH
            "/usr/lib/wsl/lib");                                           // WSL 2's driver library
    private static final Pattern DRIVER = Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d+\\.\\d+(?:\\.\\d+)?)");

    /** The facts of this machine, for the given required libraries. Runs nvidia-smi when the driver is there. */
    public static GpuFacts inspect(List<String> libraries) {
        List<Path> dirs = linkerPath(Path.of("/"), System.getenv("LD_LIBRARY_PATH"), System.getProperty("java.library.path"));
        Path version = Path.of("/proc/driver/nvidia/version");
        boolean kernel = Files.isRegularFile(version);
        boolean libcuda = find("libcuda.so.1", dirs) != null;
        String driver = kernel ? driverVersion(readQuietly(version)) : null;
        List<Gpu> gpus = null;
        String selection = System.getenv("CUDA_VISIBLE_DEVICES");
        if (libcuda) {
            gpus = visible(nvidiaSmi(), selection, System.getenv("CUDA_DEVICE_ORDER"));
        }
        List<String> missing = new ArrayList<>();
        for (String lib : libraries) {
            if (find(lib, dirs) == null && GpuFacts.class.getResource(REDIST + lib) == null) {
                missing.add(lib);
            }
        }
        return new GpuFacts(System.getProperty("os.name"), System.getProperty("os.arch"), kernel, libcuda, driver, gpus,
                selection, missing, missing.isEmpty() ? null : hint(Path.of("/usr/local"), missing));
    }

    /**
     * The folders the dynamic linker (and JavaCPP) search, in order: LD_LIBRARY_PATH, java.library.path,
     * the folders of {@code /etc/ld.so.conf} and its includes, then the defaults. {@code root} stands for
     * "/" (tests point it at a temporary folder).
     */
    static List<Path> linkerPath(Path root, String ldLibraryPath, String javaLibraryPath) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String list : new String[] {ldLibraryPath, javaLibraryPath}) {
            if (list != null) {
                for (String d : list.split(":")) {
                    if (!d.isBlank()) {
                        dirs.add(Path.of(d));
                    }
                }
            }
        }
        ldSoConf(root, root.resolve("etc/ld.so.conf"), dirs, 0);
        for (String d : DEFAULT_DIRS) {
            dirs.add(under(root, d));
        }
        return List.copyOf(dirs);
    }

    /** Adds the folders a ld.so.conf file names, following its {@code include} globs (to a depth of 4). */
    private static void ldSoConf(Path root, Path file, Set<Path> dirs, int depth) {
        if (depth > 4 || !Files.isRegularFile(file)) {
            return;
        }
        for (String raw : readQuietly(file).split("\n")) {
            String line = raw.replaceAll("#.*", "").strip();
            if (line.startsWith("include ")) {
                Path pattern = under(root, line.substring(8).strip());
                Path dir = pattern.getParent();
                if (dir == null || !Files.isDirectory(dir)) {
                    continue;
                }
                List<Path> included = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern.getFileName().toString())) {
                    ds.forEach(included::add);
                } catch (IOException e) {
                    continue;
                }
                included.sort(Comparator.naturalOrder());
                included.forEach(f -> ldSoConf(root, f, dirs, depth + 1));
            } else if (line.startsWith("/")) {
                dirs.add(under(root, line.split("[\\s=]")[0]));
            }
        }
    }

    /** The first folder holding {@code name} (a file or a link to one), or null. */
    static Path find(String name, List<Path> dirs) {
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve(name))) {
                return d;
            }
        }
        return null;
    }

    /** A CUDA 11 installation under {@code local} (cuda-11.x/lib64, newest first) that has all of {@code libs}. */
    static Path hint(Path local, List<String> libs) {
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(local, "cuda-11*")) {
            ds.forEach(d -> candidates.add(d.resolve("lib64")));
        } catch (IOException e) {
            return null;
        }
        candidates.sort(Comparator.comparing(Path::toString).reversed());
        for (Path d : candidates) {
            if (libs.stream().allMatch(lib -> Files.isRegularFile(d.resolve(lib)))) {
                return d;
            }
        }
        return null;
    }

    /** The driver version in /proc/driver/nvidia/version's text, or null. */
    static String driverVersion(String procVersion) {
        Matcher m = DRIVER.matcher(procVersion);
        return m.find() ? m.group(1) : null;
    }

    /**
     * GPUs in nvidia-smi's CSV output of {@code index,name,compute_cap,uuid} (compute_cap absent from
     * drivers before about 510: then index,name,uuid). Lines that do not parse are skipped.
     */
    static List<Gpu> parseNvidiaSmi(String csv, boolean withCapability) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            int fields = withCapability ? 4 : 3;
            if (f.length < fields) {
                continue;
            }
            try {
                int index = Integer.parseInt(f[0].strip());
                String uuid = f[f.length - 1].strip();
                int nameEnd = f.length - (withCapability ? 2 : 1);
                String name = String.join(",", java.util.Arrays.copyOfRange(f, 1, nameEnd)).strip();
                int major = -1;
                int minor = -1;
                if (withCapability) {
                    String[] cc = f[f.length - 2].strip().split("\\.");
                    major = Integer.parseInt(cc[0]);
                    minor = Integer.parseInt(cc[1]);
                }
                gpus.add(new Gpu(index, name, major, minor, uuid));
            } catch (RuntimeException e) {
                // "[N/A]" or a message instead of a row: not a GPU
            }
        }
        return gpus;
    }

    /**
     * The GPUs CUDA sees under CUDA_VISIBLE_DEVICES: all when unset; none when it starts with an invalid
     * entry; by nvidia-smi index when the entries are numbers and CUDA_DEVICE_ORDER=PCI_BUS_ID (CUDA's
     * default order, fastest first, need not be nvidia-smi's), or when there is only one GPU; by UUID
     * prefix for GPU-... entries. Null when it cannot tell (MIG instances, numbers in CUDA's own order).
     */
    static List<Gpu> visible(List<Gpu> all, String selection, String order) {
        if (all == null || selection == null) {
            return all;
        }
        List<Gpu> out = new ArrayList<>();
        for (String entry : selection.split(",", -1)) {
            String e = entry.strip();
            if (e.matches("[0-9]+")) {
                if (all.size() > 1 && !"PCI_BUS_ID".equals(order)) {
                    return null;
                }
                int index = Integer.parseInt(e);
                Gpu gpu = all.stream().filter(g -> g.index() == index).findFirst().orElse(null);
                if (gpu == null) {
                    break;                                                 // CUDA stops at an invalid entry
                }
                out.add(gpu);
            } else if (e.startsWith("GPU-")) {
                List<Gpu> matches = all.stream().filter(g -> g.uuid().startsWith(e)).toList();
                if (matches.size() != 1) {
                    break;
                }
                out.add(matches.get(0));
            } else if (e.startsWith("MIG-")) {
                return null;
            } else {
                break;                                                     // "", "-1", "NoDevFiles": nothing after
            }
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    /** The GPUs nvidia-smi lists, or null when it is missing or fails. */
    private static List<Gpu> nvidiaSmi() {
        String out = run("nvidia-smi", "--query-gpu=index,name,compute_cap,uuid", "--format=csv,noheader");
        if (out != null) {
            return parseNvidiaSmi(out, true);
        }
        out = run("nvidia-smi", "--query-gpu=index,name,uuid", "--format=csv,noheader");
        return out == null ? null : parseNvidiaSmi(out, false);
    }

    /** A command's standard output when it exits with 0 within 15 s (nvidia-smi can hang on a sick driver), else null. */
    private static String run(String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("glimpse-nvidia-smi", ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}

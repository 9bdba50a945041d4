package ai.glimpse.synth;

import ai.glimpse.AtomicFile;

import ai.glimpse.InputException;
import ai.glimpse.Progress;
import ai.glimpse.data.Split;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes a synthetic captioning dataset on disk: {@code images/synth_NNNNNN.png}, COCO captions and
 * instances files per split under {@code annotations/}, and Karpathy's {@code dataset.json}. Every
 * file is written through a temporary file and a rename. The seed fixes everything: the split of each
 * image, its scene, its texture and its captions, so the same config gives the same bytes.
 */
public final class SynthGenerator {
    static final String IMAGES = "images";
    static final String ANNOTATIONS = "annotations";
    static final String KARPATHY = "dataset.json";
    static final List<Split> SPLITS = List.of(Split.TRAIN, Split.VAL, Split.TEST);
    private static final Pattern IMAGE_NAME = Pattern.compile("synth_([0-9]{6,9})\\.png");
    /** Most threads that render and encode images at once. */
    private static final int MAX_THREADS = 8;
    private static final Pattern ANNOTATION_NAME = Pattern.compile("(captions|instances)_(train|val|test)\\.json");

    private final SynthConfig config;

    public SynthGenerator(SynthConfig config) {
        this.config = config;
    }

    /**
     * The dataset without pixels: each image's split, scene and captions. Cheap; {@link #write} renders.
     * The splits come from the seed's first child stream, then each image from its own child stream.
     */
    public List<SynthImage> plan() {
        SplittableRandom root = new SplittableRandom(config.seed());
        List<Split> splits = config.split().assign(config.images(), root.split());
        SceneSampler sampler = new SceneSampler(config.variant(), config.size());
        List<SynthImage> images = new ArrayList<>(config.images());
        for (int id = 1; id <= config.images(); id++) {
            SplittableRandom random = root.split();
            Split split = splits.get(id - 1);
            Scene scene = sampler.sample(random, split);
            images.add(new SynthImage(id, SynthConfig.fileName(id), split, scene, CaptionGrammar.captions(scene, random)));
        }
        return images;
    }

    /**
     * Writes the dataset into {@code out}, which must be missing, empty or an earlier synth output
     * (unless {@code force}); images left from an earlier, larger run are removed.
     *
     * @throws InputException when {@code out} is a file, or a folder with other content and no {@code force}
     */
    public SynthSummary write(Path out, boolean force, Progress progress) throws IOException {
        long start = System.nanoTime();
        checkTarget(out, force);
        Path imageDir = Files.createDirectories(out.resolve(IMAGES));
        Path annotationDir = Files.createDirectories(out.resolve(ANNOTATIONS));
        List<SynthImage> images = plan();
        renderAll(images, imageDir, progress);
        DatasetJson json = new DatasetJson(config, images);
        for (Split split : SPLITS) {
            DatasetJson.write(annotationDir.resolve("captions_" + split.label() + ".json"), json.captions(split));
            DatasetJson.write(annotationDir.resolve("instances_" + split.label() + ".json"), json.instances(split));
        }
        DatasetJson.write(out.resolve(KARPATHY), json.karpathy());
        removeStaleImages(imageDir);
        return SynthSummary.of(out, config, images, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Renders and writes every image, several at a time (each image depends only on its own scene, so
     * the bytes do not depend on the threads), reporting progress in id order.
     */
    private static void renderAll(List<SynthImage> images, Path imageDir, Progress progress) throws IOException {
        int threads = Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "synth-render");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = new ArrayList<>(images.size());
            for (SynthImage image : images) {
                done.add(pool.submit(() -> {
                    AtomicFile.write(imageDir.resolve(image.fileName()), SceneRenderer.png(SceneRenderer.render(image.scene())));
                    return null;
                }));
            }
            progress.start("synth", images.size());
            for (int i = 0; i < done.size(); i++) {
                await(done.get(i));
                progress.advance(i + 1, images.get(i).fileName());
            }
            progress.finish();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(Future<?> future) throws IOException {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing images");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Whether {@code dir} holds nothing but what synth writes: {@code images/} with synth PNGs,
     * {@code annotations/} with the six COCO files, {@code dataset.json}, and temporary files.
     */
    public static boolean isSynthOutput(Path dir) throws IOException {
        for (Path entry : list(dir)) {
            String name = entry.getFileName().toString();
            boolean ours = switch (name) {
                case IMAGES -> Files.isDirectory(entry) && allNamed(entry, IMAGE_NAME);
                case ANNOTATIONS -> Files.isDirectory(entry) && allNamed(entry, ANNOTATION_NAME);
                case KARPATHY -> Files.isRegularFile(entry);
                default -> AtomicFile.TEMPORARY.matcher(name).matches();
            };
            if (!ours) {
                return false;
            }
        }
        return true;
    }

    private static void checkTarget(Path out, boolean force) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException("--out " + out + ": exists and is not a directory");
        }
        if (!force && Files.isDirectory(out) && !list(out).isEmpty() && !isSynthOutput(out)) {
            throw new InputException("--out " + out + ": directory is not empty and holds no earlier synth output"
                    + " (pass --force to write into it anyway)");
        }
    }

    /** Deletes synth images whose ids are beyond this run's, and temporary files a crash left behind. */
    private void removeStaleImages(Path imageDir) throws IOException {
        for (Path entry : list(imageDir)) {
            String name = entry.getFileName().toString();
            Matcher m = IMAGE_NAME.matcher(name);
            boolean stale = m.matches() && Long.parseLong(m.group(1)) > config.images();
            if (stale || AtomicFile.TEMPORARY.matcher(name).matches()) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private static boolean allNamed(Path dir, Pattern pattern) throws IOException {
        for (Path entry : list(dir)) {
            String name = entry.getFileName().toString();
            if (!Files.isRegularFile(entry)
                    || !(pattern.matcher(name).matches() || AtomicFile.TEMPORARY.matcher(name).matches())) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}

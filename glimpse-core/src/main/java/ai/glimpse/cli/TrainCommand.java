package ai.glimpse.cli;

import ai.glimpse.AtomicFile;
import ai.glimpse.InputException;
import ai.glimpse.InputFiles;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.TrainConfig;
import ai.glimpse.data.CaptionCorpus;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.CorpusReader;
import ai.glimpse.data.ImageLoader;
import ai.glimpse.data.ImageOptions;
import ai.glimpse.data.ResizePolicy;
import ai.glimpse.data.Split;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.eval.CocoInstances;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.FrozenArchitecture;
import ai.glimpse.model.FrozenEncoder;
import ai.glimpse.model.FrozenEncoderRef;
import ai.glimpse.model.ModelBundle;
import ai.glimpse.train.CacheKey;
import ai.glimpse.train.FeatureCache;
import ai.glimpse.train.FeatureSource;
import ai.glimpse.train.OutputLock;
import ai.glimpse.train.Adam;
import ai.glimpse.train.AttentionBoxes;
import ai.glimpse.train.Batches;
import ai.glimpse.train.Checkpoint;
import ai.glimpse.train.CheckpointListener;
import ai.glimpse.train.CsvLogListener;
import ai.glimpse.train.CurvePlotListener;
import ai.glimpse.train.DecodingValidator;
import ai.glimpse.train.ProgressListener;
import ai.glimpse.train.Trainer;
import ai.glimpse.train.TrainerState;
import ai.glimpse.train.TrainingListener;
import ai.glimpse.train.TrainingSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glimpse train}: fits a Show, Attend and Tell model on a captions file and its images. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a captioning model with soft attention.",
            "Reads a COCO, Karpathy or Flickr8k captions file and its images, and writes the model file given by"
                    + " --model (the best weights by validation CIDEr-D), beside it MODEL.checkpoint.zip (the state a"
                    + " run resumes from with --resume), MODEL.log.csv (the curves, appended as training goes) and"
                    + " MODEL.curves.png (their plot); while it runs, .MODEL.lock beside them keeps a second run off the"
                    + " same --model.",
            "The defaults are the paper's, for COCO-sized data. They do not make the shipped demo model: the second"
                    + " example below does (scripts/train-demo.sh; about 25 minutes on 2 cores)."},
        footerHeading = "%nExamples:%n",
        footer = {"  glimpse train --captions work/shapes/dataset.json \\",
            "      --images work/shapes/images --model work/model.zip",
            "  glimpse synth --out work/shapes --count 3000 --seed 1",
            "  glimpse train --captions work/shapes/dataset.json \\",
            "      --images work/shapes/images --model work/glimpse-shapes.zip \\",
            "      --epochs 20 --lr 1e-3 --truncate 24 --val-images 200 --alpha-c 0.01 \\",
            "      --seed 1 --word-loss 1 --warmup-steps 600 --attention-box-weight 1 \\",
            "      --attention-boxes work/shapes/annotations/instances_train.json"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--captions", required = true, paramLabel = "FILE",
            description = "Captions file with a train split (COCO, Karpathy or Flickr8k layout).")
    Path captions;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "The images folder: the captions file's image paths are relative to it.")
    Path images;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file to write (a .zip); its checkpoint, log and plot go beside it.")
    Path out;

    @Option(names = "--encoder", defaultValue = "small", paramLabel = "small|vgg16|resnet50",
            description = "The encoder: small, a CNN trained with the decoder; vgg16 (conv5_3) or resnet50 (last conv"
                    + " block), frozen, with their features cached once. Default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(names = "--encoder-weights", paramLabel = "FILE",
            description = "ImageNet weights of vgg16/resnet50: a DL4J zoo model zip or a Keras .h5 file you bring.")
    Path encoderWeights;

    @Option(names = "--feature-cache", paramLabel = "DIR",
            description = "Where frozen-encoder features are cached. Default: feature-cache/ beside the model file.")
    Path featureCache;

    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N", description = "Passes over the training captions. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Captions per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--captions-per-image", defaultValue = "0", paramLabel = "N",
            description = "Take at most N of each image's captions per epoch, a fresh random choice each epoch (0: all). "
                    + "With 1, each batch holds --batch-size distinct images, so the small CNN learns from more images per step. "
                    + "Default: ${DEFAULT-VALUE}.")
    int captionsPerImage;

    @Option(names = "--lr", defaultValue = "4e-4", paramLabel = "X", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--min-freq", defaultValue = "5", paramLabel = "N", description = "Keep words seen at least this often. Default: ${DEFAULT-VALUE}.")
    int minFreq;

    @Option(names = "--truncate", defaultValue = "20", paramLabel = "N",
            description = "Cut training captions to N words; also the longest caption the model writes unless caption"
                    + " --max-length says otherwise. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N", description = "Stop after N captioning steps (0: no limit); an encoder warm-up (--warmup-steps) comes first and is not counted.")
    long maxSteps;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of weights, data order and dropout. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "500", paramLabel = "N",
            description = "Steps between checkpoints, besides the one at each epoch's end; kept on --resume unless given "
                    + "again. Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue a run from its checkpoint file (MODEL.checkpoint.zip).")
    Path resume;

    @Option(names = "--image-size", paramLabel = "N", description = "Side of the encoder's input. Default: 128 for small, 224 for vgg16/resnet50.")
    Integer imageSize;

    @Option(names = "--channels", defaultValue = "16,32,64,128", split = ",", paramLabel = "N",
            description = "Channels of the small encoder's conv blocks; each halves the side. Default: ${DEFAULT-VALUE}.")
    List<Integer> channels;

    @Option(names = "--grid-convs", defaultValue = "0", paramLabel = "N",
            description = "3x3 convolutions the small encoder adds at the grid's resolution (wider receptive fields; on the synthetic shapes 2 made training slower). Default: ${DEFAULT-VALUE}.")
    int gridConvs;

    @Option(names = "--layer-norm", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Layer-normalise each conv layer of the small encoder (--no-layer-norm: plain). Default: ${DEFAULT-VALUE}.")
    boolean layerNorm;

    @Option(names = "--spatial-softmax", defaultValue = "false", negatable = true, fallbackValue = "true",
            description = "Reweight each channel of the small encoder's last layer by a softmax over the regions (sparse "
                    + "start), so an object's few cells are not drowned by the background. Experimental: it made a mean-pooled "
                    + "shape classifier learn far faster, but on the shapes demo it named 25%% of objects with their colour "
                    + "after 30 minutes against 43%% without. Default: ${DEFAULT-VALUE}.")
    boolean spatialSoftmax;

    @Option(names = "--coordinates", defaultValue = "false", negatable = true, fallbackValue = "true",
            description = "Give the small encoder's first convolution two more input channels, each pixel's column and row "
                    + "(CoordConv), so region features can say where they are. Experimental: on the shapes demo (with "
                    + "--word-loss 1 --warmup-steps 600) it named 61%% of test objects with their colour after 30 minutes, "
                    + "against 65%% without. Default: ${DEFAULT-VALUE}.")
    boolean coordinates;

    @Option(names = "--coverage", defaultValue = "false", negatable = true, fallbackValue = "true",
            description = "Let attention also read how much each region has been attended so far (the coverage vector "
                    + "of Tu et al. 2016), so the decoder can tell the objects it has described from the rest. "
                    + "Experimental: on the shapes demo (with --word-loss 1 --warmup-steps 600), after 6 epochs it named 67%% of "
                    + "test objects with their colour against 65%% without, but its steps are 12%% slower. Default: ${DEFAULT-VALUE}.")
    boolean coverage;

    @Option(names = "--word-loss", defaultValue = "0", paramLabel = "X",
            description = "Weight of an auxiliary word-detection loss on the small encoder's regions (multiple-instance "
                    + "learning after Fang et al. 2015): the features' maximum over the regions must tell which words the "
                    + "caption uses, which trains the CNN on the cells an object covers. 0: off. Small encoder only. Default: ${DEFAULT-VALUE}.")
    double wordLoss;

    @Option(names = "--context-loss", defaultValue = "0", paramLabel = "X",
            description = "Weight of an auxiliary loss on attention: each step's attended context alone must predict the "
                    + "word the step emits (its own linear layer and softmax), which pulls attention towards the object a "
                    + "word names. Beyond the paper; any encoder. Experimental: on the shapes demo (weight 1, with --word-loss 1 "
                    + "--warmup-steps 600) it named 61%% of test objects with their colour after 30 minutes, against 65%% "
                    + "without. 0: off. Default: ${DEFAULT-VALUE}.")
    double contextLoss;

    @Option(names = "--warmup-steps", defaultValue = "0", paramLabel = "N",
            description = "Steps that first train the small encoder and its word detectors alone (no decoder), each on "
                    + "--batch-size distinct images, so the CNN learns the objects several times faster per second "
                    + "before captioning starts. Needs --word-loss. 0: none. Default: ${DEFAULT-VALUE}.")
    int warmupSteps;

    @Option(names = "--embed-dim", defaultValue = "128", paramLabel = "N", description = "Word embedding size. Default: ${DEFAULT-VALUE}.")
    int embedDim;

    @Option(names = "--hidden-dim", defaultValue = "256", paramLabel = "N", description = "LSTM size. Default: ${DEFAULT-VALUE}.")
    int hiddenDim;

    @Option(names = "--attention-dim", defaultValue = "128", paramLabel = "N", description = "Attention layer size. Default: ${DEFAULT-VALUE}.")
    int attentionDim;

    @Option(names = "--dropout", defaultValue = "0.3", paramLabel = "X", description = "Dropout before the output layer. Default: ${DEFAULT-VALUE}.")
    double dropout;

    @Option(names = "--alpha-c", defaultValue = "1.0", paramLabel = "X",
            description = "Weight lambda of the doubly stochastic attention penalty. Default: ${DEFAULT-VALUE}.")
    double alphaC;

    @Option(names = "--attention-boxes", paramLabel = "FILE",
            description = "COCO instances of the training images: each word that names an annotated object is taught to look inside that object's box (attention mass outside it is penalised, after Liu et al. 2017). Not saved in the checkpoint: give it again with --resume.")
    Path attentionBoxes;

    @Option(names = "--attention-box-weight", defaultValue = "1", paramLabel = "X",
            description = "With --attention-boxes: the weight of that loss. Default: ${DEFAULT-VALUE}.")
    double attentionBoxWeight;

    @Option(names = "--val-images", defaultValue = "500", paramLabel = "N", description = "Validation decodes at most this many images. Default: ${DEFAULT-VALUE}.")
    int valImages;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ModelConfig.Encoder kind = checked(() -> ModelConfig.Encoder.parse(encoder));
        if (kind != ModelConfig.Encoder.SMALL && coordinates) {
            throw new InputException("--coordinates belongs to the small encoder; --encoder " + encoder + " is frozen");
        }
        if (kind != ModelConfig.Encoder.SMALL && wordLoss != 0) {
            throw new InputException("--word-loss trains the small encoder; --encoder " + encoder + " is frozen");
        }
        if (warmupSteps > 0 && resume == null && (kind != ModelConfig.Encoder.SMALL || !(wordLoss > 0))) {
            throw new InputException("--warmup-steps trains the small encoder's word detectors: it needs --encoder small and --word-loss > 0");
        }
        if (kind != ModelConfig.Encoder.SMALL && encoderWeights == null && resume == null) {
            throw new InputException("--encoder " + encoder + " needs --encoder-weights FILE (its ImageNet weights: a DL4J zoo "
                    + "model zip or a Keras .h5; nothing is downloaded)");
        }
        if (encoderWeights != null) {                                  // not opened before it is known to be a file
            InputFiles.requireFile(encoderWeights, "--encoder-weights " + encoderWeights);
        }
        if (featureCache != null && Files.exists(featureCache)) {
            InputFiles.requireFolder(featureCache, "--feature-cache " + featureCache);
        }
        Path base = out.toAbsolutePath();
        requireWritableFolder(base);
        String stem = base.getFileName().toString().replaceFirst("\\.zip$", "");
        try (OutputLock lock = OutputLock.acquire(base.resolveSibling("." + stem + ".lock"), "--model " + base)) {
            return train(kind, base, stem, err, stdout);
        }
    }

    /** The run itself, once the outputs are this process's to write. */
    private int train(ModelConfig.Encoder kind, Path base, String stem, PrintWriter err, PrintWriter stdout) {
        Checkpoint resumed = resume == null ? null : Checkpoint.load(resume);
        TrainConfig tc = resumed == null
                ? checked(() -> new TrainConfig(epochs, batchSize, learningRate, maxSteps, seed, 5.0, 0.5, 2, 4, valImages,
                        checkpointEvery, captionsPerImage, warmupSteps))
                : resumedConfig(resumed.config());
        Path checkpointFile = base.resolveSibling(stem + ".checkpoint.zip");
        Path log = base.resolveSibling(stem + ".log.csv");
        Path curves = base.resolveSibling(stem + ".curves.png");
        for (Path output : List.of(base, checkpointFile, log, curves)) {
            AtomicFile.removeStale(output);                             // temporary files of killed runs
        }
        if (!Files.isDirectory(images)) {
            throw new InputException("--images " + images + ": no such folder");
        }

        CaptionCorpus corpus = CorpusReader.read(captions);
        List<CorpusImage> train = corpus.split(Split.TRAIN);
        if (train.isEmpty()) {
            throw new InputException("captions file " + captions + ": no images in the train split (splits found: "
                    + corpus.imagesPerSplit().keySet() + ")");
        }
        List<CorpusImage> val = corpus.split(Split.VAL);
        List<CorpusImage> valUsed = val.subList(0, Math.min(val.size(), tc.valImages()));
        if (resumed == null && train.stream().allMatch(i -> i.captions().isEmpty())) {  // say so, rather than blame --min-freq
            String hint = corpus.format().equals(CorpusReader.Format.COCO.label())
                    ? "; COCO files keep them under \"annotations\"" : "";
            throw new InputException("captions file " + captions + ": no captions in the train split (" + train.size()
                    + (train.size() == 1 ? " image" : " images") + ", none with a caption" + hint + ")");
        }
        Vocabulary vocab = resumed != null ? resumed.bundle().vocabulary()
                : checked(() -> Vocabulary.build(train.stream().flatMap(i -> i.captions().stream()).map(Tokenizer::tokens)
                        .toList(), minFreq));
        if (vocab.size() <= Vocabulary.SPECIALS.size()) {
            throw new InputException("captions file " + captions + ": no word occurs at least " + minFreq
                    + " times in the train split (try a lower --min-freq)");
        }
        TrainingSet trainSet;
        TrainingSet valSet;
        ModelConfig mc;
        ImageOptions pre;
        FrozenEncoderRef frozen = null;
        if (resumed != null ? resumed.bundle().model().takesImages() : kind == ModelConfig.Encoder.SMALL) {
            mc = resumed != null ? resumed.bundle().config()
                    : checked(() -> ModelConfig.small(imageSize == null ? 128 : imageSize, channels, gridConvs, layerNorm, spatialSoftmax, vocab.size(), embedDim,
                            hiddenDim, attentionDim, dropout, alphaC, maxLength).withWordLoss(wordLoss).withCoordinates(coordinates).withCoverage(coverage)
                            .withContextLoss(contextLoss));
            pre = resumed != null ? resumed.bundle().preprocessing()
                    : new ImageOptions(mc.imageSize(), ResizePolicy.SHORTER_SIDE_CENTER_CROP, false, ImageOptions.DEFAULT_MAX_PIXELS);
            ImageLoader loader = new ImageLoader(pre);
            trainSet = TrainingSet.load(train, images, loader, vocab, mc.maxLength(), "train", ConsoleProgress.on(err));
            valSet = valUsed.isEmpty() ? null
                    : TrainingSet.load(valUsed, images, loader, vocab, mc.maxLength(), "val", ConsoleProgress.on(err));
        } else {
            FrozenEncoder enc;
            if (resumed != null) {
                frozen = resumed.bundle().encoder();
                enc = frozen.load(encoderWeights, resumed.bundle().config().imageSize());
            } else {
                int size = imageSize == null ? 224 : imageSize;
                enc = FrozenEncoder.load(FrozenArchitecture.of(kind), encoderWeights, size);
                frozen = FrozenEncoderRef.of(enc, encoderWeights);
            }
            pre = new ImageOptions(enc.imageSize(), ResizePolicy.SHORTER_SIDE_CENTER_CROP, true, ImageOptions.DEFAULT_MAX_PIXELS);
            TrainingSet.requireImages(train, images, "train");
            TrainingSet.requireImages(valUsed, images, "val");
            List<String> files = new java.util.ArrayList<>(train.stream().map(CorpusImage::file).toList());
            valUsed.forEach(i -> files.add(i.file()));
            FeatureCache cache = FeatureCache.open(featureCache != null ? featureCache : base.resolveSibling("feature-cache"),
                    CacheKey.of(enc, pre), files, FeatureSource.of(enc, new ImageLoader(pre), images, 8), ConsoleProgress.on(err));
            final int regions = enc.regions();
            mc = resumed != null ? resumed.bundle().config()
                    : checked(() -> ModelConfig.frozen(kind, enc.imageSize(), enc.featureDim(), enc.gridSize(),
                            vocab.size(), embedDim, hiddenDim, attentionDim, dropout, alphaC, maxLength).withCoverage(coverage)
                            .withContextLoss(contextLoss));
            trainSet = TrainingSet.features(train, cache, vocab, mc.maxLength());
            valSet = valUsed.isEmpty() ? null : TrainingSet.features(valUsed, cache, vocab, mc.maxLength());
            err.printf("features: %s, %d regions x %d, cached in %s (%d computed now)%n", enc.description(), regions,
                    enc.featureDim(), cache.file(), cache.computed());
        }
        AttentionBoxes boxes = null;
        if (attentionBoxes != null) {
            final TrainingSet supervised = trainSet;
            final ModelConfig config = mc;
            final ImageOptions input = pre;
            CocoInstances instances = CocoInstances.read(attentionBoxes);
            boxes = checked(() -> AttentionBoxes.build(supervised, vocab, instances, input, config.gridSize(), attentionBoxWeight));
            err.printf("attention boxes: %,d object words of the training captions supervised at weight %s%s%n", boxes.words(),
                    attentionBoxWeight, boxes.unannotated() == 0 ? ""
                            : " (" + boxes.unannotated() + " training images have no annotation in " + attentionBoxes + ")");
        }
        Batches batches = new Batches(trainSet, mc, tc.batchSize(), tc.seed(), tc.captionsPerImage(), boxes);
        if (tc.batchSize() > batches.captionsPerEpoch()) {
            throw new InputException("--batch-size " + tc.batchSize() + " is larger than the " + batches.captionsPerEpoch()
                    + " training captions an epoch takes");
        }
        if (tc.valImages() == 0) {
            valSet = null;
        }

        CaptionModel model = resumed != null ? resumed.bundle().model() : CaptionModel.initialise(mc, seed);
        requireSpace(base, model.params().count(), usableSpace(base.getParent()));
        ModelBundle bundle = new ModelBundle(model, vocab, pre, frozen)
                .withProvenance(TrainProvenance.start(spec, captions, images, encoderWeights, resume));
        err.printf("model: %s encoder, %d regions x %d features, vocabulary %d, %,d parameters; %d training captions%n",
                mc.encoder().label(), mc.regions(), mc.featureDim(), vocab.size(), model.params().count(),
                trainSet.captionCount());
        if (valSet == null) {
            err.println("no validation split: the model after the last epoch is saved");
        }
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(new ProgressListener(ConsoleProgress.on(err), err::println));
        listeners.add(new CsvLogListener(log));
        listeners.add(new CurvePlotListener(curves, log));
        listeners.add(new CheckpointListener(bundle, tc, checkpointFile, valSet == null ? null : base));
        Trainer trainer = new Trainer(tc, model, batches,
                valSet == null ? null : new DecodingValidator(valSet, vocab, mc.maxLength(), tc.valImages()), listeners);
        TrainerState start = resumed != null ? resumed.state() : TrainerState.start(tc.learningRate());
        Adam adam = resumed != null ? resumed.adam() : new Adam(model.params());
        TrainerState end;
        try {
            end = trainer.run(start, adam);
        } catch (Trainer.Diverged e) {
            TrainerState saved = e.lastCheckpoint();
            throw new InputException(e.getMessage() + " (learning rate " + e.state().learningRate() + "; try a lower --lr); "
                    + (saved != null ? "the checkpoint " + checkpointFile + " of step " + saved.step()
                            + (saved.step() == 0 && saved.warmupStep() > 0 ? " (warm-up step " + saved.warmupStep() + ")" : "")
                            + " is kept, nothing was saved after it"
                            : resumed != null ? "nothing was saved: the checkpoint it resumed from is as it was" : "nothing was saved"), e);
        }
        if (valSet == null || Double.isNaN(end.bestScore())) {               // no validation ran: keep the last weights
            bundle.withTraining(end.step(), end.epoch(), null).save(base);
        }
        stdout.printf("trained %d steps (%d epochs%s); model: %s; checkpoint: %s%n", end.step(), end.epoch(),
                end.stoppedEarly() ? ", stopped early" : "", base, checkpointFile);
        stdout.flush();
        return 0;
    }

    /** Options a checkpoint fixes: a resumed run may only change --epochs, --max-steps and --checkpoint-every. */
    private static final java.util.List<String> FIXED_ON_RESUME = java.util.List.of("--batch-size", "--captions-per-image", "--lr", "--seed",
            "--val-images", "--min-freq", "--truncate", "--encoder", "--image-size", "--channels", "--grid-convs", "--layer-norm", "--spatial-softmax", "--embed-dim",
            "--hidden-dim", "--attention-dim", "--dropout", "--alpha-c", "--word-loss", "--context-loss", "--warmup-steps",
            "--coordinates", "--coverage");

    /**
     * The checkpoint's training configuration, with --epochs when given; --max-steps applies to this
     * invocation only (the one that wrote the checkpoint may have stopped at its own limit).
     */
    private TrainConfig resumedConfig(TrainConfig saved) {
        picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (String name : FIXED_ON_RESUME) {
            if (parsed.hasMatchedOption(name)) {
                throw new InputException(name + " cannot be given with --resume: the checkpoint fixes it (only --epochs, "
                        + "--max-steps and --checkpoint-every may change)");
            }
        }
        int e = parsed.hasMatchedOption("--epochs") ? epochs : saved.epochs();
        long m = parsed.hasMatchedOption("--max-steps") ? maxSteps : 0;      // a step limit belongs to one invocation
        int every = parsed.hasMatchedOption("--checkpoint-every") ? checkpointEvery : saved.checkpointEvery();
        return checked(() -> new TrainConfig(e, saved.batchSize(), saved.learningRate(), m, saved.seed(), saved.clipNorm(),
                saved.decayFactor(), saved.decayPatience(), saved.stopPatience(), saved.valImages(), every,
                saved.captionsPerImage(), saved.warmupSteps()));
    }

    /**
     * Refuses an output folder without room for one checkpoint: a run would otherwise fail at its first
     * checkpoint, possibly hours in. The estimate is the most it takes: weights and Adam's two moments as
     * 4-byte floats (zip compression only shrinks them), plus 10% and 1 MB for the rest.
     */
    static void requireSpace(Path out, long parameters, long usable) {
        long needed = parameters * 12 + parameters * 12 / 10 + (1 << 20);
        if (usable >= 0 && usable < needed) {
            throw new InputException(String.format(java.util.Locale.ROOT, "--model %s: its folder has %.1f MB free, and a checkpoint of"
                    + " this model takes up to %.1f MB (%,d parameters, each saved as a weight and two Adam moments of 4 bytes);"
                    + " free some space or choose another --model", out, usable / 1048576.0, needed / 1048576.0, parameters));
        }
    }

    /** Bytes free for this user in the folder's file system, or -1 when it cannot be told. */
    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (java.io.IOException | SecurityException e) {
            return -1;
        }
    }

    private static void requireWritableFolder(Path file) {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw new InputException("--model " + file + ": cannot create the folder " + dir);
        }
        if (Files.isDirectory(file)) {
            throw new InputException("--model " + file + ": is a folder; name the model file, e.g. " + file.resolve("model.zip"));
        }
        if (!Files.isWritable(dir)) {
            throw new InputException("--model " + file + ": its folder " + dir + " cannot be written (permission denied)");
        }
    }

    /**
     * The option behind each setting the configuration records check, as their messages name it (in the
     * order tried: a longer name before one it starts with).
     */
    private static final String[][] FLAGS = {
        {"image size", "--image-size"}, {"epochs", "--epochs"}, {"batch size", "--batch-size"}, {"learning rate", "--lr"},
        {"max steps", "--max-steps"}, {"validation images", "--val-images"}, {"captions per image", "--captions-per-image"},
        {"warm-up steps", "--warmup-steps"}, {"checkpoint interval", "--checkpoint-every"}, {"embedding dim", "--embed-dim"},
        {"hidden dim", "--hidden-dim"}, {"attention dim", "--attention-dim"}, {"max length", "--truncate"},
        {"dropout", "--dropout"}, {"alpha regularization", "--alpha-c"}, {"grid convolutions", "--grid-convs"},
        {"word loss weight", "--word-loss"}, {"context loss weight", "--context-loss"}, {"cnn channels", "--channels"},
        {"feature dim", "--channels"}, {"unknown encoder", "--encoder: unknown encoder"},
    };

    /** Builds a configuration; what it refuses is an input error naming the option (not the field) at fault. */
    private static <T> T checked(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            for (String[] f : FLAGS) {
                if (message.startsWith(f[0] + " ")) {
                    throw new InputException(f[1] + message.substring(f[0].length()), e);
                }
            }
            throw new InputException(message, e);
        }
    }
}

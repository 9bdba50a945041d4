package ai.glimpse.cli;

import ai.glimpse.InputException;
import ai.glimpse.data.CaptionCorpus;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.CorpusReader;
import ai.glimpse.data.Split;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code vocab} verb: reads a captions file (COCO, Karpathy or Flickr8k), builds the vocabulary
 * from its training captions (train + restval; all captions when the file has no train split), writes
 * it as JSON and prints what it found, so a training run starts from a known word list.
 */
@Command(name = "vocab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Builds the vocabulary of a captions file and says what it holds.",
            "Reads a COCO, Karpathy or Flickr8k captions file and counts the words of its training captions"
                    + " (train and restval; all captions when the file has no splits). Words seen fewer than"
                    + " --min-freq times become <unk>. The summary counts images and captions per split, the words"
                    + " kept and dropped, and the captions longer than --truncate words, which training cuts; with"
                    + " --images it also checks that every image of a split is there. A quick check of a dataset"
                    + " before a long training run."},
        footerHeading = "%nExample:%n",
        footer = {"  glimpse vocab --captions work/shapes/dataset.json \\",
            "      --images work/shapes/images --json work/vocab.json"})
public final class VocabCommand implements Callable<Integer> {
    /**
     * Captions longer than this many words are truncated in training. COCO and Flickr captions average
     * about 10-12 words, so 20 keeps nearly every caption whole while bounding the decoder's unrolled length.
     */
    static final int DEFAULT_MAX_LENGTH = 20;
    private static final int MISSING_SHOWN = 5;

    @Option(names = "--captions", required = true, paramLabel = "FILE",
            description = "Captions file: COCO captions JSON, Karpathy split JSON or Flickr8k.token.txt.")
    Path captions;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Images folder, to check that every image in a split (all, when the file has no splits) is"
                    + " there. For a COCO captions file, the folder of its images (e.g. coco/train2014); for a"
                    + " Karpathy file, the folder that holds train2014/ and val2014/.")
    Path images;

    @Option(names = "--min-freq", paramLabel = "N", defaultValue = "" + Vocabulary.DEFAULT_MIN_FREQ,
            description = "Keep words seen at least N times in training. Default: ${DEFAULT-VALUE}.")
    int minFreq;

    @Option(names = "--truncate", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_LENGTH,
            description = "Caption length in words beyond which training cuts captions (train --truncate), for the"
                    + " summary's count. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--json", required = true, paramLabel = "FILE|-",
            description = "Where to write the vocabulary as JSON; - for standard output (the summary then goes to"
                    + " standard error).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (minFreq < 1) {
            throw new InputException("--min-freq must be at least 1, got " + minFreq);
        }
        if (maxLength < 1) {
            throw new InputException("--truncate must be at least 1, got " + maxLength);
        }
        Outputs.requireWritableFile(out, "--json");
        CaptionCorpus corpus = CorpusReader.read(captions);
        String imagesFound = images == null ? null : checkImages(corpus);
        List<CorpusImage> train = corpus.split(Split.TRAIN);
        boolean fromTrain = !train.isEmpty();
        List<CorpusImage> source = fromTrain ? train : corpus.images();
        List<List<String>> tokenized = new ArrayList<>();
        for (CorpusImage image : source) {
            for (String caption : image.captions()) {
                tokenized.add(Tokenizer.tokens(caption));
            }
        }
        if (tokenized.isEmpty()) {                                      // say so, rather than blame --min-freq
            String images = source.size() + (source.size() == 1 ? " image" : " images")
                    + (source.isEmpty() ? "" : ", none with a caption");
            String hint = corpus.format().equals(CorpusReader.Format.COCO.label())
                    ? "; COCO files keep them under \"annotations\"" : "";
            throw new InputException("captions file " + captions + ": no captions "
                    + (fromTrain ? "in the train split" : "in the file") + " (" + images + hint + ")");
        }
        Vocabulary vocab = Vocabulary.build(tokenized, minFreq);
        if (vocab.size() == Vocabulary.SPECIALS.size()) {
            throw new InputException("captions file " + captions + ": no word occurs at least " + minFreq
                    + " times in the " + (fromTrain ? "train split" : "captions") + " (" + tokenized.size()
                    + " captions); lower --min-freq or use a larger file");
        }
        Vocabulary.Coverage dropped = vocab.coverage(tokenized);
        long tooLong = tokenized.stream().filter(t -> t.size() > maxLength).count();
        Outputs.writeJson(out, spec.commandLine().getOut(), vocab.toJson());

        PrintWriter o = Outputs.isStdout(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
        line(o, "file", captions + " (" + corpus.format() + ")");
        line(o, "images", perSplit(corpus, false));
        line(o, "captions", perSplit(corpus, true));
        line(o, "vocabulary", vocab.size() + " ids: " + Vocabulary.SPECIALS.size() + " specials + "
                + (vocab.size() - Vocabulary.SPECIALS.size()) + " words seen at least " + minFreq + " times, "
                + (fromTrain ? "from the train split (train + restval, " + train.size() + " images)"
                        : "from all " + source.size() + " images (the file has no train split)"));
        line(o, "dropped", dropped.unknownWords() + " of " + dropped.distinctWords() + " distinct words; "
                + dropped.unknownOccurrences() + " of " + dropped.occurrences() + " word occurrences ("
                + percent(dropped.unknownShare()) + ") become " + Vocabulary.UNK);
        line(o, "too long", tooLong + " of " + tokenized.size() + " captions have more than " + maxLength
                + " words and will be truncated (--truncate " + maxLength + ")");
        if (imagesFound != null) {
            line(o, "images ok", imagesFound);
        }
        line(o, "wrote", Outputs.isStdout(out) ? "standard output" : out.toString());
        o.flush();
        return Main.OK;
    }

    /**
     * Refuses the run when images the corpus names are not under --images (a training run would fail
     * later); when the corpus has splits, only images in a split are checked. Returns what was found.
     */
    private String checkImages(CaptionCorpus corpus) {
        if (!Files.isDirectory(images)) {
            throw new InputException("--images " + images + ": not a folder");
        }
        boolean hasSplits = corpus.images().stream().anyMatch(i -> i.split() != Split.NONE);
        List<CorpusImage> checked = hasSplits
                ? corpus.images().stream().filter(i -> i.split() != Split.NONE).toList() : corpus.images();
        List<String> missing = new ArrayList<>();
        for (CorpusImage image : checked) {
            if (!Files.isRegularFile(images.resolve(image.file()))) {
                missing.add(image.file());
            }
        }
        if (!missing.isEmpty()) {
            StringJoiner names = new StringJoiner(", ");
            missing.stream().limit(MISSING_SHOWN).forEach(names::add);
            throw new InputException("--images " + images + ": " + missing.size() + " of " + checked.size()
                    + " images are missing: " + names + (missing.size() > MISSING_SHOWN ? ", ..." : ""));
        }
        int unchecked = corpus.images().size() - checked.size();
        return "all " + checked.size() + " images found under " + images
                + (unchecked > 0 ? " (" + unchecked + " in no split not checked)" : "");
    }

    /** {@code 14 in all: train 10, val 4} (images or captions), splits in enum order. */
    private static String perSplit(CaptionCorpus corpus, boolean captions) {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        for (CorpusImage image : corpus.images()) {
            counts.merge(image.split(), captions ? image.captions().size() : 1, Integer::sum);
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringJoiner parts = new StringJoiner(", ", total + " in all: ", "");
        counts.forEach((split, n) -> parts.add((split == Split.NONE ? "no split" : split.label()) + " " + n));
        return counts.isEmpty() ? "0" : parts.toString();
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static void line(PrintWriter o, String label, String text) {
        o.printf("%-11s %s%n", label, text);
    }
}

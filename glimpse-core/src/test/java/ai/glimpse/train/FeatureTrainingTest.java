package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.Progress;
import ai.glimpse.config.ModelConfig;
import ai.glimpse.config.TrainConfig;
import ai.glimpse.data.CorpusImage;
import ai.glimpse.data.Split;
import ai.glimpse.data.Tokenizer;
import ai.glimpse.data.Vocabulary;
import ai.glimpse.model.CaptionModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frozen-encoder path of training: features from a {@link FeatureCache} feed the decoder, which
 * learns to tell two kinds of feature map apart and says so when validation decodes them.
 */
class FeatureTrainingTest {
    private static final int L = 4;
    private static final int D = 6;
    @TempDir
    Path dir;

    /** Image i's features: all-positive maps for "red" images, all-negative for "blue" ones. */
    private static final class StripeSource implements FeatureSource {
        @Override
        public float[] compute(List<String> files) {
            float[] out = new float[files.size() * L * D];
            for (int f = 0; f < files.size(); f++) {
                float sign = files.get(f).startsWith("red") ? 1f : -1f;
                for (int k = 0; k < L * D; k++) {
                    out[f * L * D + k] = sign * (0.5f + (k % D) * 0.1f);
                }
            }
            return out;
        }

        @Override
        public int batchSize() {
            return 4;
        }
    }

    @Test
    void decoderLearnsFromCachedFeatures() {
        List<CorpusImage> train = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String colour = i % 2 == 0 ? "red" : "blue";
            train.add(new CorpusImage(String.valueOf(i), colour + i + ".png", 32, 32, Split.TRAIN,
                    List.of("there is a " + colour + " thing")));
        }
        List<String> files = train.stream().map(CorpusImage::file).toList();
        FeatureCache cache = FeatureCache.open(dir, new CacheKey("test", "none", 32, "test", L, D), files,
                new StripeSource(), Progress.NONE);
        Vocabulary vocab = Vocabulary.build(train.stream().map(i -> Tokenizer.tokens(i.captions().get(0))).toList(), 1);
        ModelConfig mc = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 32, D, 2, vocab.size(), 8, 12, 6, 0.0, 0.0, 6);
        TrainingSet set = TrainingSet.features(train, cache, vocab, mc.maxLength());
        assertEquals(List.of((long) L, (long) D), java.util.Arrays.stream(set.inputShape()).boxed().toList());

        CaptionModel model = CaptionModel.initialise(mc, 2);
        TrainConfig tc = new TrainConfig(12, 2, 2e-2, 0, 3, 5.0, 0.5, 100, 100, 12, 1000, 0, 0);
        DecodingValidator validator = new DecodingValidator(set, vocab, mc.maxLength(), 12);
        List<Map<String, Double>> scores = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onValidation(TrainerState state, Map<String, Double> s, boolean improved) {
                scores.add(s);
            }
        };
        new Trainer(tc, model, new Batches(set, mc, 2, 3), validator, List.of(record))
                .run(TrainerState.start(2e-2), new Adam(model.params()));
        double last = scores.get(scores.size() - 1).get("Bleu_4");
        assertTrue(last > 0.99, "greedy captions of the training images should be exact by now: " + scores);
    }
}

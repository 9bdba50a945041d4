package ai.glimpse.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import ai.glimpse.model.CaptionModel;
import ai.glimpse.model.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Beam search against exhaustive search on a tiny model (vocabulary 6, at most 3 words), against
 * greedy search, against itself one image at a time, and against a forced replay of its captions.
 */
class BeamSearchTest {
    private static final int VOCAB = 6;
    private static final int MAX_LENGTH = 3;

    /** A word sequence (ids, {@code <end>} excluded) and its log-probability under the model. */
    record Scored(List<Integer> ids, double logProb) {
        double score(double lengthPenalty) {
            return logProb / Math.pow(ids.size() + 1, lengthPenalty);
        }
    }

    @Test
    void widthOfTheVocabularyFindsTheBestSequence() {
        CaptionModel model = model(3);
        INDArray images = images(4, 11);
        List<Caption> caps = captioner(model).caption(images, new SearchStrategy.Beam(VOCAB, 0));
        for (int i = 0; i < 4; i++) {
            Scored best = bestOf(bruteForce(model, row(images, i)), 0);
            assertEquals(best.logProb(), caps.get(i).logProb(), 1e-4, "image " + i);
            assertEquals(text(best.ids()), caps.get(i).words(), "image " + i);
            assertTrue(caps.get(i).finished());
        }
    }

    /**
     * A beam wider than the non-{@code <end>} candidates of any step ranks no {@code <end>} out and keeps
     * every prefix, so it must return the argmax of the exhaustive table under every length penalty,
     * and every hypothesis it finished must be a distinct table entry with the table's log-probability
     * (this checks the state each beam inherits). The output layer is sharpened so that the best
     * caption depends on the words (on the plain random model it is the empty caption).
     */
    @Test
    void beamWideEnoughForEveryCandidateIsExhaustiveForAnyLengthPenalty() {
        int everything = (int) Math.pow(VOCAB - 1, MAX_LENGTH + 1) + 1;   // > 125 prefixes x 5 words at the last step
        int nonEmpty = 0;
        int complete = 0;
        for (long seed : new long[] {3, 5}) {
            CaptionModel model = model(seed);
            model.params().get("dec.out.Lo").muli(6);
            model.params().get("dec.emb").muli(3);
            INDArray image = images(1, 10 + seed);
            List<Scored> table = bruteForce(model, image);
            Map<List<String>, Double> logProbs = new HashMap<>();
            table.forEach(e -> logProbs.put(text(e.ids()), e.logProb()));
            Inference graph = new Inference(model);
            for (double penalty : new double[] {0, 0.7, 1}) {
                BeamSearch search = new BeamSearch(graph, id -> "w" + id, MAX_LENGTH, new SearchStrategy.Beam(everything, penalty),
                        LogProbCeiling.of(model));
                List<Caption> found = search.hypotheses(graph.encode(image)).get(0);
                Set<List<String>> distinct = new HashSet<>();
                for (Caption hyp : found) {
                    assertTrue(distinct.add(hyp.words()), "found twice: " + hyp.words());
                    assertTrue(logProbs.containsKey(hyp.words()), "not a caption of at most 3 words: " + hyp.words());
                    assertEquals(logProbs.get(hyp.words()), hyp.logProb(), 1e-4, "seed " + seed + " " + hyp.words());
                }
                complete += found.size() == table.size() ? 1 : 0;             // distinct and all in the table: all of them
                Caption cap = found.get(0);
                Scored best = bestOf(table, penalty);
                String where = "seed " + seed + " penalty " + penalty;
                assertEquals(text(best.ids()), cap.words(), where);
                assertEquals(best.logProb(), cap.logProb(), 1e-4, where);
                assertTrue(cap.finished(), where);
                nonEmpty += best.ids().isEmpty() ? 0 : 1;
            }
        }
        assertTrue(nonEmpty >= 4, "most expected captions have words, got " + nonEmpty);
        assertTrue(complete >= 4, "most searches ran to the end and scored every caption, got " + complete);
    }

    @Test
    void lengthPenaltyOneFavoursTheLongerCaptionThatRawLogProbabilityRejects() {
        CaptionModel model = model(5);
        INDArray bias = model.params().get("dec.out.bo");
        bias.assign(0);
        bias.putScalar(Captioner.END, 2.5);                               // <end> likely: raw log-prob wants to stop at once
        bias.putScalar(4, 3.0);                                           // w4 likelier: its per-step average is better
        INDArray images = images(1, 13);
        List<Scored> all = bruteForce(model, row(images, 0));
        Caption raw = captioner(model).caption(images, new SearchStrategy.Beam(4, 0)).get(0);
        Caption avg = captioner(model).caption(images, new SearchStrategy.Beam(4, 1)).get(0);
        assertEquals(text(bestOf(all, 0).ids()), raw.words());
        assertEquals(text(bestOf(all, 1).ids()), avg.words());
        assertTrue(avg.words().size() > raw.words().size(), raw.words() + " vs " + avg.words());
        assertTrue(raw.logProb() > avg.logProb(), "raw log-probability ranks the shorter caption first");
        assertTrue(avg.logProb() / (avg.words().size() + 1) > raw.logProb() / (raw.words().size() + 1),
                "the per-step average ranks the longer caption first");
    }

    @Test
    void withoutAnyEndEveryImageGetsAnUnfinishedCaptionOfMaxLength() {
        CaptionModel model = model(6);
        model.params().get("dec.out.bo").putScalar(Captioner.END, -1e4);
        INDArray images = images(3, 14);
        for (int width : new int[] {1, 2, 3, 5}) {
            for (double penalty : new double[] {0, 1}) {
                List<Caption> caps = captioner(model).caption(images, new SearchStrategy.Beam(width, penalty));
                for (Caption cap : caps) {
                    assertFalse(cap.finished(), "width " + width);
                    assertEquals(MAX_LENGTH, cap.words().size(), "width " + width);
                    assertEquals(MAX_LENGTH, cap.alphas().length, "no <end> step");
                    assertTrue(cap.logProb() < 0 && cap.logProb() > -100, "no <end> log-probability in " + cap.logProb());
                }
            }
        }
    }

    @Test
    void widthOneWithoutPenaltyIsExactlyGreedy() {
        for (long seed : new long[] {7, 8}) {
            CaptionModel model = model(seed);
            INDArray images = images(6, 15 + seed);
            Captioner captioner = captioner(model);
            List<Caption> greedy = captioner.caption(images, new SearchStrategy.Greedy());
            List<Caption> beam = captioner.caption(images, new SearchStrategy.Beam(1, 0));
            for (int i = 0; i < 6; i++) {
                Caption g = greedy.get(i);
                Caption b = beam.get(i);
                assertEquals(g.words(), b.words(), "image " + i);
                assertEquals(g.logProb(), b.logProb(), 0.0);
                assertEquals(g.finished(), b.finished());
                assertArrayEquals(g.alphas(), b.alphas(), "image " + i);      // deep, exact
                assertArrayEquals(g.betas(), b.betas(), 0f);
            }
        }
    }

    @Test
    void batchedBeamsAgreeWithOneImageAtATime() {
        CaptionModel model = model(9);
        INDArray images = images(4, 16);
        Captioner captioner = captioner(model);
        SearchStrategy beam = new SearchStrategy.Beam(3, 0.5);
        List<Caption> batched = captioner.caption(images, beam);
        for (int i = 0; i < 4; i++) {
            Caption alone = captioner.caption(row(images, i), beam).get(0);
            assertEquals(alone.words(), batched.get(i).words(), "image " + i);
            assertEquals(alone.logProb(), batched.get(i).logProb(), 1e-5);
            assertEquals(alone.finished(), batched.get(i).finished());
        }
    }

    /** Greedy search steps only the images still writing; each caption must be the one the image gets alone. */
    @Test
    void batchedGreedyAgreesWithOneImageAtATime() {
        CaptionModel model = model(9);
        model.params().get("dec.out.Lo").muli(3);                          // sharper words, and <end> as likely as
        model.params().get("dec.out.bo").putScalar(Captioner.END, 0.5);     // they are: the images end at different steps
        INDArray images = images(6, 16);
        Captioner captioner = captioner(model);
        List<Integer> order = new ArrayList<>();
        List<Caption> heard = new ArrayList<>(java.util.Collections.nCopies(6, (Caption) null));
        List<Caption> batched = captioner.caption(images, new SearchStrategy.Greedy(), (image, caption) -> {
            order.add(image);
            heard.set(image, caption);
        });
        assertEquals(6, order.size(), "each image is reported once: " + order);
        for (int k = 1; k < order.size(); k++) {
            assertTrue(batched.get(order.get(k - 1)).words().size() <= batched.get(order.get(k)).words().size(),
                    "images are reported as they end, shorter captions first: " + order);
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(batched.get(i).words(), heard.get(i).words(), "image " + i);
            assertEquals(batched.get(i).logProb(), heard.get(i).logProb(), 0.0);
        }
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            Caption alone = captioner.caption(row(images, i), new SearchStrategy.Greedy()).get(0);
            assertEquals(alone.words(), batched.get(i).words(), "image " + i);
            assertEquals(alone.logProb(), batched.get(i).logProb(), 1e-5);
            assertEquals(alone.finished(), batched.get(i).finished());
            lengths.add(batched.get(i).words().size());
        }
        assertTrue(lengths.size() > 1, "the images should finish at different steps: " + lengths);
    }

    /**
     * Only live beams of images still searching are stepped: one row per image at t = 0, none of an image
     * once it is done; the captions equal each image searched alone.
     */
    @Test
    void onlyTheLiveBeamsOfImagesStillSearchingAreStepped() {
        double[] ends = {-9, -9, Math.log(0.9), -9, Math.log(0.05), Math.log(0.04)};    // image 0: <end> at once
        double[] talks = {-9, -9, Math.log(0.05), -9, Math.log(0.6), Math.log(0.3)};    // image 1: words until 4,
        double[] stops = {-9, -9, Math.log(0.9), -9, Math.log(0.06), Math.log(0.03)};   // then <end>
        LogProbCeiling ceiling = new LogProbCeiling(Math.log(0.6), Math.log(0.9));
        List<int[]> stepped = new ArrayList<>();
        int[] imageOfAlone = new int[1];                                   // which image a one-image search is about
        BeamSearch.StepFunction scripted = (state, prev, imageOf) -> {
            stepped.add(imageOf.clone());
            return counted(state, r -> {
                int which = imageOfAlone[0] >= 0 ? imageOfAlone[0] : imageOf[r];
                return which == 0 ? ends : state.h()[r] < 4 ? talks : stops;
            });
        };
        SearchStrategy.Beam beam = new SearchStrategy.Beam(3, 0.0);
        BeamSearch search = new BeamSearch(null, id -> "w" + id, 50, beam, ceiling);
        imageOfAlone[0] = -1;
        List<int[]> reported = new ArrayList<>();                          // image, steps taken when it was reported
        List<List<Caption>> heard = new ArrayList<>(List.of(List.of(), List.of()));
        List<List<Caption>> both = search.search(2, new Inference.State(2, new float[2], new float[2], null), scripted,
                (image, hypotheses) -> {
                    reported.add(new int[] {image, stepped.size()});
                    heard.set(image, hypotheses);
                });
        assertEquals(2, reported.size(), "each image is reported once");
        assertEquals(0, reported.get(0)[0], "image 0, done at t = 0, is reported first");
        assertEquals(1, reported.get(0)[1], "image 0 is reported after the first step, while image 1 goes on");
        assertEquals(1, reported.get(1)[0]);
        assertEquals(stepped.size(), reported.get(1)[1]);
        assertEquals(both, heard, "what was reported is what the search returns");
        assertEquals(List.of(0, 1), Arrays.stream(stepped.get(0)).boxed().toList(), "t = 0: one row per image");
        for (int t = 1; t < stepped.size(); t++) {
            int[] rows = stepped.get(t);
            assertTrue(rows.length >= 1 && rows.length <= 3, "t = " + t + ": " + rows.length + " rows");
            assertTrue(Arrays.stream(rows).allMatch(i -> i == 1), "t = " + t + ": image 0 finished at t = 0 yet was stepped");
        }
        assertEquals(List.of(), both.get(0).get(0).words());
        assertEquals(List.of("w4", "w4", "w4", "w4"), both.get(1).get(0).words());
        for (int image = 0; image < 2; image++) {
            imageOfAlone[0] = image;
            Caption alone = search.search(1, new Inference.State(1, new float[1], new float[1], null), scripted).get(0).get(0);
            assertEquals(alone.words(), both.get(image).get(0).words(), "image " + image);
            assertEquals(alone.logProb(), both.get(image).get(0).logProb(), 0.0, "image " + image);
        }
    }

    /** With coverage, each beam must also inherit its parent's running sum of attention weights. */
    @ParameterizedTest(name = "coverage {0}")
    @ValueSource(booleans = {false, true})
    void everyHypothesisMatchesAForcedReplayOfItsWords(boolean coverage) {
        CaptionModel model = coverage ? CaptionModel.initialise(ModelConfig.small(16, List.of(4, 6), VOCAB, 8, 10, 6, 0.0, 1.0,
                MAX_LENGTH).withCoverage(true), 10) : model(10);
        if (coverage) {
            model.params().get("att.u").muli(20);                         // coverage moves the attention visibly
        }
        model.params().get("dec.out.Lo").muli(4);                         // peakier, so beams part ways
        INDArray images = images(4, 17);
        Inference graph = new Inference(model);
        int replayed = 0;
        for (double penalty : new double[] {0, 1}) {
            BeamSearch search = new BeamSearch(graph, id -> "w" + id, MAX_LENGTH, new SearchStrategy.Beam(3, penalty),
                    LogProbCeiling.of(model));
            List<List<Caption>> all = search.hypotheses(graph.encode(images));
            for (int i = 0; i < 4; i++) {
                for (Caption cap : all.get(i)) {
                    replay(graph, row(images, i), cap, "image " + i + " penalty " + penalty + " " + cap.words());
                    replayed++;
                }
            }
        }
        assertTrue(replayed > 8, "more than the best hypothesis per image was replayed: " + replayed);
    }

    /** Feeds the caption's words through the step function one by one and compares what the search recorded. */
    private static void replay(Inference graph, INDArray image, Caption cap, String where) {
        Inference.Encoded enc = graph.encode(image);
        Inference.Session session = graph.start(enc, new int[] {0});
        Inference.State state = enc.state();
        int prev = Captioner.START;
        double logProb = 0;
        for (int s = 0; s < cap.alphas().length; s++) {
            int id = s < cap.words().size() ? Integer.parseInt(cap.words().get(s).substring(1)) : Captioner.END;
            Inference.StepResult r = session.step(state, new int[] {prev});
            assertArrayEquals(r.alpha()[0], cap.alphas()[s], 1e-5f, where + " step " + s);
            assertEquals(r.beta()[0], cap.betas()[s], 1e-5f, where + " step " + s);
            logProb += r.logProbs()[0][id];
            state = r.state();
            prev = id;
        }
        assertEquals(logProb, cap.logProb(), 1e-4, where);
        assertEquals(cap.finished() ? cap.words().size() + 1 : cap.words().size(), cap.alphas().length, where);
    }

    /**
     * A scripted model (its state counts the words so far) that likes w4 for three words and then {@code <end>}:
     * with a length penalty, a search without ceilings keeps stepping while a longer caption could still win by
     * length alone (--beam 3 --max-length 2000 took 44 s against 4 s); with them it stops a few steps after
     * the answer, whatever the maximum length, and the answer is the one a full search finds.
     */
    @Test
    void aModelThatPrefersEndAfterAFewWordsStopsInAFewStepsWhateverTheMaximumLength() {
        double[] early = {-9, -9, Math.log(0.05), -9, Math.log(0.6), Math.log(0.3)};    // <end> = 2, words w4 and w5
        double[] late = {-9, -9, Math.log(0.9), -9, Math.log(0.06), Math.log(0.03)};
        LogProbCeiling ceiling = new LogProbCeiling(Math.log(0.6), Math.log(0.9));       // the most each can get
        int[] steps = new int[1];
        BeamSearch.StepFunction scripted = (state, prev, imageOf) -> {
            steps[0]++;
            return counted(state, r -> state.h()[r] < 3 ? early : late);    // h: the words chosen before this step
        };
        Inference.State initial = new Inference.State(1, new float[] {0}, new float[1], null);
        SearchStrategy.Beam beam = new SearchStrategy.Beam(3, 1.0);
        Caption full = new BeamSearch(null, id -> "w" + id, 2000, beam, LogProbCeiling.NONE).search(1, initial, scripted).get(0).get(0);
        assertEquals(List.of("w4", "w4", "w4"), full.words());
        assertTrue(steps[0] > 100, "without ceilings the search runs on until the live beams have fallen below "
                + "2001 times the best score: " + steps[0]);
        for (int maxLength : new int[] {40, 2000, 1_000_000_000}) {
            steps[0] = 0;
            Caption cap = new BeamSearch(null, id -> "w" + id, maxLength, beam, ceiling).search(1, initial, scripted).get(0).get(0);
            assertEquals(full.words(), cap.words(), "max length " + maxLength);
            assertEquals(full.logProb(), cap.logProb(), 0.0);
            assertTrue(steps[0] <= 8, "max length " + maxLength + ": " + steps[0] + " steps");
        }
    }

    /** The bound is the maximum over every way to finish, checked against all of them one by one. */
    @Test
    void theBoundIsTheBestScoreOfAnyEndingAllowedByTheCeilings() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int trial = 0; trial < 2000; trial++) {
            double word = trial % 5 == 0 ? 0 : -3 * rng.nextDouble();
            double end = trial % 7 == 0 ? 0 : -3 * rng.nextDouble();
            double penalty = new double[] {0, 0.3, 0.7, 1, 1.5, 3}[trial % 6];
            int maxLength = 1 + rng.nextInt(60);
            int words = 1 + rng.nextInt(maxLength);
            double logProb = -20 * rng.nextDouble();
            BeamSearch search = new BeamSearch(null, id -> "w" + id, maxLength, new SearchStrategy.Beam(3, penalty),
                    new LogProbCeiling(word, end));
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; words + k <= maxLength; k++) {
                int s = words + k + 1;
                best = Math.max(best, (logProb + k * word + end) / Math.pow(s, penalty));
            }
            assertEquals(best, search.bound(logProb, words), 1e-12 * (1 + Math.abs(best)),
                    "trial " + trial + ": " + word + " " + end + " " + penalty + " " + maxLength + " " + words + " " + logProb);
        }
    }

    /** The ceilings hold for every step of real models, and bite where the output layer leaves little room. */
    @Test
    void noStepOfAModelExceedsItsCeilings() {
        for (double scale : new double[] {0.02, 1, 8}) {
            CaptionModel model = model(20);
            model.params().get("dec.out.Lo").muli(scale);
            model.params().get("dec.out.bo").putScalar(Captioner.END, 2.0);
            LogProbCeiling ceiling = LogProbCeiling.of(model);
            if (scale == 0.02) {
                assertTrue(ceiling.word() < -1, "a narrow output layer gives a real ceiling: " + ceiling);
            }
            Inference graph = new Inference(model);
            Inference.Encoded enc = graph.encode(images(4, 21));
            Inference.Session session = graph.start(enc, new int[] {0, 1, 2, 3});
            Inference.State state = enc.state();
            SplittableRandom rng = new SplittableRandom(22);
            int[] prev = {Captioner.START, Captioner.START, Captioner.START, Captioner.START};
            for (int t = 0; t < 6; t++) {
                Inference.StepResult r = session.step(state, prev);
                for (float[] row : r.logProbs()) {
                    for (int k = 0; k < row.length; k++) {
                        assertTrue(row[k] <= (k == Captioner.END ? ceiling.end() : ceiling.word()),
                                "scale " + scale + " step " + t + " word " + k + ": " + row[k] + " over " + ceiling);
                    }
                }
                state = r.state();
                prev = rng.ints(4, 0, VOCAB).toArray();
            }
        }
    }

    /** With a real model that always prefers {@code <end>}: a few steps at a maximum length of 100000. */
    @Test
    void aRealModelThatAlwaysPrefersEndStopsAtOnce() {
        CaptionModel model = model(23);
        model.params().get("dec.out.Lo").muli(0.02);
        model.params().get("dec.out.bo").putScalar(Captioner.END, 2.0);
        Inference graph = new Inference(model);
        INDArray image = images(1, 24);
        int[] steps = new int[1];
        SearchStrategy.Beam beam = new SearchStrategy.Beam(3, 1.0);
        List<Caption> found = new ArrayList<>();
        for (LogProbCeiling ceiling : List.of(LogProbCeiling.NONE, LogProbCeiling.of(model))) {
            Inference.Encoded enc = graph.encode(image);
            steps[0] = 0;
            int maxLength = ceiling == LogProbCeiling.NONE ? 300 : 100_000;
            found.add(new BeamSearch(graph, id -> "w" + id, maxLength, beam, ceiling).search(1, enc.state(), (state, prev, imageOf) -> {
                steps[0]++;
                return graph.start(enc, imageOf).step(state, prev);
            }).get(0).get(0));
            if (ceiling == LogProbCeiling.NONE) {
                assertTrue(steps[0] > 20, "without ceilings: " + steps[0] + " steps");
            } else {
                assertTrue(steps[0] <= 3, "with them: " + steps[0] + " steps");
            }
        }
        assertEquals(found.get(0).words(), found.get(1).words());
        assertEquals(found.get(0).logProb(), found.get(1).logProb(), 0.0);
    }

    @Test
    void candidatesAreRankedBestFirstWithTiesToTheLowerIndexAndImpossibleOnesSkipped() {
        double inf = Double.NEGATIVE_INFINITY;
        double[] values = {-1, -0.5, inf, -0.5, -3, Double.NaN, -0.1, -2};
        assertArrayEquals(new int[] {6, 1, 3, 0}, BeamSearch.best(values, 4));
        assertArrayEquals(new int[] {6, 1, 3, 0, 7, 4}, BeamSearch.best(values, 20));
        assertArrayEquals(new int[0], BeamSearch.best(new double[] {inf, inf}, 2));
    }

    /** Every caption of 0..MAX_LENGTH words then {@code <end>}, scored by teacher-forced steps, all in one batch. */
    private static List<Scored> bruteForce(CaptionModel model, INDArray image) {
        List<List<Integer>> seqs = new ArrayList<>();
        seqs.add(List.of());
        for (int from = 0; seqs.get(seqs.size() - 1).size() < MAX_LENGTH; ) {
            int to = seqs.size();
            for (int s = from; s < to; s++) {
                for (int id = 0; id < VOCAB; id++) {
                    if (id != Captioner.END) {
                        List<Integer> longer = new ArrayList<>(seqs.get(s));
                        longer.add(id);
                        seqs.add(longer);
                    }
                }
            }
            from = to;
        }
        int n = seqs.size();
        Inference graph = new Inference(model);
        Inference.Encoded enc = graph.encode(image);
        Inference.Session session = graph.start(enc, new int[n]);         // every row reads the one image
        Inference.State state = enc.state().repeat(n);                    // [n, H] and [n, L]
        double[] logProb = new double[n];
        for (int t = 0; t <= MAX_LENGTH; t++) {
            int[] prev = new int[n];
            for (int s = 0; s < n; s++) {
                List<Integer> seq = seqs.get(s);
                prev[s] = t == 0 ? Captioner.START : t <= seq.size() ? seq.get(t - 1) : Captioner.END;
            }
            Inference.StepResult r = session.step(state, prev);
            for (int s = 0; s < n; s++) {
                List<Integer> seq = seqs.get(s);
                if (t <= seq.size()) {
                    logProb[s] += r.logProbs()[s][t < seq.size() ? seq.get(t) : Captioner.END];
                }
            }
            state = r.state();
        }
        List<Scored> out = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            out.add(new Scored(seqs.get(s), logProb[s]));
        }
        assertEquals(1 + 5 + 25 + 125, out.size(), "all sequences of up to 3 of the 5 non-<end> ids");
        return out;
    }

    private static Scored bestOf(List<Scored> all, double lengthPenalty) {
        Scored best = all.stream().max(Comparator.comparingDouble(s -> s.score(lengthPenalty))).orElseThrow();
        all.stream().filter(s -> s != best).forEach(s -> assertTrue(
                Math.abs(s.score(lengthPenalty) - best.score(lengthPenalty)) > 1e-4, "a near tie: ambiguous argmax"));
        return best;
    }

    private static List<String> text(List<Integer> ids) {
        return ids.stream().map(id -> "w" + id).toList();
    }

    /**
     * A scripted step whose state counts words: h of each row becomes h + 1 (with the word this step
     * chooses), and row r's log-probabilities are {@code logProbs.apply(r)}.
     */
    private static Inference.StepResult counted(Inference.State state, java.util.function.IntFunction<double[]> logProbs) {
        float[][] logp = new float[state.rows()][];
        float[] count = new float[state.rows()];
        for (int r = 0; r < state.rows(); r++) {
            count[r] = state.h()[r] + 1;
            double[] row = logProbs.apply(r);
            logp[r] = new float[row.length];
            for (int k = 0; k < row.length; k++) {
                logp[r][k] = (float) row[k];
            }
        }
        float[] zero = new float[state.rows()];
        return new Inference.StepResult(logp, new Inference.State(state.rows(), count, zero.clone(), null),
                new float[state.rows()][], zero);
    }

    private static CaptionModel model(long seed) {
        return CaptionModel.initialise(ModelConfig.small(16, List.of(4, 6), VOCAB, 8, 10, 6, 0.0, 1.0, MAX_LENGTH), seed);
    }

    private static Captioner captioner(CaptionModel model) {
        return new Captioner(model, id -> "w" + id, MAX_LENGTH);
    }

    private static INDArray images(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] px = new float[n * 3 * 16 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rng.nextDouble();
        }
        return Nd4j.create(px, new long[] {n, 3, 16, 16}, 'c');
    }

    private static INDArray row(INDArray images, int i) {
        return images.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
    }
}

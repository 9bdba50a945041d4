package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Attention supervision by boxes: its value by hand, its gradients by finite differences, and its pull on attention. */
class BoxSupervisionTest {
    private static final ModelConfig CONFIG = ModelConfig.frozen(ModelConfig.Encoder.VGG16, 224, 5, 2, 9, 4, 6, 3, 0.0, 0.7, 3)
            .withCoverage(true);

    /** [B=3, T, L=4]: caption 0 names cells {0, 1} at step 1, caption 2 cell 3 at steps 0 and 2; the rest unsupervised. */
    private static BoxSupervision boxes(DataType type, double weight) {
        int t = CONFIG.steps();
        double[] in = new double[3 * t * 4];
        in[(0 * t + 1) * 4] = 1;
        in[(0 * t + 1) * 4 + 1] = 1;
        in[(2 * t) * 4 + 3] = 1;
        in[(2 * t + 2) * 4 + 3] = 1;
        return new BoxSupervision(Nd4j.create(in, new long[] {3, t, 4}, 'c').castTo(type), weight);
    }

    @Test
    void theLossIsMinusTheLogOfTheAttentionOnTheObjectAveragedOverTheSupervisedSteps() {
        // alphas [T=2, B=1, L=2]: step 0 puts 0.25 on the object, step 1 is not supervised
        INDArray alphas = Nd4j.create(new double[] {0.25, 0.75, 0.5, 0.5}, new long[] {2, 1, 2}, 'c');
        INDArray inside = Nd4j.create(new double[] {1, 0, 0, 0}, new long[] {1, 2, 2}, 'c');   // [B, T, L]
        BoxSupervision.Term term = new BoxSupervision(inside, 2.0).lossAndGradient(alphas, Nd4j.ones(DataType.DOUBLE, 2, 1));
        assertEquals(-2.0 * Math.log(0.25 + BoxSupervision.EPS), term.value(), 1e-12);
        assertEquals(-2.0 / (0.25 + BoxSupervision.EPS), term.dAlpha().getDouble(0, 0, 0), 1e-9);
        assertEquals(0, term.dAlpha().getDouble(0, 0, 1), 0);
        assertEquals(0, term.dAlpha().getDouble(1, 0, 0), 0, "an unsupervised step gets nothing");
        INDArray none = Nd4j.zeros(DataType.DOUBLE, 1, 2, 2);
        assertEquals(0, new BoxSupervision(none, 2.0).lossAndGradient(alphas, Nd4j.ones(DataType.DOUBLE, 2, 1)).value());
    }

    @Test
    void gradientsMatchFiniteDifferencesInDouble() {
        CaptionModel model = new CaptionModel(CONFIG, CaptionModel.initialise(CONFIG, 5).params().copy(DataType.DOUBLE));
        Map<String, INDArray> ph = TrainingPassTest.batch(CONFIG, DataType.DOUBLE, false);
        TrainingPass.Batch plain = Placeholders.pass(ph);
        Supplier<TrainingPass.Batch> withBoxes = () -> new TrainingPass.Batch(plain.features(), plain.imageOf(), plain.inputs(),
                plain.targets(), plain.mask(), plain.drop(), boxes(DataType.DOUBLE, 0.8));
        TrainingPass pass = new TrainingPass(model, true);
        TrainingPass.Result r = pass.run(withBoxes.get());
        TrainingPass.Result without = pass.run(plain);
        assertTrue(r.boxLoss() > 0);
        assertEquals(without.loss() + r.boxLoss(), r.loss(), 1e-12, "the box term adds to the loss");
        double eps = 1e-6;
        int checked = 0;
        for (String name : model.params().names()) {
            INDArray p = model.params().get(name);
            INDArray g = r.gradients().get(name);
            for (long k = 0; k < p.length(); k += Math.max(1, p.length() / 5)) {
                double orig = p.getDouble(k);
                p.putScalar(k, orig + eps);
                double up = pass.run(withBoxes.get()).loss();
                p.putScalar(k, orig - eps);
                double down = pass.run(withBoxes.get()).loss();
                p.putScalar(k, orig);
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, g.getDouble(k), 1e-7 + 1e-5 * Math.abs(numeric), name + "[" + k + "]");
                checked++;
            }
        }
        INDArray f = plain.features();
        for (long k = 0; k < f.length(); k += 3) {
            double orig = f.getDouble(k);
            f.putScalar(k, orig + eps);
            double up = pass.run(withBoxes.get()).loss();
            f.putScalar(k, orig - eps);
            double down = pass.run(withBoxes.get()).loss();
            f.putScalar(k, orig);
            assertEquals((up - down) / (2 * eps), r.featureGradient().getDouble(k), 1e-7, "features[" + k + "]");
            checked++;
        }
        assertTrue(checked > 60, "checked " + checked);
    }

    @Test
    void descendingTheLossMovesAttentionOntoTheNamedCells() {
        CaptionModel model = CaptionModel.initialise(CONFIG, 3);
        Map<String, INDArray> ph = TrainingPassTest.batch(CONFIG, DataType.FLOAT, false);
        TrainingPass.Batch plain = Placeholders.pass(ph);
        TrainingPass.Batch batch = new TrainingPass.Batch(plain.features(), plain.imageOf(), plain.inputs(), plain.targets(),
                plain.mask(), plain.drop(), boxes(DataType.FLOAT, 1.0));
        TrainingPass pass = new TrainingPass(model, false);
        double before = pass.run(batch).boxLoss();
        for (int i = 0; i < 40; i++) {
            TrainingPass.Result r = pass.run(batch);
            for (String name : model.params().names()) {
                if (r.gradients().containsKey(name)) {
                    model.params().get(name).subi(r.gradients().get(name).mul(0.2));
                }
            }
        }
        double after = pass.run(batch).boxLoss();
        assertTrue(after < 0.8 * before, "box loss " + before + " -> " + after);
    }
}

package ai.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.glimpse.config.ModelConfig;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The small encoder's spatial softmax and its sparse start, and its coordinate channels. */
class SmallCnnEncoderTest {
    private static final int SIZE = 16;

    private static INDArray features(ModelConfig c, ParameterSet p, INDArray images) {
        ModelGraph g = new ModelGraph(p, DataType.DOUBLE);
        SDVariable out = SmallCnnEncoderGraph.encode(g, c, g.input("images", -1, 3, c.imageSize(), c.imageSize()));
        out.rename("feats");
        return g.sd().output(Map.of("images", images), "feats").get("feats");
    }

    @Test
    void coordinateChannelsRunFromMinusOneToOneAlongColumnsAndRows() {
        INDArray xy = SmallCnnEncoder.coordinateChannels(5);
        assertArrayEquals(new long[] {1, 2, 5, 5}, xy.shape());
        assertEquals(-1.0, xy.getDouble(0, 0, 3, 0), 1e-7);
        assertEquals(0.5, xy.getDouble(0, 0, 1, 3), 1e-7);
        assertEquals(1.0, xy.getDouble(0, 1, 4, 2), 1e-7);
        assertEquals(-0.5, xy.getDouble(0, 1, 1, 4), 1e-7);
    }

    @Test
    void withCoordinatesRegionsOfAUniformImageDifferAwayFromTheBorder() {
        int size = 32;                                                     // 2 blocks: an 8x8 grid, receptive field 10 px
        ModelConfig plain = ModelConfig.small(size, List.of(3, 4), 0, true, false, 9, 4, 4, 4, 0.0, 1.0, 4);
        ModelConfig coord = plain.withCoordinates(true);
        CaptionModel model = CaptionModel.initialise(coord, 5);
        INDArray grey = Nd4j.valueArrayOf(new long[] {1, 3, size, size}, 0.3, DataType.DOUBLE);
        INDArray without = features(plain, model.params().copy(DataType.DOUBLE), grey);
        INDArray with = features(coord, model.params().copy(DataType.DOUBLE), grey);
        int a = 3 * 8 + 3;                                                 // cells (3, 3) and (3, 4): no padding in view
        int b = 3 * 8 + 4;
        assertEquals(0.0, without.get(NDArrayIndex.point(0), NDArrayIndex.point(a), NDArrayIndex.all())
                .distance2(without.get(NDArrayIndex.point(0), NDArrayIndex.point(b), NDArrayIndex.all())), 1e-12,
                "a CNN alone cannot tell two inner cells of a uniform image apart");
        assertTrue(with.get(NDArrayIndex.point(0), NDArrayIndex.point(a), NDArrayIndex.all())
                .distance2(with.get(NDArrayIndex.point(0), NDArrayIndex.point(b), NDArrayIndex.all())) > 1e-3,
                "with the coordinate channels it can");
    }

    @Test
    void spatialSoftmaxWeighsEachChannelByASoftmaxOverRegionsTimesTheirCount() {
        ModelConfig plain = ModelConfig.small(SIZE, List.of(3, 5), 0, true, false, 9, 4, 4, 4, 0.0, 1.0, 4);
        ModelConfig soft = ModelConfig.small(SIZE, List.of(3, 5), 0, true, true, 9, 4, 4, 4, 0.0, 1.0, 4);
        ParameterSet p = CaptionModel.initialise(plain, 5).params().copy(DataType.DOUBLE);
        SplittableRandom rng = new SplittableRandom(3);
        double[] pixels = new double[2 * 3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextDouble();
        }
        INDArray images = Nd4j.create(pixels, new long[] {2, 3, SIZE, SIZE}, DataType.DOUBLE);
        INDArray x = features(plain, p, images);                           // [2, L, D]
        INDArray y = features(soft, p, images);
        int regions = plain.regions();
        assertEquals(16, regions);
        double strongest = 0;
        for (int b = 0; b < 2; b++) {
            for (int d = 0; d < 5; d++) {
                double norm = 0;
                double max = 0;
                for (int i = 0; i < regions; i++) {
                    norm += Math.exp(x.getDouble(b, i, d));
                    max = Math.max(max, x.getDouble(b, i, d));
                }
                double mean = 0;
                for (int i = 0; i < regions; i++) {
                    double v = x.getDouble(b, i, d);
                    double expected = regions * Math.exp(v) / norm * v;
                    assertEquals(expected, y.getDouble(b, i, d), 1e-9, "image " + b + " region " + i + " channel " + d);
                    mean += y.getDouble(b, i, d) / regions;
                }
                assertTrue(mean <= max + 1e-12, "the mean over regions is a soft max: at most the largest response");
                strongest = Math.max(strongest, max);
            }
        }
        assertTrue(strongest > 0, "some response passes the ReLU");
    }

    @Test
    void withTheSpatialSoftmaxTheLastLayerStartsSparseAndTheOthersDoNot() {
        ParameterSet p = CaptionModel.initialise(ModelConfig.small(SIZE, List.of(3, 5), 0, true, true, 9, 4, 4, 4, 0.0, 1.0, 4), 5)
                .params();
        assertEquals(0, p.get("enc.conv0.shift").getDouble(0), 0);
        assertEquals(SmallCnnEncoder.SPARSE_SHIFT, p.get("enc.conv1.shift").getDouble(4), 0);
        ParameterSet withGrid = CaptionModel.initialise(ModelConfig.small(SIZE, List.of(3, 5), 1, true, true, 9, 4, 4, 4, 0.0, 1.0, 4), 5)
                .params();
        assertEquals(0, withGrid.get("enc.conv1.shift").getDouble(0), 0);
        assertEquals(SmallCnnEncoder.SPARSE_SHIFT, withGrid.get("enc.grid0.shift").getDouble(0), 0);
        ParameterSet plain = CaptionModel.initialise(ModelConfig.small(SIZE, List.of(3, 5), 0, true, false, 9, 4, 4, 4, 0.0, 1.0, 4), 5)
                .params();
        assertEquals(0, plain.get("enc.conv1.shift").getDouble(0), 0, "without it the start is unchanged");
    }
}

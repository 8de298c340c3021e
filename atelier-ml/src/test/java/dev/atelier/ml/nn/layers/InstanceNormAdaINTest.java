package dev.atelier.ml.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class InstanceNormAdaINTest {

    /** Per (example, channel) mean and std over space of a [B,C,H,W] array, as Java arrays. */
    static double[][][] stats(NDArray x) {
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int c = (int) s.get(1);
        int n = (int) (s.get(2) * s.get(3));
        float[] v = x.toFloatArray();
        double[][][] out = new double[b][c][2];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                double sum = 0;
                double sq = 0;
                for (int p = 0; p < n; p++) {
                    double e = v[(i * c + k) * n + p];
                    sum += e;
                    sq += e * e;
                }
                double m = sum / n;
                out[i][k][0] = m;
                out[i][k][1] = Math.sqrt(Math.max(0, sq / n - m * m));
            }
        }
        return out;
    }

    @Test
    void instanceNormGivesZeroMeanUnitStdPerExampleAndChannel() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(3f, 2.5f, new Shape(2, 3, 8, 8), ai.djl.ndarray.types.DataType.FLOAT32);
            InstanceNorm norm = InstanceNorm.builder().build();
            NDArray y = norm.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(x.getShape());
            for (double[][] ex : stats(y)) {
                for (double[] ch : ex) {
                    assertThat(ch[0]).isCloseTo(0, within(1e-5));
                    assertThat(ch[1]).isCloseTo(1, within(1e-3));
                }
            }
        }
    }

    @Test
    void adainImposesTheStyleStatisticsOnEveryExample() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray content = m.randomUniform(0f, 5f, new Shape(4, 3, 6, 6));
            float[] mean = {-1f, 0.5f, 7f};
            float[] std = {0.2f, 1f, 3f};
            NDArray y = AdaIN.apply(content, m.create(mean), m.create(std));
            for (double[][] ex : stats(y)) {
                for (int c = 0; c < 3; c++) {
                    assertThat(ex[c][0]).isCloseTo(mean[c], within(1e-4));
                    assertThat(ex[c][1]).isCloseTo(std[c], within(1e-3 * std[c] + 1e-4));
                }
            }
        }
    }

    @Test
    void adainAcceptsPerExampleStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray content = m.randomNormal(new Shape(2, 2, 4, 4));
            float[][] mean = {{1f, 2f}, {-3f, 4f}};
            NDArray y = AdaIN.apply(content, m.create(mean), m.ones(new Shape(2, 2)));
            double[][][] s = stats(y);
            assertThat(s[0][1][0]).isCloseTo(2, within(1e-4));
            assertThat(s[1][0][0]).isCloseTo(-3, within(1e-4));
        }
    }

    @Test
    void adainRejectsMismatchedStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray content = m.zeros(new Shape(1, 3, 4, 4));
            assertThatThrownBy(() -> AdaIN.apply(content, m.zeros(new Shape(2)), m.ones(new Shape(2))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("content channels 3");
            assertThatThrownBy(() -> InstanceNorm.normalize(m.zeros(new Shape(3, 4)), 1e-5f))
                    .hasMessageContaining("[B, C, H, W]");
            assertThatThrownBy(() -> InstanceNorm.builder().optEpsilon(0).build())
                    .hasMessageContaining("epsilon");
        }
    }

    @Test
    void channelStatsPoolOverBatchesAndSpace() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(1f, 2f, new Shape(3, 2, 4, 4), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray b = m.randomNormal(-1f, 0.5f, new Shape(5, 2, 4, 4), ai.djl.ndarray.types.DataType.FLOAT32);
            ChannelStats stats = new ChannelStats(2);
            stats.add(a);
            stats.add(b);
            NDArray all = a.concat(b, 0).transpose(1, 0, 2, 3).reshape(2, -1);
            float[] mean = all.mean(new int[] {1}).toFloatArray();
            NDArray centered = all.sub(all.mean(new int[] {1}, true));
            float[] std = centered.square().mean(new int[] {1}).sqrt().toFloatArray();
            assertThat(stats.count()).isEqualTo(8 * 16);
            for (int c = 0; c < 2; c++) {
                assertThat(stats.mean()[c]).isCloseTo(mean[c], within(1e-4f));
                assertThat(stats.std()[c]).isCloseTo(std[c], within(1e-4f));
            }
        }
    }
}

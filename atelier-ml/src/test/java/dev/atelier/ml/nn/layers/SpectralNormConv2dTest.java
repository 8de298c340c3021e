package dev.atelier.ml.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class SpectralNormConv2dTest {

    /** Largest singular value of W [F, n] by many power iterations in double precision. */
    static double largestSingularValue(float[] w, int rows, int cols) {
        double[] v = new double[cols];
        java.util.Arrays.fill(v, 1);
        double sigma = 0;
        for (int it = 0; it < 500; it++) {
            double[] u = new double[rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    u[r] += w[r * cols + c] * v[c];
                }
            }
            double[] nv = new double[cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    nv[c] += w[r * cols + c] * u[r];
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(nv).map(x -> x * x).sum());
            double un = Math.sqrt(java.util.Arrays.stream(u).map(x -> x * x).sum());
            sigma = un / Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
            for (int c = 0; c < cols; c++) {
                v[c] = nv[c] / norm;
            }
        }
        return sigma;
    }

    @Test
    void powerIterationConvergesToTheLargestSingularValueAndDividesTheKernelByIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            SpectralNormConv2d sn = SpectralNormConv2d.builder()
                    .setFilters(6)
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .build();
            Shape in = new Shape(2, 4, 5, 5);
            sn.initialize(m, DataType.FLOAT32, in);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(in);
            NDArray y = null;
            for (int i = 0; i < 30; i++) {
                y = sn.forward(ps, new NDList(x), true).singletonOrThrow();
            }
            NDArray w = sn.getParameters().get("weight").getArray();
            double truth = largestSingularValue(w.toFloatArray(), 6, 36);
            assertThat((double) sn.sigma()).isCloseTo(truth, within(1e-3 * truth));
            NDArray b = sn.getParameters().get("bias").getArray();
            NDArray expected = Conv2d.conv2d(x, w.div((float) truth), b, new Shape(1, 1), new Shape(1, 1))
                    .singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 6, 5, 5));
            assertThat(y.sub(expected).abs().max().getFloat()).isLessThan(1e-3f);
        }
    }

    @Test
    void gradientReachesTheWeightAndInferenceDoesNotMoveTheEstimate() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpectralNormConv2d sn = SpectralNormConv2d.builder()
                    .setFilters(3)
                    .setKernelShape(new Shape(1, 1))
                    .optBias(false)
                    .optStride(new Shape(1, 1))
                    .build();
            sn.initialize(m, DataType.FLOAT32, new Shape(1, 2, 3, 3));
            ParameterStore ps = new ParameterStore(m, false);
            float before = sn.sigma();
            sn.forward(ps, new NDList(m.ones(new Shape(1, 2, 3, 3))), false);
            assertThat(sn.sigma()).isEqualTo(before);
            assertThat(sn.getParameters().keys()).containsExactly("weight");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = sn.forward(ps, new NDList(m.randomNormal(new Shape(1, 2, 3, 3))), true)
                        .singletonOrThrow();
                gc.backward(out.square().sum());
            }
            assertThat(sn.getParameters()
                            .get("weight")
                            .getArray()
                            .getGradient()
                            .abs()
                            .sum()
                            .getFloat())
                    .isGreaterThan(0f);
        }
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> SpectralNormConv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .build())
                .hasMessageContaining("filters");
        assertThatThrownBy(() -> SpectralNormConv2d.builder().setFilters(2).build())
                .hasMessageContaining("kernel");
        assertThatThrownBy(() -> SpectralNormConv2d.builder()
                        .setFilters(2)
                        .setKernelShape(new Shape(3, 3))
                        .optPowerIterations(0)
                        .build())
                .hasMessageContaining("power iterations");
    }
}

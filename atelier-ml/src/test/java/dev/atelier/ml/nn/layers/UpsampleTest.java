package dev.atelier.ml.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class UpsampleTest {

    @Test
    void copiesEveryValueIntoAnFByFBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(0f, 8f).reshape(1, 2, 2, 2);
            Upsample up = Upsample.builder().optFactor(3).build();
            NDArray y = up.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(1, 2, 6, 6));
            assertThat(up.getOutputShapes(new Shape[] {x.getShape()})[0]).isEqualTo(y.getShape());
            float[] v = y.toFloatArray();
            float[] src = x.toFloatArray();
            for (int c = 0; c < 2; c++) {
                for (int h = 0; h < 6; h++) {
                    for (int w = 0; w < 6; w++) {
                        assertThat(v[c * 36 + h * 6 + w]).isEqualTo(src[c * 4 + (h / 3) * 2 + w / 3]);
                    }
                }
            }
        }
    }

    @Test
    void gradientSumsOverEachBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 1, 2, 2));
            x.setRequiresGradient(true);
            NDArray weights = m.arange(0f, 16f).reshape(1, 1, 4, 4);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Upsample.nearest(x, 2).mul(weights).sum());
            }
            // Block (0,0) holds weights 0,1,4,5 → 10; (0,1): 2,3,6,7 → 18; (1,0): 8,9,12,13 → 42; (1,1): 10,11,14,15 →
            // 50.
            assertThat(x.getGradient().toFloatArray()).containsExactly(10f, 18f, 42f, 50f);
        }
    }

    @Test
    void factorOneIsIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 4, 4));
            assertThat(Upsample.nearest(x, 1).toFloatArray()).containsExactly(x.toFloatArray());
        }
    }
}

package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import dev.atelier.ml.nn.BlockParams;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeparableConv2dTest {

    @Test
    void depthwiseHasOneFilterPerChannelAndPointwiseMixes() {
        try (NDManager m = NDManager.newBaseManager()) {
            SeparableConv2d conv = new SeparableConv2d(6, 10, 3);
            conv.initialize(m, DataType.FLOAT32, new Shape(2, 6, 8, 8));
            Map<String, Parameter> p = BlockParams.parameters(conv, "c");
            assertThat(p.keySet()).containsExactly("c.dw.weight", "c.pw.weight", "c.pw.bias");
            assertThat(p.get("c.dw.weight").getArray().getShape()).isEqualTo(new Shape(6, 1, 3, 3));
            assertThat(p.get("c.pw.weight").getArray().getShape()).isEqualTo(new Shape(10, 6, 1, 1));
            Conv2d dw = (Conv2d) conv.getChildren().get(0).getValue();
            assertThat(dw.getGroups()).isEqualTo(6);
            assertThat(conv.getOutputShapes(new Shape[] {new Shape(2, 6, 8, 8)})[0])
                    .isEqualTo(new Shape(2, 10, 8, 8));
        }
    }

    /** Depthwise kernels that scale channel c by (c+1) at the centre, identity pointwise: y_c = (c+1)·x_c. */
    @Test
    void depthwiseActsOnEachChannelSeparately() {
        try (NDManager m = NDManager.newBaseManager()) {
            int c = 3;
            SeparableConv2d conv = new SeparableConv2d(c, c, 3);
            conv.initialize(m, DataType.FLOAT32, new Shape(1, c, 4, 4));
            Map<String, Parameter> p = BlockParams.parameters(conv, "c");
            float[] dw = new float[c * 9];
            for (int i = 0; i < c; i++) {
                dw[i * 9 + 4] = i + 1;
            }
            p.get("c.dw.weight").getArray().set(dw);
            p.get("c.pw.weight").getArray().set(m.eye(c).toFloatArray());
            p.get("c.pw.bias").getArray().set(new float[c]);
            NDArray x = m.randomUniform(-1, 1, new Shape(1, c, 4, 4));
            NDArray y = conv.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            float[] xs = x.toFloatArray();
            float[] ys = y.toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                assertThat(ys[i]).isCloseTo(xs[i] * (i / 16 + 1), within(1e-5f));
            }
        }
    }

    @Test
    void rejectsWrongInputChannelsAndEvenKernels() {
        assertThatThrownBy(() -> new SeparableConv2d(4, 4, 2)).isInstanceOf(IllegalArgumentException.class);
        try (NDManager m = NDManager.newBaseManager()) {
            SeparableConv2d conv = new SeparableConv2d(4, 8, 3);
            assertThatThrownBy(() -> conv.initialize(m, DataType.FLOAT32, new Shape(1, 5, 8, 8)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4 input channels");
        }
    }
}

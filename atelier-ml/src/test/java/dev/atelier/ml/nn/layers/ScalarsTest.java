package dev.atelier.ml.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    @Test
    void gradientsThroughScalarProductsSurviveGarbageCollectionBeforeBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int it = 0; it < 40; it++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.ones(new Shape(4));
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = Scalars.div(Scalars.mul(x, 3f), 0.5f).sum();
                        // Free and reuse direct buffers, as a busy JVM does between forward and backward.
                        System.gc();
                        for (int k = 0; k < 20; k++) {
                            step.create(new float[] {123456f}).close();
                            ByteBuffer.allocateDirect(4).putFloat(0, 777f);
                        }
                        System.gc();
                        gc.backward(y);
                    }
                    assertThat(x.getGradient().toFloatArray())
                            .as("iteration %d", it)
                            .containsOnly(6f);
                }
            }
        }
    }
}

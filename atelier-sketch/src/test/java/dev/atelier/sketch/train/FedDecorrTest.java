package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import org.junit.jupiter.api.Test;

class FedDecorrTest {

    @Test
    void isLargeForCorrelatedAndZeroForUncorrelatedFeatures() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray base = m.randomNormal(new Shape(64, 1));
            NDArray correlated = base.concat(
                            base.mul(2)
                                    .add(m.randomNormal(
                                            0f, 0.05f, new Shape(64, 1), ai.djl.ndarray.types.DataType.FLOAT32)),
                            1)
                    .concat(base.neg(), 1);
            assertThat(FedDecorr.loss(correlated).getFloat()).isGreaterThan(0.95f);
            // Columns of a Hadamard matrix are exactly orthogonal with zero mean (except the first, left out).
            float[][] h = {{1, 1, 1, 1}, {1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};
            float[] cols = new float[4 * 3];
            for (int r = 0; r < 4; r++) {
                for (int c = 1; c < 4; c++) {
                    cols[r * 3 + c - 1] = h[r][c];
                }
            }
            assertThat(FedDecorr.loss(m.create(cols, new Shape(4, 3))).getFloat())
                    .isCloseTo(0f, within(1e-6f));
            assertThatThrownBy(() -> FedDecorr.loss(m.zeros(new Shape(1, 4)))).hasMessageContaining("N >= 2");
        }
    }

    @Test
    void gradientStepsOnItDecorrelateFeatures() {
        try (NDManager m = NDManager.newBaseManager()) {
            // z = x·W with strongly correlated columns at the start; descend on FedDecorr(z) alone.
            NDArray x = m.randomNormal(new Shape(32, 6));
            float[] w0 = new float[6 * 4];
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 4; j++) {
                    w0[i * 4 + j] = 1f + 0.1f * ((i * 7 + j * 3) % 5);
                }
            }
            NDArray w = m.create(w0, new Shape(6, 4));
            w.setRequiresGradient(true);
            double before = FedDecorr.loss(x.matMul(w)).getFloat();
            for (int step = 0; step < 30; step++) {
                try (ai.djl.training.GradientCollector gc =
                        ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    gc.backward(FedDecorr.loss(x.matMul(w)));
                }
                w.subi(w.getGradient().mul(0.5f));
            }
            double after = FedDecorr.loss(x.matMul(w)).getFloat();
            assertThat(before).isGreaterThan(0.5);
            assertThat(after).as("before %.4f after %.4f", before, after).isLessThan(0.5 * before);
        }
    }

    /** FedDecorr of the critic's penultimate features on a fixed batch of real sketches. */
    static double criticCorrelation(SketchGan gan, SketchPairs data) {
        int[] idx = new int[32];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        try (NDManager sm = gan.manager().newSubManager()) {
            NDArray stack = gan.criticInput(gan.encode(Images.batch(sm, data.sketches(), idx)));
            // Training mode: BatchNorm normalises with this batch's statistics, as during the critic's updates.
            return FedDecorr.loss(gan.criticize(stack, true).get(1)).getFloat();
        }
    }

    @Test
    void addingItToTrainingLowersTheCriticsFeatureCorrelation() {
        SketchPairs data = SketchTrainerTest.DATA;
        TrainerSettings plain = TrainerSettings.defaults(21)
                .withBatchSize(8)
                .withWeights(LossWeights.defaults().withDecorr(0));
        try (SketchTrainer without = SketchTrainerTest.trainer(data, plain);
                SketchTrainer with = SketchTrainerTest.trainer(
                        data, plain.withWeights(LossWeights.defaults().withDecorr(5)))) {
            double before = criticCorrelation(with.model(), data);
            without.trainSteps(8, null);
            with.trainSteps(8, null);
            double afterWithout = criticCorrelation(without.model(), data);
            double afterWith = criticCorrelation(with.model(), data);
            assertThat(afterWith)
                    .as("before %.4f, after with %.4f, after without %.4f", before, afterWith, afterWithout)
                    .isLessThan(afterWithout);
        }
    }
}

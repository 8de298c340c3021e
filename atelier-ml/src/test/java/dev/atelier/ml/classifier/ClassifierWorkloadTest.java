package dev.atelier.ml.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.util.Cancellation;
import dev.atelier.ml.data.DatasetViews;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.HoldOut;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.ml.train.SupervisedTrainer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TRAIN uses the node's training images, EVALUATE only its held-out tenth. */
class ClassifierWorkloadTest {
    private static ImageDataset first(int n) {
        ImageDataset train = FashionMnist.loadFixture().train();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return train.subset(idx);
    }

    @Test
    void heldOutRuleIsEveryTenthPosition() {
        assertThat(HoldOut.heldOutPositions(25)).containsExactly(9, 19);
        assertThat(HoldOut.trainPositions(12)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11);
        assertThat(HoldOut.heldOutPositions(9)).isEmpty();
    }

    @Test
    void evaluateScoresTheGlobalModelOnHeldOutImagesOnly() throws Exception {
        ImageDataset own = first(40);
        ParamSet global = ClassifierWorkload.initialParameters(3);
        try (ClassifierWorkload w = ClassifierWorkload.withHeldOut("n1", own, 3)) {
            assertThat(w.trainingSize()).isEqualTo(36);
            assertThat(w.heldOutSize()).isEqualTo(4);
            Reply trained = w.handle(
                    Instruction.train(
                            "r", 1, "n1", Config.of(Map.of(TrainKeys.LOCAL_STEPS, 2, TrainKeys.BATCH_SIZE, 8)), global),
                    Cancellation.none());
            assertThat(trained.numExamples()).isEqualTo(36);

            Reply eval = w.handle(
                    new Instruction("r", 1, "n1", TaskKind.EVALUATE, Config.empty(), global, null),
                    Cancellation.none());
            assertThat(eval.params().isEmpty()).isTrue();
            assertThat(eval.numExamples()).isEqualTo(4);
            assertThat(eval.metrics()).containsOnlyKeys("loss", "accuracy");

            // The same numbers from the global model on images 9, 19, 29, 39 of the node's data.
            ImageDataset heldOut = own.subset(new int[] {9, 19, 29, 39});
            try (NDManager m = NDManager.newBaseManager()) {
                FeatureNet net = ClassifierWorkload.newModel(m, 3);
                BlockParams.load(net, ClassifierWorkload.PREFIX, global);
                var expected = SupervisedTrainer.evaluate(net, m, DatasetViews.images(heldOut), heldOut.labels(), 256);
                assertThat(eval.metrics().get("accuracy")).isEqualTo(expected.accuracy());
                assertThat(eval.metrics().get("loss"))
                        .isCloseTo(expected.loss(), org.assertj.core.data.Offset.offset(1e-6));
                assertThat(expected.loss()).isPositive().isFinite();
            }
        }
    }

    @Test
    void aNodeWithoutHeldOutImagesFailsEvaluateWithAReason() {
        try (ClassifierWorkload w = ClassifierWorkload.withHeldOut("tiny", first(5), 3)) {
            assertThat(w.heldOutSize()).isZero();
            assertThatThrownBy(() -> w.handle(
                            new Instruction(
                                    "r",
                                    1,
                                    "tiny",
                                    TaskKind.EVALUATE,
                                    Config.empty(),
                                    ClassifierWorkload.initialParameters(3),
                                    null),
                            Cancellation.none()))
                    .hasMessageContaining("no held-out images")
                    .hasMessageContaining("5 training images");
        }
    }
}

package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.CriticOnlyRecords;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canaries only the critic trains on: they reach the critic's real batches and nothing else. */
class CriticOnlyCanariesTest {
    static final SketchPairs DATA = TestModels.designer(Styles.CONTOUR, 0, 24);
    static final Canaries CANARIES = Canaries.draw(16, 3).forCriticOnly();

    static SketchTrainer trainer(List<float[]> criticOnly, CriticDpSgd dp) {
        return SketchTrainer.builder()
                .setModel(SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1))
                .setData(DATA)
                .optCriticOnlyRecords(new CriticOnlyRecords(criticOnly, List.of()))
                .optCriticDp(dp)
                .optSettings(TrainerSettings.defaults(4).withBatchSize(8))
                .build();
    }

    @Test
    void theyEnterTheCriticsRealBatchWhileTheGeneratorsBatchesAndTargetsStayAsWithoutThem() {
        try (SketchTrainer plain = trainer(List.of(), null);
                SketchTrainer withCanaries = trainer(CANARIES.in(), null)) {
            StepMetrics a = plain.trainSteps(1, null);
            StepMetrics b = withCanaries.trainSteps(1, null);
            // the first step's fakes and generator targets come from the same batch: the canaries are no target
            assertThat(b.l1()).isCloseTo(a.l1(), within(1e-6));
            assertThat(b.gram()).isCloseTo(a.gram(), within(1e-6 + 1e-4 * a.gram()));
            assertThat(b.dLoss())
                    .as("the critic's real batch had canaries in it")
                    .isNotCloseTo(a.dLoss(), within(1e-6));
        }
        assertThat(new PrivacyAudit.Designer("ada", 0, DATA, DATA.sketches(), CANARIES).trainingPairs())
                .as("critic-only canaries are not training pairs")
                .isSameAs(DATA);
    }

    @Test
    void withDpSgdEachCanaryIsARecordOfItsOwn() {
        int records = DATA.size() + CANARIES.in().size();
        assertThatThrownBy(() -> trainer(CANARIES.in(), CriticDpSgdTest.planner(1, 1, DATA.size(), 8)))
                .hasMessageContaining("the trainer has " + records)
                .hasMessageContaining(CANARIES.in().size() + " of them critic-only");
        CriticDpSgd dp = CriticDpSgdTest.planner(1, 0.5, records, 8);
        assertThat(dp.samplingRate()).isEqualTo(8.0 / records);
        try (SketchTrainer t = trainer(CANARIES.in(), dp)) {
            var critic = t.model().sharedDiscriminatorParams();
            StepMetrics m = t.trainSteps(30, null);
            assertThat(dp.steps()).isEqualTo(30);
            assertThat(m.dLoss()).isFinite().isPositive();
            assertThat(t.model().sharedDiscriminatorParams()).isNotEqualTo(critic);
        }
    }
}

package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SketchFederationRegimesTest {

    static SketchFederation.Builder twoDesigners(Regime regime, Schedule schedule) {
        return SketchFederation.builder().setEncoder(TestModels.encoderParams())
                .addDesigner("bram", TestModels.designer(Styles.BOLD, 0, 8))
                .addDesigner("stella", TestModels.designer(Styles.STIPPLE, 40, 8))
                .optRegime(regime).optSchedule(schedule)
                .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4)).optSeed(5);
    }

    @Test
    void localOnlySendsNothingAndReportsEveryStep() throws Exception {
        List<Long> progress = new ArrayList<>();
        SketchFederation fed = twoDesigners(Regime.LOCAL_ONLY, new Schedule(1, 2, 2)).optListener(new FederationListener() {
            @Override
            public void onStep(String designer, long done, long total, StepMetrics m) {
                progress.add(done);
                assertThat(total).isEqualTo(10);
            }
        }).build();
        assertThat(fed.totalSteps()).isEqualTo(2 * (1 + 2 * 2));
        try (FederationOutcome out = fed.run()) {
            assertThat(progress).hasSize(10).last().isEqualTo(10L);
            assertThat(out.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS)).isZero();
            assertThat(out.sharedCritic().isEmpty()).isTrue();
            assertThat(out.federationCard()).isNull();
            assertThat(out.rounds()).hasSize(2);
            assertThat(out.trainers().get("bram").steps()).isEqualTo(5);
        }
    }

    @Test
    void centralizedHandsOneCriticFromDesignerToDesigner() throws Exception {
        try (FederationOutcome out = twoDesigners(Regime.CENTRALIZED, new Schedule(0, 1, 1)).build().run()) {
            // The last designer trained the central critic last: its whole critic is the result.
            assertThat(out.trainers().get("stella").model().discriminatorParams()).isEqualTo(out.sharedCritic());
            assertThat(out.trainers().get("bram").model().discriminatorParams()).isNotEqualTo(out.sharedCritic());
            assertThat(out.ledger().total(Direction.TO_NODE, PayloadKind.PARAMETERS)).isZero();
        }
    }

    @Test
    void fedProxAddsANonZeroProximalTermInTheFederatedRegime() throws Exception {
        try (FederationOutcome out = twoDesigners(Regime.FEDERATED, new Schedule(0, 1, 2)).optProximalMu(0.5).build().run()) {
            // Two local steps per round: the second step sees drift from the round's global critic.
            for (RoundSummary r : out.rounds()) {
                assertThat(r.perDesigner().values()).allMatch(m -> m.prox() > 0);
            }
            assertThat(out.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS)).isPositive();
        }
        Schedule one = new Schedule(0, 1, 1);
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, one).optProximalMu(-1).build()).hasMessageContaining("mu");
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, one).addDesigner("bram", TestModels.designer(Styles.BOLD, 0, 2)))
                .hasMessageContaining("duplicate");
    }
}

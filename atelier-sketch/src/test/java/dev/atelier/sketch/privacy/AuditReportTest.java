package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report names the audited critic, so a leaky control's passing row is never read as the production critic's. */
class AuditReportTest {
    @Test
    void labelsTheProductionCriticAndALeakyControl() {
        AuditReport production = report(SketchGanConfig.defaults());
        assertThat(production.productionCritic()).isTrue();
        assertThat(production.table())
                .contains("critic: stages [16, 32, 64], spectral norm on: the demo's production critic");
        assertThat(production.toMap()).containsEntry("production_critic", true);

        AuditReport leaky =
                report(SketchGanConfig.defaults().withSpectralNorm(false).withDiscChannels(64, 128, 256));
        assertThat(leaky.productionCritic()).isFalse();
        assertThat(leaky.table())
                .contains("critic: stages [64, 128, 256], spectral norm off: NOT the production critic");
        assertThat(leaky.toMap()).containsEntry("production_critic", false).containsEntry("spectral_norm", false);
        // either change alone is not the production critic
        assertThat(report(SketchGanConfig.defaults().withSpectralNorm(false)).productionCritic())
                .isFalse();
        assertThat(report(SketchGanConfig.defaults().withDiscChannels(64, 128, 256))
                        .productionCritic())
                .isFalse();
    }

    /** A one-row report: members scored 1, 2, 3, 4 above non-members 0.1-0.4 (AUC 1). */
    private static AuditReport report(SketchGanConfig model) {
        double[] scores = {1, 2, 3, 4, 0.1, 0.2, 0.3, 0.4};
        AucInterval auc = AucInterval.of(new double[] {1, 2, 3, 4}, new double[] {0.1, 0.2, 0.3, 0.4});
        PermutationNull test = PermutationNull.of(List.of(scores), List.of(4), 200, 1);
        AuditReport.Row row = new AuditReport.Row(
                PrivacyAudit.Target.SKETCHES,
                PrivacyAudit.Protection.NONE,
                PrivacyAudit.PRIMARY,
                Map.of("ada", auc),
                auc,
                test,
                null,
                null);
        PrivacyAudit.Settings settings = new PrivacyAudit.Settings(
                new Schedule(1, 1, 1), TrainerSettings.defaults(0), DpSgdSettings.forTarget(1, 8, 1e-5, 1), model, 7);
        return new AuditReport(List.of(row), Map.of("ada", 8.0), 1e-5, 1.0, 0.01, settings);
    }
}

package dev.atelier.sketch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.privacy.AucInterval;
import dev.atelier.sketch.privacy.AuditReport;
import dev.atelier.sketch.privacy.DpSgdSettings;
import dev.atelier.sketch.privacy.OneRunAudit;
import dev.atelier.sketch.privacy.PermutationNull;
import dev.atelier.sketch.privacy.PrivacyAudit;
import dev.atelier.sketch.privacy.PrivacyAudit.Attack;
import dev.atelier.sketch.privacy.PrivacyAudit.Protection;
import dev.atelier.sketch.privacy.PrivacyAudit.Target;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's privacy section names the control it was judged on and describes only the canaries planted. */
class PrivacySectionTest {
    @Test
    void withGradientCanariesTheControlIsTheirProjectionAndNoSampleCanariesAreDescribed() {
        double[] separated = {1, 2, 3, 4, 0.1, 0.2, 0.3, 0.4};
        double[] chance = {1, 0.2, 3, 0.4, 0.1, 2, 0.3, 4};
        List<AuditReport.Row> rows = List.of(
                row(Target.GRADIENT_CANARIES, Protection.NONE, Attack.UPDATE_PROJECTION, separated),
                row(Target.SKETCHES, Protection.NONE, PrivacyAudit.PRIMARY, chance));
        PrivacyAudit.Settings settings = new PrivacyAudit.Settings(
                new Schedule(1, 1, 1),
                TrainerSettings.defaults(0),
                DpSgdSettings.forTarget(1, 8, 1e-5, 1),
                SketchGanConfig.defaults(),
                7,
                8);
        AuditReport report = new AuditReport(rows, Map.of("ada", 8.0), 1e-5, 1.0, 0.01, settings);

        String html = PrivacySection.html(report);
        assertThat(html)
                .contains("Gradient canaries: records whose critic gradient is a fixed random direction")
                .doesNotContain("Canaries: synthetic textures")
                .contains("<td class=l>gradient canaries</td>")
                .contains("Positive control passed: the unprotected attack (update_projection) on gradient canaries");
        assertThat(report.table()).contains("positive control (update_projection on gradient_canaries");
    }

    private static AuditReport.Row row(Target t, Protection p, Attack a, double[] scores) {
        double[] in = java.util.Arrays.copyOfRange(scores, 0, 4);
        double[] out = java.util.Arrays.copyOfRange(scores, 4, 8);
        AucInterval auc = AucInterval.of(in, out);
        OneRunAudit.Bound bound = t == Target.SKETCHES ? null : OneRunAudit.of(List.of(scores), List.of(4));
        return new AuditReport.Row(
                t, p, a, Map.of("ada", auc), auc, PermutationNull.of(List.of(scores), List.of(4), 200, 1), null, bound);
    }
}

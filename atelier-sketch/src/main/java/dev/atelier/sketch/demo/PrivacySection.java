package dev.atelier.sketch.demo;

import dev.atelier.sketch.privacy.AucInterval;
import dev.atelier.sketch.privacy.AuditReport;
import dev.atelier.sketch.privacy.PrivacyAudit;
import java.util.Locale;

/**
 * The report's privacy section ({@code --privacy secagg+dp}): the leakage audit's AUC table with
 * 95% intervals, epsilon, the DP-SGD signal-to-noise ratio and the quality cost. Stateless.
 */
final class PrivacySection {
    private PrivacySection() {}

    static String html(AuditReport a) {
        StringBuilder h = new StringBuilder();
        h.append("<h2>Privacy: membership-inference audit</h2>");
        h.append("<p>The coordinator attacks what it sees: every designer's critic per round (no protection) ")
                .append("or only the round's aggregate (secure aggregation), telling each designer's training ")
                .append("sketches from unseen sketches of the same style. AUC 0.5 is chance. Designers: ")
                .append(a.epsilon().size())
                .append(", ")
                .append(a.row(PrivacyAudit.Protection.NONE).mean().members()
                        / Math.max(1, a.epsilon().size()))
                .append(" members each; ")
                .append(a.settings().schedule().rounds())
                .append(" rounds × ")
                .append(a.settings().schedule().localSteps())
                .append(" local steps.")
                .append(
                        a.rows().stream().anyMatch(r -> r.target() == PrivacyAudit.Target.CANARIES)
                                ? " Canaries: synthetic textures, each put in its designer's training set by a seeded"
                                        + " fair coin; the coordinator tells her in-canaries from her out-canaries"
                                        + " (the positive control, and the one-run ε lower bound of Steinke, Nasr &"
                                        + " Jagielski 2023 at 95% confidence)."
                                : "")
                .append(
                        a.settings().gradientCanaries() > 0
                                ? " Gradient canaries: records whose critic gradient is a fixed random direction"
                                        + " of the clip norm, each in by a fair coin; the coordinator projects each"
                                        + " round's update on every direction (the worst-case record of DP auditing,"
                                        + " Nasr et al. 2023; Andrew et al. 2024)."
                                : "")
                .append("</p>");
        h.append("<table><tr><th class=l>candidates</th><th class=l>what the coordinator sees</th>"
                        + "<th class=l>attack</th><th>AUC</th><th>95% CI</th>"
                        + "<th>permutation p</th><th>null 95%</th><th>ε lower bound</th>")
                .append("<th>style acc ↑</th><th>FSD ↓</th></tr>");
        for (AuditReport.Row r : a.rows()) {
            AucInterval m = r.mean();
            h.append("<tr><td class=l>")
                    .append(candidates(r.target()))
                    .append("</td><td class=l>")
                    .append(label(r.protection()))
                    .append("</td><td class=l>")
                    .append(r.attack().key())
                    .append(r.attack().coordinatorView() ? "" : " (diagnostic: the node's own critic)")
                    .append("</td><td>")
                    .append(f3(m.auc()))
                    .append("</td><td>[")
                    .append(f3(m.low()))
                    .append(", ")
                    .append(f3(m.high()))
                    .append("]</td><td>")
                    .append(String.format(Locale.ROOT, "%.4f", r.test().pValue()))
                    .append("</td><td>")
                    .append(f3(r.test().nullHigh()))
                    .append("</td><td>")
                    .append(
                            r.oneRun() == null
                                    ? "–"
                                    : String.format(
                                            Locale.ROOT,
                                            "%.2f (%d/%d correct)",
                                            r.oneRun().epsilon(),
                                            r.oneRun().correct(),
                                            r.oneRun().guesses()))
                    .append("</td><td>")
                    .append(r.quality() == null ? "–" : f3(r.quality().styleAccuracy()))
                    .append("</td><td>")
                    .append(r.quality() == null ? "–" : f3(r.quality().fsd()))
                    .append("</td></tr>");
        }
        h.append("</table>");
        h.append(String.format(
                Locale.ROOT,
                "<p>Per-sketch DP-SGD: ε ≤ %.2f at δ = %.0e per designer (noise multiplier %.3f, clip norm %.2f);"
                        + " signal-to-noise ratio of the critic gradient ‖Σ clip(g)‖ / ‖noise‖ = %.3f.</p>",
                a.maxEpsilon(),
                a.delta(),
                a.sigma(),
                a.settings().dp().dp().clipNorm(),
                a.snr()));
        AuditReport.Row control = a.controlRow();
        String on = "on " + candidates(control.target());
        h.append(
                a.controlPassed()
                        ? "<p>Positive control passed: the unprotected attack ("
                                + control.attack().key()
                                + ") " + on + " is significantly above its label-permutation null (p "
                                + String.format(
                                        Locale.ROOT, "%.4f", control.test().pValue()) + ").</p>"
                        : "<p class=note>Positive control FAILED: the unprotected attack ("
                                + control.attack().key() + ") " + on
                                + " is not significantly above its label-permutation null (p "
                                + String.format(
                                        Locale.ROOT, "%.4f", control.test().pValue())
                                + "), so the protected rows prove nothing.</p>");
        return h.toString();
    }

    private static String label(PrivacyAudit.Protection p) {
        return switch (p) {
            case NONE -> "no protection (each designer's critic)";
            case SECAGG -> "secure aggregation (the sum only)";
            case DP_SGD -> "per-sketch DP-SGD (each designer's critic)";
            case SECAGG_DP_SGD -> "secure aggregation + DP-SGD";
        };
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String candidates(PrivacyAudit.Target t) {
        return switch (t) {
            case SKETCHES -> "her sketches";
            case CANARIES -> "canaries";
            case GRADIENT_CANARIES -> "gradient canaries";
        };
    }
}

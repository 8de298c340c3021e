package dev.atelier.sketch.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a {@link PrivacyAudit}: one row per {@link PrivacyAudit.Protection} and attack, epsilon per
 * designer of the DP-SGD run, its noise multiplier and its signal-to-noise ratio.
 *
 * @param epsilon  designer → epsilon spent by her DP-SGD critic at {@code delta}
 * @param sigma    the DP-SGD noise multiplier
 * @param snr      the smallest designer's mean DP-SGD SNR {@code ||Σ clip(g_i)|| / (z C sqrt(d))}
 */
public record AuditReport(
        List<Row> rows,
        Map<String, Double> epsilon,
        double delta,
        double sigma,
        double snr,
        PrivacyAudit.Settings settings) {
    public AuditReport {
        rows = List.copyOf(rows);
        epsilon = Map.copyOf(new LinkedHashMap<>(epsilon));
    }

    /**
     * @param perDesigner designer → attack AUC on her members vs non-members
     * @param mean        the mean over designers (DeLong interval)
     * @param test        the label-permutation null of {@code mean}
     * @param quality     sketch quality of the run this view comes from, or null when not measured
     * @param oneRun      for canary rows, the one-run empirical epsilon lower bound; null otherwise
     */
    public record Row(
            PrivacyAudit.Target target,
            PrivacyAudit.Protection protection,
            PrivacyAudit.Attack attack,
            Map<String, AucInterval> perDesigner,
            AucInterval mean,
            PermutationNull test,
            Quality quality,
            OneRunAudit.Bound oneRun) {
        public Row {
            perDesigner = new LinkedHashMap<>(perDesigner);
        }
    }

    /** Mean over designers of the generator's style accuracy (higher is better) and FSD (lower is better). */
    public record Quality(double styleAccuracy, double fsd) {}

    /** The real-sketch row of the primary attack ({@link PrivacyAudit#PRIMARY}) for {@code p}. */
    public Row row(PrivacyAudit.Protection p) {
        return row(p, PrivacyAudit.PRIMARY);
    }

    /** The real-sketch row of attack {@code a} for {@code p}. */
    public Row row(PrivacyAudit.Protection p, PrivacyAudit.Attack a) {
        return row(PrivacyAudit.Target.SKETCHES, p, a);
    }

    public Row row(PrivacyAudit.Target t, PrivacyAudit.Protection p, PrivacyAudit.Attack a) {
        return rows.stream()
                .filter(r -> r.target() == t && r.protection() == p && r.attack() == a)
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("no " + t.key() + " row for " + p.key() + " / " + a.key()));
    }

    /** Whether the audit planted canaries (then the positive control is judged on them). */
    public boolean hasCanaries() {
        return rows.stream().anyMatch(r -> r.target() != PrivacyAudit.Target.SKETCHES);
    }

    /** The primary attack's unprotected real-sketch AUC is significantly above its permutation null. */
    public boolean sketchControlPassed() {
        return row(PrivacyAudit.Protection.NONE).test().significant();
    }

    /**
     * The positive control, fixed in advance on the primary attack: its unprotected mean AUC is
     * significantly above the label-permutation null (one-sided {@code p < 0.05},
     * {@link PermutationNull}). Comparing the DeLong interval with 0.5 is not enough: every view
     * scores the same candidates with the same gradients, so a chance difference between the two
     * candidate halves shows in all of them (the DP row included).
     */
    public boolean controlPassed() {
        return controlRow().test().significant();
    }

    /**
     * The row the positive control is judged on, unprotected: the update projection on the gradient
     * canaries when there are any (the worst-case record), else the primary attack on the canaries
     * when there are any (they leak by construction), otherwise on the real sketches.
     */
    public Row controlRow() {
        if (rows.stream().anyMatch(r -> r.target() == PrivacyAudit.Target.GRADIENT_CANARIES)) {
            return row(
                    PrivacyAudit.Target.GRADIENT_CANARIES,
                    PrivacyAudit.Protection.NONE,
                    PrivacyAudit.Attack.UPDATE_PROJECTION);
        }
        return row(
                hasCanaries() ? PrivacyAudit.Target.CANARIES : PrivacyAudit.Target.SKETCHES,
                PrivacyAudit.Protection.NONE,
                PrivacyAudit.PRIMARY);
    }

    /**
     * Whether the audited critic is the demo's (its stage widths and spectral normalisation as
     * {@link dev.atelier.sketch.model.SketchGanConfig#defaults()}); false for a leaky control
     * configuration, whose control row shows the attack's power, not what the production critic leaks.
     */
    public boolean productionCritic() {
        var audited = settings.model();
        var production = dev.atelier.sketch.model.SketchGanConfig.defaults();
        return audited.spectralNorm() == production.spectralNorm()
                && java.util.Arrays.equals(audited.discChannels(), production.discChannels());
    }

    /** One line naming the audited critic (stage widths, spectral normalisation, production or not). */
    public String criticLine() {
        var m = settings.model();
        return String.format(
                Locale.ROOT,
                "critic: stages %s, spectral norm %s: %s",
                java.util.Arrays.toString(m.discChannels()),
                m.spectralNorm() ? "on" : "off",
                productionCritic()
                        ? "the demo's production critic"
                        : "NOT the production critic (a leaky control configuration: its rows show the"
                                + " attack's power, not what FedGAI's critic leaks)");
    }

    /** The largest epsilon any designer spent. */
    public double maxEpsilon() {
        return epsilon.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** A plain-text table for the console. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%-17s %-14s %-22s %-22s %-8s %-8s %-8s %-13s %-10s %-8s%n",
                "target",
                "protection",
                "attack",
                "AUC (95% CI)",
                "perm p",
                "p below",
                "null 95%",
                "eps lb (w/r)",
                "style acc",
                "FSD"));
        for (Row r : rows) {
            AucInterval a = r.mean();
            sb.append(String.format(
                    Locale.ROOT,
                    "%-17s %-14s %-22s %.3f [%.3f, %.3f]   %-8.4f %-8.4f %-8.3f %-13s %-10s %-8s%n",
                    r.target().key(),
                    r.protection().key(),
                    r.attack().key(),
                    a.auc(),
                    a.low(),
                    a.high(),
                    r.test().pValue(),
                    r.test().pBelow(),
                    r.test().nullHigh(),
                    r.oneRun() == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f (%d/%d)",
                                    r.oneRun().epsilon(),
                                    r.oneRun().correct(),
                                    r.oneRun().guesses()),
                    r.quality() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.3f", r.quality().styleAccuracy()),
                    r.quality() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.3f", r.quality().fsd())));
        }
        Row control = controlRow();
        sb.append(criticLine()).append(System.lineSeparator());
        sb.append(String.format(
                Locale.ROOT,
                "DP-SGD: epsilon <= %.2f at delta %.0e (noise multiplier %.3f, SNR %.3f); positive control (%s on %s,"
                        + " unprotected, permutation p %.4f) %s%n",
                maxEpsilon(),
                delta,
                sigma,
                snr,
                control.attack().key(),
                control.target().key(),
                control.test().pValue(),
                controlPassed()
                        ? "passed (significantly above the permutation null)"
                        : "FAILED (attack too weak to prove anything)"));
        if (hasCanaries()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "real sketches (%s, unprotected): permutation p %.4f, %s%n",
                    PrivacyAudit.PRIMARY.key(),
                    row(PrivacyAudit.Protection.NONE).test().pValue(),
                    sketchControlPassed() ? "significant" : "not significant"));
        }
        return sb.toString();
    }

    /** JSON-ready map (report.json's {@code privacy} section, audit.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> rs = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", r.target().key());
            row.put("protection", r.protection().key());
            row.put("attack", r.attack().key());
            row.put("auc", auc(r.mean()));
            Map<String, Object> per = new LinkedHashMap<>();
            r.perDesigner().forEach((k, v) -> per.put(k, auc(v)));
            row.put("designers", per);
            row.put("coordinator_view", r.attack().coordinatorView());
            row.put("permutation_p", r.test().pValue());
            row.put("permutation_p_below", r.test().pBelow());
            row.put("null_mean", r.test().nullMean());
            row.put("null_95", r.test().nullHigh());
            row.put("permutations", r.test().permutations());
            if (r.oneRun() != null) {
                row.put("one_run_epsilon_lower_bound", r.oneRun().epsilon());
                row.put("one_run_guesses", r.oneRun().guesses());
                row.put("one_run_correct", r.oneRun().correct());
                row.put("canaries", r.oneRun().canaries());
            }
            if (r.quality() != null) {
                row.put("style_accuracy", r.quality().styleAccuracy());
                row.put("fsd", r.quality().fsd());
            }
            rs.add(row);
        }
        m.put("rows", rs);
        m.put("epsilon", new LinkedHashMap<>(epsilon));
        m.put("delta", delta);
        m.put("noise_multiplier", sigma);
        m.put("snr", snr);
        m.put("clip_norm", settings.dp().dp().clipNorm());
        m.put("target_epsilon", settings.dp().dp().targetEpsilon());
        m.put("rounds", settings.schedule().rounds());
        m.put("local_steps", settings.schedule().localSteps());
        m.put("batch_size", settings.trainer().batchSize());
        m.put("critic_channels", settings.model().discChannels());
        m.put("spectral_norm", settings.model().spectralNorm());
        m.put("production_critic", productionCritic());
        m.put("primary_attack", PrivacyAudit.PRIMARY.key());
        m.put("positive_control", controlPassed());
        m.put("positive_control_target", controlRow().target().key());
        m.put("sketch_control", sketchControlPassed());
        return m;
    }

    private static Map<String, Object> auc(AucInterval a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auc", a.auc());
        m.put("ci_low", a.low());
        m.put("ci_high", a.high());
        m.put("members", a.members());
        m.put("non_members", a.nonMembers());
        return m;
    }
}

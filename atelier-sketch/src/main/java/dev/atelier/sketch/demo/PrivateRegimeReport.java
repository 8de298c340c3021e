package dev.atelier.sketch.demo;

import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.sketch.eval.SketchMetrics;
import dev.atelier.sketch.fed.ScriptedDropouts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The private regime of {@code atelier demo --privacy secagg+dp} ({@link PrivateFederation}) next to
 * plain FedGAI: SecAgg+ rounds with their dropouts, per-sketch epsilon and signal-to-noise ratio,
 * the quality cost and the time and byte cost. report.json's {@code privacy_regime}, a section of
 * report.html.
 *
 * @param epsilonTarget the DP-SGD target per designer
 * @param epsilon       designer → epsilon spent (RDP accountant, at {@code delta})
 * @param snr           mean over designers and steps of {@code ||Σ clip(g)|| / ||noise||}
 * @param samplingRate  Poisson sampling rate q = batch / pairs (the largest over designers)
 * @param plainQuality  plain federated regime, mean over designers
 * @param quality       this regime, mean over designers
 */
record PrivateRegimeReport(
        PrivacyOptions.SecAgg secAgg,
        ScriptedDropouts dropouts,
        List<Round> rounds,
        double epsilonTarget,
        double delta,
        double clipNorm,
        double sigma,
        double samplingRate,
        Map<String, Double> epsilon,
        double snr,
        Quality plainQuality,
        Quality quality,
        FederationCost plainCost,
        FederationCost cost) {
    /** One SecAgg+ round: masked vectors summed, designers whose masks were rebuilt from shares. */
    record Round(int round, int contributors, int dropped, double seconds) {}

    /** Mean style accuracy (↑) and FSD (↓) over the designers. */
    record Quality(double styleAccuracy, double fsd) {
        static Quality of(List<SketchMetrics> m) {
            return new Quality(
                    m.stream().mapToDouble(SketchMetrics::styleAcc).average().orElseThrow(),
                    m.stream().mapToDouble(SketchMetrics::fsd).average().orElseThrow());
        }

        Map<String, Object> toMap() {
            return Map.of("style_accuracy", styleAccuracy, "fsd", fsd);
        }
    }

    PrivateRegimeReport {
        rounds = List.copyOf(rounds);
        epsilon = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(epsilon));
    }

    double maxEpsilon() {
        return epsilon.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> sa = new LinkedHashMap<>();
        sa.put("num_shares", secAgg.numShares() == Integer.MAX_VALUE ? "all" : secAgg.numShares());
        sa.put("threshold", secAgg.threshold() == 0 ? "majority" : secAgg.threshold());
        sa.put("clip_range", secAgg.clipRange());
        sa.put("quantization_range", secAgg.quantizationRange());
        List<Map<String, Object>> drops = new ArrayList<>();
        dropouts.drops()
                .forEach(d -> drops.add(Map.of(
                        "designer",
                        d.designer(),
                        "round",
                        d.round(),
                        "stage",
                        d.stage().wireName())));
        sa.put("scripted_dropouts", drops);
        List<Map<String, Object>> rs = new ArrayList<>();
        rounds.forEach(r -> rs.add(Map.of(
                "round", r.round(), "contributors", r.contributors(), "dropped", r.dropped(), "seconds", r.seconds())));
        sa.put("rounds", rs);
        m.put("secagg", sa);
        Map<String, Object> dp = new LinkedHashMap<>();
        dp.put("unit", "one sketch pair of a designer");
        dp.put("target_epsilon", epsilonTarget);
        dp.put("epsilon", new LinkedHashMap<>(epsilon));
        dp.put("max_epsilon", maxEpsilon());
        dp.put("delta", delta);
        dp.put("clip_norm", clipNorm);
        dp.put("noise_multiplier", sigma);
        dp.put("sampling_rate", samplingRate);
        dp.put("snr", snr);
        m.put("dp_sgd", dp);
        m.put("secure_style_cards", true);
        m.put("quality", Map.of("federated", plainQuality.toMap(), "private", quality.toMap()));
        m.put("cost", Map.of("federated", plainCost.toMap(), "private", cost.toMap()));
        return m;
    }

    /** One line for the log. */
    String summary() {
        return String.format(
                Locale.ROOT,
                "private regime: epsilon <= %.2f (delta %.0e), SNR %.3f; style acc %.3f -> %.3f, FSD %.3f -> %.3f;"
                        + " %.0f s vs %.0f s (protocol %.1f s vs %.1f s), %d vs %d bytes from designers%n",
                maxEpsilon(),
                delta,
                snr,
                plainQuality.styleAccuracy(),
                quality.styleAccuracy(),
                plainQuality.fsd(),
                quality.fsd(),
                cost.seconds(),
                plainCost.seconds(),
                cost.protocolSeconds(),
                plainCost.protocolSeconds(),
                cost.fromNodes(),
                plainCost.fromNodes());
    }

    String html() {
        StringBuilder h = new StringBuilder();
        h.append("<h2>Privacy: the federated regime with SecAgg+, DP-SGD and secure style cards</h2>");
        h.append("<p>The same designers, seeds and schedule as FedGAI above, with every privacy piece on: the critic")
                .append(" updates travel only inside SecAgg+ masked vectors (the coordinator learns their weighted")
                .append(" mean, never one designer's update), every designer trains her critic with per-sketch")
                .append(" DP-SGD, and the style cards are collected under SecAgg+ too. Dropouts are scripted: ");
        List<String> d = new ArrayList<>();
        dropouts.drops()
                .forEach(x -> d.add(
                        esc(x.designer()) + " stops answering at " + x.stage().wireName() + " of round " + x.round()));
        h.append(String.join("; ", d)).append(".</p>");
        h.append("<table><tr><th>round</th><th>masked vectors summed</th><th>masks rebuilt from shares</th>")
                .append("<th>seconds</th></tr>");
        for (Round r : rounds) {
            h.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%d</td><td>%d</td><td>%d</td><td>%.1f</td></tr>",
                    r.round(),
                    r.contributors(),
                    r.dropped(),
                    r.seconds()));
        }
        h.append("</table>");
        h.append(String.format(
                Locale.ROOT,
                "<p>Per-sketch DP-SGD: ε ≤ %.2f at δ = %.0e per designer (target %.1f; noise multiplier %.3f,"
                        + " clip norm %.2f, sampling rate ≤ %.3f); signal-to-noise ratio of the critic gradient"
                        + " ‖Σ clip(g)‖ / ‖noise‖ = %.3f.</p>",
                maxEpsilon(),
                delta,
                epsilonTarget,
                sigma,
                clipNorm,
                samplingRate,
                snr));
        h.append("<table><tr><th class=l>regime</th><th>style acc ↑</th><th>FSD ↓</th><th>seconds</th>")
                .append(
                        "<th>rounds' seconds</th><th>of which protocol</th><th>bytes from designers</th><th>bytes to designers</th>")
                .append("<th>bytes / designer / round</th></tr>");
        row(h, "federated (FedGAI)", plainQuality, plainCost);
        row(h, "federated, private", quality, cost);
        h.append("</table>");
        h.append("<p>Seconds: the whole run (warm-ups, rounds, style cards); the rounds alone; and of those")
                .append(" what the protocol took beyond the designers' local training (serialisation, the SecAgg+")
                .append(" stages, aggregation; the designers train one after the other in this one-JVM demo).")
                .append(" Bytes: every message that crossed the transport, training rounds and style cards.</p>");
        return h.toString();
    }

    private static void row(StringBuilder h, String label, Quality q, FederationCost c) {
        h.append(String.format(
                Locale.ROOT,
                "<tr><td class=l>%s</td><td>%.3f</td><td>%.3f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%,d</td>"
                        + "<td>%,d</td><td>%,.0f</td></tr>",
                label,
                q.styleAccuracy(),
                q.fsd(),
                c.seconds(),
                c.roundSeconds(),
                c.protocolSeconds(),
                c.fromNodes(),
                c.toNodes(),
                c.fromNodePerDesignerRound()));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

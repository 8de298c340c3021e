package dev.atelier.sketch.demo;

import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.secagg.SecAggStage;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.util.Progress;
import dev.atelier.sketch.eval.SketchEvaluation;
import dev.atelier.sketch.eval.SketchMetrics;
import dev.atelier.sketch.fed.FederationOutcome;
import dev.atelier.sketch.fed.Regime;
import dev.atelier.sketch.fed.RoundSummary;
import dev.atelier.sketch.fed.ScriptedDropouts;
import dev.atelier.sketch.privacy.CriticDpSgd;
import dev.atelier.sketch.privacy.DpSgdSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code atelier demo --privacy secagg+dp}: the federated regime once more, over the same designers,
 * seeds and schedule, with every privacy piece on, so its cost and quality sit next to plain FedGAI:
 * <ul>
 *   <li>the critic updates under real SecAgg+ ({@link dev.atelier.sketch.fed.SketchFederation.Builder#optSecureAggregation},
 *       the core protocol through {@code Run}: X25519 keys, Shamir shares, masked quantised vectors,
 *       unmasking), with scripted dropouts — one designer stops answering at the unmask stage of
 *       round 1 (her masked vector counts; her shares are not needed), another after sharing keys in
 *       round 2 (her masks are rebuilt from the survivors' shares);</li>
 *   <li>per-sketch DP-SGD of every designer's critic at the target epsilon ({@link CriticDpSgd});</li>
 *   <li>the style cards collected under SecAgg+ (the coordinator learns only the mean card).</li>
 * </ul>
 * The run directory ({@code federation-private/}) holds its metrics.jsonl with each round's
 * privacy record (contributors, dropouts).
 */
final class PrivateFederation {
    private PrivateFederation() {}

    /** Who drops where: at most one designer per round, so every round keeps two thirds. */
    static ScriptedDropouts dropouts(List<String> designers, int rounds) {
        List<ScriptedDropouts.Drop> d = new ArrayList<>();
        d.add(new ScriptedDropouts.Drop(designers.get(1), 1, SecAggStage.UNMASK));
        if (rounds >= 2) {
            d.add(new ScriptedDropouts.Drop(designers.get(2), 2, SecAggStage.COLLECT_MASKED_VECTORS));
        }
        return new ScriptedDropouts(d);
    }

    /**
     * Trains, scores and reports the private regime.
     *
     * @param plain    the plain federated regime's cost (same designers and schedule)
     * @param metrics  designer → regime → scores of the other regimes (the federated row is the baseline)
     */
    static PrivateRegimeReport run(
            DemoSettings s,
            Regimes regimes,
            List<DesignerData> designers,
            HeldOut heldOut,
            SketchEvaluation evaluation,
            FederationCost plain,
            Map<String, Map<DemoRegime, SketchMetrics>> metrics,
            double epsilon)
            throws IOException, InterruptedException {
        if (designers.size() < 3) {
            throw new IllegalArgumentException(
                    "--privacy needs at least 3 designers (SecAgg+), got " + designers.size());
        }
        Progress progress = Progress.start(
                "federated, private (SecAgg+ with dropouts, DP-SGD, secure style cards)",
                (long) designers.size() * s.schedule().stepsPerDesigner());
        List<String> names = List.copyOf(regimes.names());
        ScriptedDropouts drops = dropouts(names, s.schedule().rounds());
        PrivacyOptions.SecAgg secAgg = PrivacyOptions.SecAgg.defaults();
        DpSgdSettings dp = DpSgdSettings.forTarget(
                DemoAudit.DEFAULT_CLIP_NORM, epsilon, DpSgdSettings.DEFAULT_DELTA, DpSgdSettings.DEFAULT_PLANNED_STEPS);
        try (FederationOutcome out = regimes.builder(Regime.FEDERATED, progress)
                .optSecureAggregation(secAgg)
                .optDropouts(drops)
                .optCriticDp(dp)
                .optShareStyleCards(regimes.names())
                .optSecureStyleCards(true)
                .optRunDirectory(new RunDirectory(s.layout().privateFederationRun()))
                .build()
                .run()) {
            FederationCost cost = FederationCost.of(out);
            progress.finish(
                    String.format(Locale.ROOT, "%.0f s, %d bytes sent by designers", cost.seconds(), cost.fromNodes()));
            List<PrivateRegimeReport.Round> rounds = new ArrayList<>();
            for (RoundSummary r : out.rounds()) {
                rounds.add(new PrivateRegimeReport.Round(
                        r.round(), r.privacy().contributors(), r.privacy().dropped(), r.seconds()));
            }
            Map<String, Double> eps = new LinkedHashMap<>();
            double snr = 0;
            double sigma = Double.NaN;
            double q = 0;
            for (var e : out.trainers().entrySet()) {
                CriticDpSgd c = e.getValue().criticPrivacy().orElseThrow();
                eps.put(e.getKey(), c.spent().epsilon());
                snr += c.meanSnr() / out.trainers().size();
                sigma = c.noiseMultiplier();
                q = Math.max(q, c.samplingRate());
            }
            Map<String, List<float[]>> sketches = regimes.sketches(out);
            List<SketchEvaluation.Case> cases = new ArrayList<>();
            for (DesignerData d : designers) {
                Set<Integer> peers = new LinkedHashSet<>();
                designers.stream()
                        .filter(o -> o != d)
                        .forEach(o -> peers.add(o.style().ordinal()));
                peers.remove(d.style().ordinal());
                cases.add(new SketchEvaluation.Case(
                        d.style().ordinal(), peers, sketches.get(d.name()), heldOut.references(d.style())));
            }
            List<SketchMetrics> scored = evaluation.evaluateAll(cases);
            List<SketchMetrics> baseline = designers.stream()
                    .map(d -> metrics.get(d.name()).get(DemoRegime.FEDERATED))
                    .toList();
            return new PrivateRegimeReport(
                    secAgg,
                    drops,
                    rounds,
                    dp.dp().targetEpsilon(),
                    dp.dp().delta(),
                    dp.dp().clipNorm(),
                    sigma,
                    q,
                    eps,
                    snr,
                    PrivateRegimeReport.Quality.of(baseline),
                    PrivateRegimeReport.Quality.of(scored),
                    plain,
                    cost);
        }
    }
}

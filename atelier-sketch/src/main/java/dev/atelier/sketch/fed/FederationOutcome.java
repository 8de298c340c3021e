package dev.atelier.sketch.fed;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.train.SketchTrainer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a {@link SketchFederation} run. Owns the designers' trainers (their models stay
 * usable for generation and evaluation) until {@link #close()}.
 *
 * @param regime             how the critics were trained
 * @param trainers           designer name → trained local model, in designer order
 * @param rounds             per-round metrics
 * @param sharedCritic       the final global critic (shared part) for FEDERATED; the last central
 *                           critic for CENTRALIZED; empty for LOCAL_ONLY
 * @param federationCard     example-weighted average of the style cards of the designers who opted
 *                           in, collected over the transport; null when nobody opted in
 * @param ledger             bytes that crossed the in-process transport (empty for LOCAL_ONLY and
 *                           CENTRALIZED, except style-card analytics)
 * @param warmupSeconds      wall time of all designers' warm-ups
 * @param seconds            wall time of the whole run
 */
public record FederationOutcome(
        Regime regime,
        Map<String, SketchTrainer> trainers,
        List<RoundSummary> rounds,
        ParamSet sharedCritic,
        StyleCard federationCard,
        WireLedger ledger,
        double warmupSeconds,
        double seconds)
        implements AutoCloseable {
    public FederationOutcome {
        trainers = Collections.unmodifiableMap(new LinkedHashMap<>(trainers));
        rounds = List.copyOf(rounds);
    }

    /** The designer's own card blended with the federation card: {@code a·own + (1−a)·federation}. */
    public StyleCard blendedCard(String designer, double a) {
        SketchTrainer t = trainers.get(designer);
        if (t == null) {
            throw new IllegalArgumentException("no designer '" + designer + "' (have " + trainers.keySet() + ")");
        }
        if (federationCard == null) {
            throw new IllegalStateException("no federation style card: no designer opted in to share theirs");
        }
        return t.ownStyleCard().blend(federationCard, a);
    }

    @Override
    public void close() {
        trainers.values().forEach(SketchTrainer::close);
    }
}

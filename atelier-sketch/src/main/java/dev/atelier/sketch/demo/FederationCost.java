package dev.atelier.sketch.demo;

import dev.atelier.core.transport.WireLedger;
import dev.atelier.sketch.fed.FederationOutcome;
import dev.atelier.sketch.fed.RoundSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a federated run cost: wall time and the bytes that crossed the in-process transport (the
 * same serialised messages gRPC would carry), all kinds, training rounds and style-card collection.
 *
 * @param seconds       wall time of the run (warm-ups, rounds, style cards)
 * @param roundSeconds  wall time of the federated rounds alone (local training + aggregation)
 * @param protocolSeconds the rounds' wall time minus the designers' local training in them: what
 *                      the protocol costs (serialisation, SecAgg+ stages, aggregation)
 * @param fromNodes     bytes sent by the designers' nodes
 * @param toNodes       bytes sent to them
 * @param designers     nodes in the run
 * @param rounds        federated rounds
 */
record FederationCost(
        double seconds,
        double roundSeconds,
        double protocolSeconds,
        long fromNodes,
        long toNodes,
        int designers,
        int rounds) {
    static FederationCost of(FederationOutcome out) {
        long from = 0;
        long to = 0;
        for (WireLedger.PayloadKind k : WireLedger.PayloadKind.values()) {
            from += out.ledger().total(WireLedger.Direction.FROM_NODE, k);
            to += out.ledger().total(WireLedger.Direction.TO_NODE, k);
        }
        double rounds = out.rounds().stream().mapToDouble(RoundSummary::seconds).sum();
        double training =
                out.rounds().stream().mapToDouble(RoundSummary::trainingSeconds).sum();
        return new FederationCost(
                out.seconds(),
                rounds,
                rounds - training,
                from,
                to,
                out.trainers().size(),
                out.rounds().size());
    }

    /** Bytes one designer sends per round, on average. */
    double fromNodePerDesignerRound() {
        return (double) fromNodes / Math.max(1, designers * rounds);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("round_seconds", roundSeconds);
        m.put("protocol_seconds", protocolSeconds);
        m.put("bytes_from_nodes", fromNodes);
        m.put("bytes_to_nodes", toNodes);
        m.put("bytes_from_node_per_designer_round", fromNodePerDesignerRound());
        return m;
    }
}

package dev.atelier.core.run;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.WireLedger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-round wire bytes as round metrics: the {@link Evaluator} that puts what the transport's
 * {@link WireLedger} counted for a round into that round's {@code eval} metrics (so into
 * {@code metrics.jsonl}), since the Prometheus counters on {@code /metrics} only hold totals since
 * start. Keys: {@value #UP_MAX} (the largest upload of one node), {@value #UP_TOTAL},
 * {@value #DOWN_MEAN} (mean bytes sent to a node) and {@value #DOWN_TOTAL}; bytes of every payload
 * kind, framing as the transport counts it. Called after the round's training exchange, so a
 * round's federated-evaluation replies (which arrive later) land in the next call's snapshot only
 * if the transport files them under the same round. Thread-safe (the ledger is).
 */
public final class WireMetrics implements Evaluator {
    public static final String UP_MAX = "wire_up_bytes_max";
    public static final String UP_TOTAL = "wire_up_bytes_total";
    public static final String DOWN_MEAN = "wire_down_bytes_mean";
    public static final String DOWN_TOTAL = "wire_down_bytes_total";

    private final WireLedger ledger;

    public WireMetrics(WireLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Map<String, Double> evaluate(int round, ParamSet global) {
        Map<String, Long> up = new LinkedHashMap<>();
        Map<String, Long> down = new LinkedHashMap<>();
        ledger.snapshot().forEach((key, bytes) -> {
            if (key.round() == round) {
                (key.direction() == WireLedger.Direction.FROM_NODE ? up : down).merge(key.nodeId(), bytes, Long::sum);
            }
        });
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(UP_MAX, (double)
                up.values().stream().mapToLong(Long::longValue).max().orElse(0));
        out.put(UP_TOTAL, (double)
                up.values().stream().mapToLong(Long::longValue).sum());
        out.put(
                DOWN_MEAN,
                down.values().stream().mapToLong(Long::longValue).average().orElse(0));
        out.put(DOWN_TOTAL, (double)
                down.values().stream().mapToLong(Long::longValue).sum());
        return out;
    }
}

package dev.atelier.transport.app;

import dev.atelier.core.message.Failure;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.coordinator.NodeStatus;
import dev.atelier.transport.proto.PushResult;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counters and gauges of a running coordinator, rendered in the Prometheus text exposition
 * format (version 0.0.4). Names, units and labels are listed in docs/deployment.md. Thread-safe.
 */
public final class CoordinatorMetrics {
    private final String runId;
    private final String workload;
    private final int totalRounds;
    private final Supplier<List<NodeStatus>> nodes;
    private final LongAdder roundsCompleted = new LongAdder();
    private final LongAdder roundsAggregated = new LongAdder();
    private final LongAdder nodeWaits = new LongAdder();
    private final DoubleAdder roundSeconds = new DoubleAdder();
    private final EnumMap<PushResult.Outcome, LongAdder> replies = new EnumMap<>(PushResult.Outcome.class);
    private final EnumMap<Failure.Kind, LongAdder> failures = new EnumMap<>(Failure.Kind.class);
    private final EnumMap<PayloadKind, LongAdder> bytesIn = new EnumMap<>(PayloadKind.class);
    private final EnumMap<PayloadKind, LongAdder> bytesOut = new EnumMap<>(PayloadKind.class);
    private final LongAdder uploads = new LongAdder();
    private final DoubleAdder uploadSeconds = new DoubleAdder();
    private final LongAdder tlsRefusals = new LongAdder();
    private volatile int currentRound;
    private volatile RoundRecord last;

    public CoordinatorMetrics(String runId, String workload, int totalRounds, Supplier<List<NodeStatus>> nodes) {
        this.runId = runId;
        this.workload = workload;
        this.totalRounds = totalRounds;
        this.nodes = nodes;
        for (PushResult.Outcome o : PushResult.Outcome.values()) {
            if (o != PushResult.Outcome.UNRECOGNIZED && o != PushResult.Outcome.OUTCOME_UNSPECIFIED) {
                replies.put(o, new LongAdder());
            }
        }
        for (Failure.Kind k : Failure.Kind.values()) {
            failures.put(k, new LongAdder());
        }
        for (PayloadKind k : PayloadKind.values()) {
            bytesIn.put(k, new LongAdder());
            bytesOut.put(k, new LongAdder());
        }
    }

    public void roundStarted(int round) {
        currentRound = round;
    }

    /** An attempt of a round found too few nodes and the round will be attempted again. */
    public void roundWaited() {
        nodeWaits.increment();
    }

    public void roundEnded(RoundRecord r) {
        roundsCompleted.increment();
        if (r.aggregated()) {
            roundsAggregated.increment();
        }
        roundSeconds.add(r.seconds());
        r.failures().forEach(f -> failures.get(f.kind()).increment());
        last = r;
    }

    public void upload(PushResult.Outcome outcome, double seconds) {
        LongAdder a = replies.get(outcome);
        if (a != null) {
            a.increment();
        }
        uploads.increment();
        uploadSeconds.add(seconds);
    }

    public void wire(Direction d, PayloadKind kind, long bytes) {
        (d == Direction.FROM_NODE ? bytesIn : bytesOut).get(kind).add(bytes);
    }

    public void tlsRefused() {
        tlsRefusals.increment();
    }

    public int currentRound() {
        return currentRound;
    }

    public RoundRecord lastRound() {
        return last;
    }

    /** The exposition text. */
    public String render() {
        StringBuilder s = new StringBuilder();
        gauge(
                s,
                "atelier_run_info",
                "Run being coordinated (value is always 1)",
                "{run_id=\"" + esc(runId) + "\",workload=\"" + esc(workload) + "\"} 1");
        gauge(s, "atelier_rounds_total", "Rounds the run is configured for", " " + totalRounds);
        gauge(s, "atelier_current_round", "Round in progress or last started (1-based)", " " + currentRound);
        counter(
                s,
                "atelier_rounds_completed_total",
                "Rounds finished by this coordinator process",
                " " + roundsCompleted.sum());
        counter(
                s,
                "atelier_rounds_aggregated_total",
                "Rounds whose replies changed the global model",
                " " + roundsAggregated.sum());
        counter(
                s,
                "atelier_round_node_waits_total",
                "Round attempts that found too few nodes at the deadline and were retried (not counted as rounds)",
                " " + nodeWaits.sum());
        s.append(
                        "# HELP atelier_round_duration_seconds Wall time of finished rounds\n# TYPE atelier_round_duration_seconds summary\n")
                .append("atelier_round_duration_seconds_sum ")
                .append(num(roundSeconds.sum()))
                .append('\n')
                .append("atelier_round_duration_seconds_count ")
                .append(roundsCompleted.sum())
                .append('\n');
        s.append("# HELP atelier_replies_total Reply uploads by outcome\n# TYPE atelier_replies_total counter\n");
        replies.forEach((o, v) -> s.append("atelier_replies_total{outcome=\"")
                .append(o.name().toLowerCase(Locale.ROOT))
                .append("\"} ")
                .append(v.sum())
                .append('\n'));
        s.append("# HELP atelier_round_failures_total Nodes that did not contribute to a round, by kind\n"
                + "# TYPE atelier_round_failures_total counter\n");
        failures.forEach((k, v) -> s.append("atelier_round_failures_total{kind=\"")
                .append(k.name().toLowerCase(Locale.ROOT))
                .append("\"} ")
                .append(v.sum())
                .append('\n'));
        counter(
                s,
                "atelier_rejections_total",
                "Replies refused (checksum, shape, dtype, NaN, size)",
                " " + replies.get(PushResult.Outcome.REJECTED).sum());
        counter(
                s,
                "atelier_tls_refusals_total",
                "Node certificates refused at the TLS handshake",
                " " + tlsRefusals.sum());
        bytes(s, "atelier_bytes_received_total", "Bytes received from nodes by payload kind", bytesIn);
        bytes(s, "atelier_bytes_sent_total", "Bytes sent to nodes by payload kind", bytesOut);
        s.append("# HELP atelier_upload_duration_seconds Time from reply header to outcome\n"
                        + "# TYPE atelier_upload_duration_seconds summary\n")
                .append("atelier_upload_duration_seconds_sum ")
                .append(num(uploadSeconds.sum()))
                .append('\n')
                .append("atelier_upload_duration_seconds_count ")
                .append(uploads.sum())
                .append('\n');
        List<NodeStatus> ns = nodes.get();
        gauge(s, "atelier_nodes_registered", "Nodes that registered with this coordinator process", " " + ns.size());
        gauge(
                s,
                "atelier_nodes_alive",
                "Registered nodes heard from within the liveness timeout",
                " " + ns.stream().filter(NodeStatus::alive).count());
        RoundRecord r = last;
        if (r != null) {
            s.append("# HELP atelier_last_round_fit Example-weighted mean of node training metrics, last round\n"
                    + "# TYPE atelier_last_round_fit gauge\n");
            r.fit()
                    .forEach((k, v) -> s.append("atelier_last_round_fit{metric=\"")
                            .append(esc(k))
                            .append("\"} ")
                            .append(num(v))
                            .append('\n'));
            s.append("# HELP atelier_last_round_eval Coordinator-side evaluation of the global model, last round\n"
                    + "# TYPE atelier_last_round_eval gauge\n");
            r.eval()
                    .forEach((k, v) -> s.append("atelier_last_round_eval{metric=\"")
                            .append(esc(k))
                            .append("\"} ")
                            .append(num(v))
                            .append('\n'));
        }
        return s.toString();
    }

    private static void gauge(StringBuilder s, String name, String help, String sample) {
        s.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append("\n# TYPE ")
                .append(name)
                .append(" gauge\n")
                .append(name)
                .append(sample)
                .append('\n');
    }

    private static void counter(StringBuilder s, String name, String help, String sample) {
        s.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append("\n# TYPE ")
                .append(name)
                .append(" counter\n")
                .append(name)
                .append(sample)
                .append('\n');
    }

    private static void bytes(StringBuilder s, String name, String help, Map<PayloadKind, LongAdder> m) {
        s.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append("\n# TYPE ")
                .append(name)
                .append(" counter\n");
        m.forEach((k, v) -> s.append(name)
                .append("{kind=\"")
                .append(k.name().toLowerCase(Locale.ROOT))
                .append("\"} ")
                .append(v.sum())
                .append('\n'));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : (Double.isNaN(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf"));
    }

    private static String esc(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

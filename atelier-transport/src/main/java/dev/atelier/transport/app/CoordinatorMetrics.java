package dev.atelier.transport.app;

import dev.atelier.core.message.Failure;
import dev.atelier.core.run.ReplyLimits;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.coordinator.NodeStatus;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.security.TlsRefusal;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
    private final EnumMap<TlsRefusal.Reason, LongAdder> tlsRefusals = new EnumMap<>(TlsRefusal.Reason.class);
    private final EnumMap<ReplyLimits.Bound, LongAdder> overLimit = new EnumMap<>(ReplyLimits.Bound.class);
    private volatile int currentRound;
    private volatile RoundWatchdog watchdog;
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
        for (TlsRefusal.Reason r : TlsRefusal.Reason.values()) {
            tlsRefusals.put(r, new LongAdder());
        }
        for (ReplyLimits.Bound b : ReplyLimits.Bound.values()) {
            overLimit.put(b, new LongAdder());
        }
        for (PayloadKind k : PayloadKind.values()) {
            bytesIn.put(k, new LongAdder());
            bytesOut.put(k, new LongAdder());
        }
    }

    public void roundStarted(int round) {
        currentRound = round;
        RoundWatchdog w = watchdog;
        if (w != null) {
            w.roundStarted(round);
        }
    }

    /** An attempt of a round found too few nodes and the round will be attempted again. */
    public void roundWaited() {
        nodeWaits.increment();
        RoundWatchdog w = watchdog;
        if (w != null) {
            w.roundWaited();
        }
    }

    public void roundEnded(RoundRecord r) {
        roundsCompleted.increment();
        if (r.aggregated()) {
            roundsAggregated.increment();
        }
        roundSeconds.add(r.seconds());
        RoundWatchdog w = watchdog;
        if (w != null) {
            w.roundEnded();
        }
        r.failures().forEach(f -> {
            failures.get(f.kind()).increment();
            ReplyLimits.Bound.of(f).ifPresent(b -> overLimit.get(b).increment());
        });
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

    public void tlsRefused(TlsRefusal.Reason reason) {
        tlsRefusals.get(reason).increment();
    }

    /** Replies refused by each {@link ReplyLimits} bound since start, by {@link ReplyLimits.Bound#label()}. */
    public Map<String, Long> repliesOverLimit() {
        Map<String, Long> out = new LinkedHashMap<>();
        overLimit.forEach((b, n) -> out.put(b.label(), n.sum()));
        return out;
    }

    /** Round-loop progress is also told to {@code w} (for {@code /healthz}). */
    void watch(RoundWatchdog w) {
        this.watchdog = w;
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
        summary(
                s,
                "atelier_round_duration_seconds",
                "Wall time of finished rounds",
                roundSeconds.sum(),
                roundsCompleted.sum());
        labelled(s, "atelier_replies_total", "counter", "Reply uploads by outcome", "outcome", sums(replies));
        labelled(
                s,
                "atelier_round_failures_total",
                "counter",
                "Nodes that did not contribute to a round, by kind",
                "kind",
                sums(failures));
        counter(
                s,
                "atelier_rejections_total",
                "Replies refused (checksum, shape, dtype, NaN, size)",
                " " + replies.get(PushResult.Outcome.REJECTED).sum());
        labelled(
                s,
                "atelier_replies_over_limit_total",
                "counter",
                "Replies refused for claiming too many examples or carrying too large an update (reply_limits.*)",
                "limit",
                sums(overLimit));
        Map<String, String> refused = new LinkedHashMap<>();
        tlsRefusals.forEach((r, n) -> refused.put(r.label(), Long.toString(n.sum())));
        labelled(
                s,
                "atelier_tls_refusals_total",
                "counter",
                "Node connections refused at or after the TLS handshake, by reason",
                "reason",
                refused);
        labelled(
                s,
                "atelier_bytes_received_total",
                "counter",
                "Bytes received from nodes by payload kind",
                "kind",
                sums(bytesIn));
        labelled(
                s,
                "atelier_bytes_sent_total",
                "counter",
                "Bytes sent to nodes by payload kind",
                "kind",
                sums(bytesOut));
        summary(
                s,
                "atelier_upload_duration_seconds",
                "Time from reply header to outcome",
                uploadSeconds.sum(),
                uploads.sum());
        List<NodeStatus> ns = nodes.get();
        gauge(s, "atelier_nodes_registered", "Nodes that registered with this coordinator process", " " + ns.size());
        gauge(
                s,
                "atelier_nodes_alive",
                "Registered nodes heard from within the liveness timeout",
                " " + ns.stream().filter(NodeStatus::alive).count());
        RoundRecord r = last;
        if (r != null) {
            labelled(
                    s,
                    "atelier_last_round_fit",
                    "gauge",
                    "Example-weighted mean of node training metrics, last round",
                    "metric",
                    numbers(r.fit()));
            labelled(
                    s,
                    "atelier_last_round_eval",
                    "gauge",
                    "Coordinator-side evaluation of the global model, last round",
                    "metric",
                    numbers(r.eval()));
        }
        return s.toString();
    }

    private static void header(StringBuilder s, String name, String type, String help) {
        s.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append("\n# TYPE ")
                .append(name)
                .append(' ')
                .append(type)
                .append('\n');
    }

    private static void gauge(StringBuilder s, String name, String help, String sample) {
        header(s, name, "gauge", help);
        s.append(name).append(sample).append('\n');
    }

    private static void counter(StringBuilder s, String name, String help, String sample) {
        header(s, name, "counter", help);
        s.append(name).append(sample).append('\n');
    }

    private static void summary(StringBuilder s, String name, String help, double sum, long count) {
        header(s, name, "summary", help);
        s.append(name).append("_sum ").append(num(sum)).append('\n');
        s.append(name).append("_count ").append(count).append('\n');
    }

    /** One sample per entry of {@code values}, its key as the {@code label} label, in map order. */
    private static void labelled(
            StringBuilder s, String name, String type, String help, String label, Map<String, String> values) {
        header(s, name, type, help);
        values.forEach((k, v) -> s.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(esc(k))
                .append("\"} ")
                .append(v)
                .append('\n'));
    }

    /** Lower-case enum names to counter sums, in enum order. */
    private static Map<String, String> sums(EnumMap<? extends Enum<?>, LongAdder> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.name().toLowerCase(Locale.ROOT), Long.toString(v.sum())));
        return out;
    }

    private static Map<String, String> numbers(Map<String, Double> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, num(v)));
        return out;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : (Double.isNaN(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf"));
    }

    private static String esc(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

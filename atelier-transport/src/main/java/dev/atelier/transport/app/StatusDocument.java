package dev.atelier.transport.app;

import dev.atelier.core.run.ReplyLimits;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RoundRecordCodec;
import dev.atelier.transport.coordinator.NodeStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's {@code GET /status} JSON document, read by {@code atelier status}:
 * <pre>
 * {"run_id", "workload", "strategy" (spec text), "status" (RunStatus text), "rounds",
 *  "current_round", "nodes": [NodeStatus...] (addresses only when metrics_listen is loopback),
 *  "reply_limits": {"max_examples", "max_update_norm_ratio" (number or "off"), "norm_floor_rms"},
 *  "replies_over_limit": {"examples": N, "update_norm": N} (refusals since the coordinator started),
 *  "last_round": RoundRecordCodec form (absent before round 1),
 *  "privacy": {"mode", "epsilon" (spent so far, DP only), "delta", "snr" (last round)} (absent without SecAgg/DP)}
 * </pre>
 * Keys are the constants below, shared with the reader.
 */
public final class StatusDocument {
    public static final String RUN_ID = "run_id";
    public static final String WORKLOAD = "workload";
    public static final String STRATEGY = "strategy";
    public static final String STATUS = "status";
    public static final String ROUNDS = "rounds";
    public static final String CURRENT_ROUND = "current_round";
    public static final String NODES = "nodes";
    public static final String LAST_ROUND = "last_round";
    public static final String PRIVACY = "privacy";
    public static final String REPLY_LIMITS = "reply_limits";
    public static final String REPLIES_OVER_LIMIT = "replies_over_limit";

    /** What {@code address} says in the document when the endpoint is not on loopback. */
    static final String HIDDEN_ADDRESS = "(hidden: metrics_listen is not loopback)";

    private StatusDocument() {}

    /**
     * Node addresses are shown only when {@code metrics_listen} is a loopback address: the endpoint
     * has no authentication, and on another network it would tell anyone where the nodes are.
     */
    static boolean exposesAddresses(CoordinatorConfig cfg) {
        CoordinatorConfig.HostPort at = cfg.listen().metrics();
        return at != null && isLoopback(at.host());
    }

    static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<NodeStatus> withoutAddresses(List<NodeStatus> nodes) {
        return nodes.stream()
                .map(n -> new NodeStatus(n.nodeId(), HIDDEN_ADDRESS, n.alive(), n.silentSeconds(), n.properties()))
                .toList();
    }

    /** The document as a map for Jackson; {@code last} may be null. */
    static Map<String, Object> of(
            CoordinatorConfig cfg,
            RunStatus status,
            int currentRound,
            List<NodeStatus> nodes,
            RoundRecord last,
            Map<String, Long> overLimit) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(RUN_ID, cfg.federation().runId());
        s.put(WORKLOAD, cfg.federation().workload());
        s.put(STRATEGY, cfg.schedule().strategy().text());
        s.put(STATUS, status.text());
        s.put(ROUNDS, cfg.schedule().rounds());
        s.put(CURRENT_ROUND, currentRound);
        s.put(NODES, exposesAddresses(cfg) ? nodes : withoutAddresses(nodes));
        ReplyLimits l = cfg.limits().replies();
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("max_examples", l.maxExamples());
        limits.put(
                "max_update_norm_ratio",
                Double.isFinite(l.maxUpdateNormRatio()) ? (Object) l.maxUpdateNormRatio() : "off");
        limits.put("norm_floor_rms", l.normFloorRms());
        s.put(REPLY_LIMITS, limits);
        s.put(REPLIES_OVER_LIMIT, overLimit);
        if (last != null) {
            s.put(LAST_ROUND, RoundRecordCodec.toTree(last));
        }
        if (last != null && last.privacy().isPresent()) {
            var p = last.privacy().get();
            Map<String, Object> priv = new LinkedHashMap<>();
            priv.put("mode", p.mode());
            p.epsilon().ifPresent(e -> priv.put("epsilon", e));
            p.delta().ifPresent(d -> priv.put("delta", d));
            p.snr().ifPresent(x -> priv.put("snr", x));
            s.put(PRIVACY, priv);
        } else if (cfg.privacy().options().any()) {
            var o = cfg.privacy().options();
            String mode = o.secAgg().isPresent() ? (o.dp().isPresent() ? "secagg+dp" : "secagg") : "central-dp";
            s.put(PRIVACY, Map.of("mode", mode));
        }
        return s;
    }
}

package dev.atelier.core.transport;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Simulation transport: virtual nodes in this JVM, run one after another.
 *
 * <p>Nodes run sequentially because DJL allows one open gradient collector per JVM, so virtual
 * nodes' backprop must be serialized anyway. Parameters are encoded to safetensors bytes and
 * decoded on the other side, exactly as they would cross a network: nodes never share objects
 * with the coordinator, and the {@link WireLedger} counts the real bytes that would be sent.
 *
 * <p>The round deadline holds as it does over gRPC: nodes get a {@link Cancellation} cancelled at
 * the deadline (a DJL step cannot be pre-empted, so workloads check it between steps); a node
 * that stops early, or whose reply comes back after the deadline, is a
 * {@link Failure.Kind#TIMEOUT} and its reply is discarded, never aggregated; nodes whose turn
 * comes after the deadline are not run and are reported as timed out.
 */
public final class InProcessTransport implements Transport {
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final WireLedger ledger = new WireLedger();
    private volatile OutboundListener outbound = OutboundListener.NONE;

    public InProcessTransport(List<Node> nodes) {
        for (Node n : nodes) {
            if (this.nodes.put(n.nodeId(), n) != null) {
                throw new IllegalArgumentException("duplicate node id " + n.nodeId());
            }
        }
    }

    @Override
    public List<NodeInfo> awaitNodes(int min, Duration timeout) {
        return nodes.keySet().stream().map(NodeInfo::of).toList();
    }

    @Override
    public void sendAndReceive(List<Instruction> instructions, ReplySink sink, Duration deadline) {
        String passed = "round deadline of " + deadline + " passed";
        Cancellation round = Cancellation.after(deadline, passed);
        long start = System.nanoTime();
        List<Instruction> pending = new ArrayList<>(instructions);
        for (Instruction ins : pending) {
            if (round.isCancelled()) {
                sink.onFailure(new Failure(ins.nodeId(), Failure.Kind.TIMEOUT, passed));
                continue;
            }
            Node node = nodes.get(ins.nodeId());
            if (node == null) {
                sink.onFailure(new Failure(ins.nodeId(), Failure.Kind.DISCONNECTED, "no such node"));
                continue;
            }
            Reply reply;
            try {
                Instruction delivered = ins.withParams(cross(ins.params(), ins.nodeId(), ins.round(), Direction.TO_NODE)
                        .params());
                ledger.record(ins.nodeId(), ins.round(), Direction.TO_NODE, PayloadKind.COMPACT, ins.payload().length);
                reply = node.handle(delivered, round);
            } catch (CancellationException e) {
                sink.onFailure(new Failure(
                        ins.nodeId(), Failure.Kind.TIMEOUT, "stopped early: " + reason(e) + " (reply discarded)"));
                continue;
            } catch (Exception e) {
                sink.onFailure(new Failure(ins.nodeId(), Failure.Kind.ERROR, reason(e)));
                continue;
            }
            if (round.isCancelled()) {
                // A real node's late upload is refused the same way: late work is never aggregated.
                sink.onFailure(new Failure(
                        ins.nodeId(),
                        Failure.Kind.TIMEOUT,
                        String.format(
                                "reply came back after the %s, %.1f s into the round; discarded",
                                passed, (System.nanoTime() - start) / 1e9)));
                continue;
            }
            if (!ins.nodeId().equals(reply.nodeId()) || ins.round() != reply.round()) {
                // Identity comes from the channel, as an authenticated connection would give it.
                sink.onFailure(new Failure(
                        ins.nodeId(),
                        Failure.Kind.REJECTED,
                        "reply claims node " + reply.nodeId() + " round " + reply.round() + " but answers "
                                + ins.nodeId() + " round " + ins.round()));
                continue;
            }
            try {
                Crossed received = cross(reply.params(), ins.nodeId(), ins.round(), Direction.FROM_NODE);
                long metrics = metricBytes(reply.metrics());
                ledger.record(ins.nodeId(), ins.round(), Direction.FROM_NODE, PayloadKind.METRICS, metrics);
                ledger.record(
                        ins.nodeId(), ins.round(), Direction.FROM_NODE, PayloadKind.COMPACT, reply.payload().length);
                outbound.onSent(sent(ins, reply, received.bytes(), metrics));
                sink.onReply(reply.withParams(received.params()));
            } catch (IOException e) {
                sink.onFailure(new Failure(ins.nodeId(), Failure.Kind.REJECTED, e.getMessage()));
            } catch (RejectedPayloadException e) {
                // The run refused the reply and recorded the failure itself; nothing to relay in-process.
            }
        }
    }

    /** The node-side record of one reply: the same bytes the ledger counted, plus the tensor names. */
    private static SentMessage sent(Instruction ins, Reply reply, long params, long metrics) {
        List<SentMessage.TensorBytes> tensors = new ArrayList<>();
        reply.params().asMap().forEach((name, t) -> tensors.add(new SentMessage.TensorBytes(name, t.byteSize())));
        return new SentMessage(
                ins.nodeId(),
                ins.round(),
                SentMessage.IN_PROCESS_REPLY,
                1,
                Map.of(PayloadKind.PARAMETERS, params, PayloadKind.METRICS, metrics, PayloadKind.COMPACT, (long)
                        reply.payload().length),
                tensors,
                reply.metrics());
    }

    /**
     * Tells {@code listener} of every reply a virtual node sends (what the node-side ledger of a
     * real node would record). Returns this.
     */
    public InProcessTransport optOutbound(OutboundListener listener) {
        this.outbound = java.util.Objects.requireNonNull(listener);
        return this;
    }

    /** A message-less exception (NullPointerException...) still needs a useful reason. */
    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Parameters as they arrived, and the safetensors bytes that carried them. */
    private record Crossed(ParamSet params, long bytes) {}

    /** Encodes, counts and decodes a parameter payload as a network hop would. */
    private Crossed cross(ParamSet params, String nodeId, int round, Direction direction) throws IOException {
        if (params.isEmpty()) {
            return new Crossed(params, 0);
        }
        byte[] wire = Safetensors.encode(params);
        ledger.record(nodeId, round, direction, PayloadKind.PARAMETERS, wire.length);
        return new Crossed(Safetensors.decode(wire).params(), wire.length);
    }

    /** Metrics on the wire: UTF-8 name plus an 8-byte double each. */
    static long metricBytes(Map<String, Double> metrics) {
        return metrics.keySet().stream()
                .mapToLong(k -> k.getBytes(StandardCharsets.UTF_8).length + 8L)
                .sum();
    }

    @Override
    public WireLedger ledger() {
        return ledger;
    }

    /** The hosted nodes, for simulations that inspect node-local state after a run. */
    public Map<String, Node> nodes() {
        return Map.copyOf(nodes);
    }
}

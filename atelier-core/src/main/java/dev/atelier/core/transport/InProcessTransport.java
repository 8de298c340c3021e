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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Simulation transport: virtual nodes in this JVM, run one after another unless
 * {@link #optParallelism} says otherwise.
 *
 * <p>Nodes run sequentially by default because DJL allows one open gradient collector per JVM, so
 * virtual nodes' backprop must be serialized anyway. Parameters are encoded to safetensors bytes and
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
    private volatile int parallelism = 1;

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
        if (parallelism == 1 || instructions.size() < 2) {
            for (Instruction ins : instructions) {
                settle(ins, handle(ins, round, passed), sink, round, passed, start);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(parallelism, instructions.size()),
                Thread.ofPlatform().daemon().name("in-process-node-", 0).factory());
        try {
            List<Future<Handled>> running = new ArrayList<>();
            for (Instruction ins : instructions) {
                running.add(pool.submit(() -> handle(ins, round, passed)));
            }
            // Replies reach the sink in instruction order, whatever order the nodes finish in, so a
            // parallel round folds the same replies in the same order as a sequential one.
            for (int i = 0; i < instructions.size(); i++) {
                settle(instructions.get(i), result(instructions.get(i), running.get(i)), sink, round, passed, start);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One node's turn: its reply, or why there is none. */
    private record Handled(Reply reply, Failure failure) {
        static Handled failed(Instruction ins, Failure.Kind kind, String reason) {
            return new Handled(null, new Failure(ins.nodeId(), kind, reason));
        }
    }

    private Handled handle(Instruction ins, Cancellation round, String passed) {
        if (round.isCancelled()) {
            return Handled.failed(ins, Failure.Kind.TIMEOUT, passed);
        }
        Node node = nodes.get(ins.nodeId());
        if (node == null) {
            return Handled.failed(ins, Failure.Kind.DISCONNECTED, "no such node");
        }
        try {
            Instruction delivered = ins.withParams(cross(ins.params(), ins.nodeId(), ins.round(), Direction.TO_NODE)
                    .params());
            ledger.record(ins.nodeId(), ins.round(), Direction.TO_NODE, PayloadKind.COMPACT, ins.payload().length);
            return new Handled(node.handle(delivered, round), null);
        } catch (CancellationException e) {
            return Handled.failed(ins, Failure.Kind.TIMEOUT, "stopped early: " + reason(e) + " (reply discarded)");
        } catch (Exception e) {
            return Handled.failed(ins, Failure.Kind.ERROR, reason(e));
        }
    }

    private static Handled result(Instruction ins, Future<Handled> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            // the run is being stopped: this node's and the later nodes' replies are not waited for
            Thread.currentThread().interrupt();
            running.cancel(true);
            return Handled.failed(ins, Failure.Kind.TIMEOUT, "interrupted while waiting for the reply");
        } catch (ExecutionException e) { // handle() catches every Exception: only an Error gets here
            throw new IllegalStateException("a virtual node's thread failed: " + e.getCause(), e.getCause());
        }
    }

    /** Checks a node's reply as the coordinator's side of a channel would, then hands it on. */
    private void settle(
            Instruction ins, Handled handled, ReplySink sink, Cancellation round, String passed, long start) {
        if (handled.failure() != null) {
            sink.onFailure(handled.failure());
            return;
        }
        Reply reply = handled.reply();
        if (round.isCancelled()) {
            // A real node's late upload is refused the same way: late work is never aggregated.
            sink.onFailure(new Failure(
                    ins.nodeId(),
                    Failure.Kind.TIMEOUT,
                    String.format(
                            "reply came back after the %s, %.1f s into the round; discarded",
                            passed, (System.nanoTime() - start) / 1e9)));
            return;
        }
        if (!ins.nodeId().equals(reply.nodeId()) || ins.round() != reply.round()) {
            // Identity comes from the channel, as an authenticated connection would give it.
            sink.onFailure(new Failure(
                    ins.nodeId(),
                    Failure.Kind.REJECTED,
                    "reply claims node " + reply.nodeId() + " round " + reply.round() + " but answers " + ins.nodeId()
                            + " round " + ins.round()));
            return;
        }
        try {
            Crossed received = cross(reply.params(), ins.nodeId(), ins.round(), Direction.FROM_NODE);
            long metrics = metricBytes(reply.metrics());
            ledger.record(ins.nodeId(), ins.round(), Direction.FROM_NODE, PayloadKind.METRICS, metrics);
            ledger.record(ins.nodeId(), ins.round(), Direction.FROM_NODE, PayloadKind.COMPACT, reply.payload().length);
            outbound.onSent(sent(ins, reply, received.bytes(), metrics));
            sink.onReply(reply.withParams(received.params()));
        } catch (IOException e) {
            sink.onFailure(new Failure(ins.nodeId(), Failure.Kind.REJECTED, e.getMessage()));
        } catch (RejectedPayloadException e) {
            // The run refused the reply and recorded the failure itself; nothing to relay in-process.
        }
    }

    /**
     * Runs up to {@code threads} virtual nodes at once (default 1: one after another). Only for
     * workloads whose nodes share no per-JVM resource: DJL allows one gradient collector per JVM, so
     * backprop workloads must stay at 1; forward-only ones (zeroth-order LM training) may not.
     * Nodes all receive their instructions at the round's start, as over a network; replies are
     * checked and reach the sink in instruction order. Returns this.
     */
    public InProcessTransport optParallelism(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + threads);
        }
        this.parallelism = threads;
        return this;
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

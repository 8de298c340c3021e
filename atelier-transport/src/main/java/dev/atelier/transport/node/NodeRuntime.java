package dev.atelier.transport.node;

import com.google.protobuf.ByteString;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Node;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.proto.FederationGrpc;
import dev.atelier.transport.proto.HeartbeatRequest;
import dev.atelier.transport.proto.HeartbeatResponse;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.proto.RegisterRequest;
import dev.atelier.transport.proto.RegisterResponse;
import dev.atelier.transport.proto.ReplyHeader;
import dev.atelier.transport.security.RefusalDiagnosis;
import dev.atelier.transport.wire.PayloadFile;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of a deployment: registers, then loops pull → {@link Node#handle} → push, with a
 * heartbeat thread keeping it alive during long training. On connection loss it reconnects with
 * exponential {@link Backoff} and registers again; a reply computed before the loss is pushed
 * again after reconnecting (the coordinator accepts it if the instruction is still open, e.g.
 * after it resumed the same round). A refusal that retrying cannot fix (certificate, workload)
 * ends {@link #run()} with {@link NodeRefusedException} and a clear reason.
 *
 * <p>The workload gets a {@link Cancellation} cancelled when the runtime stops and at the
 * instruction's round deadline ({@code deadline_unix_ms}, read against this node's clock; a
 * deadline already past on arrival means the clocks differ, so it is logged and not applied and
 * the coordinator decides). A workload that stops early replies with an error naming the reason.
 * The node the factory built is closed when {@link #run()} returns.
 *
 * <p>{@link #run()} blocks its calling thread; {@link #stop()} may be called from any thread.
 */
public final class NodeRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.node");
    private static final int MAX_PUSH_ATTEMPTS = 5;
    private final NodeRuntimeBuilder cfg;
    private final ManagedChannel channel;
    private final FederationGrpc.FederationBlockingStub blocking;
    private final FederationGrpc.FederationStub async;
    private final ScheduledExecutorService heartbeats;
    private final Backoff backoff;
    private volatile boolean stopped;
    private final java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
    private final Cancellation running = Cancellation.none();
    private volatile boolean registered;
    private volatile boolean runComplete;
    private volatile String activity = "idle";
    private volatile String instructionId = "";
    private ScheduledFuture<?> heartbeatTask;
    private Node node;
    private String nodeId;
    private int chunkBytes;
    private PreparedReply unsent;

    NodeRuntime(NodeRuntimeBuilder cfg, ManagedChannel channel) {
        this.cfg = cfg;
        this.channel = channel;
        this.blocking = FederationGrpc.newBlockingStub(channel);
        this.async = FederationGrpc.newStub(channel);
        this.backoff = new Backoff(cfg.backoffInitial, cfg.backoffMax);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atelier-node-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    public static NodeRuntimeBuilder builder() {
        return new NodeRuntimeBuilder();
    }

    /** Serves the coordinator until {@link #stop()}; throws when the coordinator refuses this node. */
    public void run() throws NodeRefusedException, InterruptedException {
        try {
            prepare();
            while (!stopped) {
                try {
                    step();
                } catch (StatusRuntimeException e) {
                    if (stopped) {
                        return;
                    }
                    handle(e);
                } catch (IOException e) {
                    if (stopped) {
                        return;
                    }
                    LOG.warn("local I/O problem: {} — retrying", e.getMessage());
                    pause();
                }
            }
        } finally {
            try {
                close();
                if (node != null) {
                    // Closed here, on the thread that uses it, never while a step may still run.
                    try {
                        node.close();
                    } catch (RuntimeException e) {
                        LOG.warn("closing the workload failed: {}", e.getMessage());
                    }
                }
            } finally {
                exited.countDown();
            }
        }
    }

    /** The factory's slow, settings-free work, before the node registers (so before round 1 can come). */
    private void prepare() {
        activity = "preparing";
        long t0 = System.nanoTime();
        try {
            cfg.factory.prepare();
        } catch (Exception e) {
            LOG.warn(
                    "preparing the workload before registering failed ({}); it is built after registering instead",
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (s >= 1) {
            LOG.info("workload prepared in {} s; registering", String.format("%.1f", s));
        }
    }

    private void step() throws IOException, InterruptedException, NodeRefusedException {
        if (!registered) {
            register();
        }
        if (unsent != null) {
            push(unsent);
            return;
        }
        activity = "idle";
        InstructionDownload.Received got =
                InstructionDownload.pull(blocking, nodeId, (int) cfg.pullWait.toMillis(), cfg.workDir.resolve("inbox"));
        if (got == null) {
            return;
        }
        if (got.runComplete()) {
            complete("the coordinator answered the poll");
            return;
        }
        var h = got.header();
        instructionId = h.getInstructionId();
        cfg.listener.onInstruction(h.getRound(), h.getTask(), h.getParamsBytes());
        ReplyHeader.Builder header =
                ReplyHeader.newBuilder().setInstructionId(h.getInstructionId()).setRound(h.getRound());
        ParamSet params = ParamSet.empty();
        if (got.corruption() != null) {
            LOG.error("round {}: {}", h.getRound(), got.corruption());
            header.setError(got.corruption());
        } else {
            LOG.info(
                    "round {}: {} instruction received ({} parameter bytes); working",
                    h.getRound(),
                    h.getTask(),
                    h.getParamsBytes());
            activity = "training";
            long t0 = System.nanoTime();
            try {
                Reply reply = node.handle(got.instruction(), cancellation(h.getRound(), h.getDeadlineUnixMs()));
                params = reply.params();
                header.setNumExamples(reply.numExamples())
                        .putAllMetrics(reply.metrics())
                        .setCompactPayload(ByteString.copyFrom(reply.payload()));
                LOG.info(
                        "round {}: done in {} s ({} examples, metrics {})",
                        h.getRound(),
                        String.format("%.2f", (System.nanoTime() - t0) / 1e9),
                        reply.numExamples(),
                        reply.metrics());
            } catch (CancellationException e) {
                LOG.warn("round {}: stopped early: {}", h.getRound(), e.getMessage());
                header.setError("node " + nodeId + " stopped early: " + e.getMessage());
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.error("round {}: the workload failed: {}", h.getRound(), why);
                header.setError("workload failed on node " + nodeId + ": " + why);
            }
        }
        PayloadFile pf = PayloadFile.encode(params, cfg.workDir.resolve("outbox"), chunkBytes);
        unsent = new PreparedReply(header.setParamsBytes(pf.size()).build(), pf, 0);
        push(unsent);
    }

    /** The token for one instruction: the runtime's, bounded by the round deadline when it carries one. */
    private Cancellation cancellation(int round, long deadlineUnixMs) {
        if (deadlineUnixMs <= 0) {
            return running;
        }
        long left = deadlineUnixMs - System.currentTimeMillis();
        if (left <= 0) {
            LOG.warn(
                    "round {}: the round deadline {} already passed {} ms ago by this node's clock; the clocks "
                            + "differ, so working anyway (check NTP on this machine and the coordinator's)",
                    round,
                    Instant.ofEpochMilli(deadlineUnixMs),
                    -left);
            return running;
        }
        return running.withDeadline(
                Duration.ofMillis(left),
                "round " + round + " deadline " + Instant.ofEpochMilli(deadlineUnixMs) + " passed");
    }

    private void push(PreparedReply reply) throws IOException, InterruptedException {
        activity = "uploading";
        unsent = reply.retried();
        PushResult r = ReplyUpload.push(async, reply);
        int round = reply.header().getRound();
        switch (r.getOutcome()) {
            case ACCEPTED, ERROR_RECORDED ->
                LOG.info("round {}: coordinator answered {}: {}", round, r.getOutcome(), r.getReason());
            case REJECTED -> LOG.error("round {}: coordinator REJECTED our reply: {}", round, r.getReason());
            default ->
                LOG.warn("round {}: coordinator ignored our reply ({}): {}", round, r.getOutcome(), r.getReason());
        }
        cfg.listener.onOutcome(round, r.getOutcome(), r.getReason());
        discardUnsent();
        backoff.reset();
    }

    private void register() throws NodeRefusedException {
        RegisterResponse r = blocking.withDeadlineAfter(30, TimeUnit.SECONDS)
                .register(RegisterRequest.newBuilder()
                        .setProtocolVersion(1)
                        .setWorkload(cfg.workload)
                        .putAllProperties(cfg.properties)
                        .build());
        if (nodeId != null && !nodeId.equals(r.getNodeId())) {
            throw new NodeRefusedException(
                    "the coordinator now names this node '" + r.getNodeId() + "' instead of '" + nodeId + "'");
        }
        nodeId = r.getNodeId();
        chunkBytes = r.getChunkBytes();
        registered = true;
        backoff.reset();
        LOG.info(
                "registered with coordinator {} as {} (run {}, workload {})",
                cfg.target(),
                nodeId,
                r.getRunId(),
                r.getWorkload());
        // Heartbeats first: building the workload (loading data and models) may take longer than
        // the coordinator's liveness timeout, and a silent node is dropped from round 1.
        startHeartbeats(Duration.ofMillis(Math.max(100, r.getHeartbeatIntervalMs())));
        if (node == null) {
            activity = "preparing";
            try {
                node = cfg.factory.create(r.getNodeId(), new Config(r.getWorkloadConfigMap()));
            } catch (Exception e) {
                throw new NodeRefusedException(
                        "could not start workload '" + r.getWorkload() + "' on this node: " + e.getMessage());
            }
            activity = "idle";
        }
        cfg.listener.onRegistered(nodeId, r.getRunId());
    }

    /**
     * The run has finished its last round: stop serving ({@link #run()} returns normally). Any
     * thread (the heartbeat's too).
     */
    private void complete(String how) {
        if (!runComplete) {
            runComplete = true;
            LOG.info("run complete ({}): nothing left to do; this node exits", how);
        }
        stopped = true;
        running.cancel("the run is complete");
    }

    /** True once the coordinator said the run finished its last round ({@link #run()} then returned normally). */
    public boolean runComplete() {
        return runComplete;
    }

    private synchronized void startHeartbeats(Duration every) {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
        heartbeatTask = heartbeats.scheduleAtFixedRate(
                () -> {
                    try {
                        HeartbeatResponse beat = blocking.withDeadlineAfter(
                                        Math.max(1000, every.toMillis()), TimeUnit.MILLISECONDS)
                                .heartbeat(HeartbeatRequest.newBuilder()
                                        .setActivity(activity)
                                        .setInstructionId(instructionId)
                                        .build());
                        if (beat.getRunComplete()) {
                            complete("heartbeat answer");
                            return;
                        }
                        boolean known = beat.getRegistered();
                        if (!known && registered) {
                            LOG.info("coordinator no longer knows this node (it restarted); registering again");
                            registered = false;
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("heartbeat failed: {}", e.getMessage());
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void handle(StatusRuntimeException e) throws NodeRefusedException, InterruptedException {
        Optional<String> refusal = RefusalDiagnosis.diagnose(e, cfg.bundle);
        if (refusal.isPresent()) {
            LOG.error("{}", refusal.get());
            throw new NodeRefusedException(refusal.get());
        }
        Status.Code code = e.getStatus().getCode();
        String desc = e.getStatus().getDescription();
        if (code == Status.Code.FAILED_PRECONDITION
                && desc != null
                && desc.startsWith(FederationInfo.RUN_COMPLETE_REFUSAL)) {
            complete("the coordinator refused a registration: " + desc);
            return;
        }
        if (code == Status.Code.FAILED_PRECONDITION && desc != null && desc.contains("not registered")) {
            LOG.info("coordinator does not know this node (it restarted?); registering again");
            registered = false;
            return;
        }
        if (code == Status.Code.FAILED_PRECONDITION
                || code == Status.Code.UNAUTHENTICATED
                || code == Status.Code.PERMISSION_DENIED) {
            String why = "coordinator " + cfg.target() + " refused this node: " + desc;
            LOG.error("{}", why);
            throw new NodeRefusedException(why);
        }
        if (unsent != null && unsent.attempts() >= MAX_PUSH_ATTEMPTS) {
            LOG.warn(
                    "round {}: giving up on pushing the reply after {} attempts",
                    unsent.header().getRound(),
                    unsent.attempts());
            discardUnsent();
        }
        registered = false;
        Duration d = backoff.nextDelay();
        if (code == Status.Code.UNAVAILABLE && desc != null && desc.startsWith("coordinator fault")) {
            // the coordinator answered: its own local fault (e.g. its disk), not a network problem
            LOG.warn("{} — retrying in {} s", desc, String.format("%.1f", d.toMillis() / 1000.0));
        } else {
            LOG.warn(
                    "coordinator {} unreachable: {} — retrying in {} s (check --coordinator and that the coordinator runs)",
                    cfg.target(),
                    describe(e),
                    String.format("%.1f", d.toMillis() / 1000.0));
        }
        Thread.sleep(d.toMillis());
    }

    private static String describe(StatusRuntimeException e) {
        String d = e.getStatus().getDescription();
        Throwable c = e.getCause();
        String cause = c == null ? "" : c.getMessage();
        return e.getStatus().getCode()
                + (d == null ? "" : " " + d)
                + (cause == null || cause.isEmpty() ? "" : " (" + cause + ")");
    }

    private void pause() throws InterruptedException {
        Thread.sleep(backoff.nextDelay().toMillis());
    }

    private void discardUnsent() {
        if (unsent != null) {
            try {
                unsent.close();
            } catch (IOException ignored) {
                // temporary file in the node's work dir
            }
            unsent = null;
        }
    }

    /** The node's identity once registered, else null. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Graceful stop (SIGTERM). The instruction in progress is cancelled: a workload that checks
     * its token stops and its "stopped early" error is pushed, so the coordinator need not wait for
     * the round deadline; one already uploading finishes its upload. Then {@link #run()} closes the
     * workload (its state written) and returns. Waits at most {@code grace}, then cuts the
     * connection. An idle node (long poll) stops at once. Any thread; returns a one-line summary.
     */
    public String shutdown(Duration grace) throws InterruptedException {
        String was = activity;
        stopped = true;
        running.cancel("the node is shutting down (stop signal)");
        boolean busy = was.equals("training") || was.equals("uploading");
        if (!busy) {
            channel.shutdownNow(); // ends the long poll
        }
        boolean done = exited.await(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (!done) {
            channel.shutdownNow();
            done = exited.await(2, java.util.concurrent.TimeUnit.SECONDS);
        }
        String what = busy ? "stopped while " + was + "; the coordinator was told" : "stopped while idle";
        return done
                ? what + "; workload state closed"
                : "did not stop within " + grace.toSeconds() + " s while " + was + "; exiting anyway";
    }

    public void stop() {
        stopped = true;
        running.cancel("the node runtime is stopping");
        channel.shutdownNow();
    }

    @Override
    public void close() {
        stopped = true;
        running.cancel("the node runtime is stopping");
        heartbeats.shutdownNow();
        channel.shutdownNow();
        discardUnsent();
    }
}

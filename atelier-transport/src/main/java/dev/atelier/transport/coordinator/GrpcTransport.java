package dev.atelier.transport.coordinator;

import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.transport.wire.PayloadFile;
import dev.atelier.transport.wire.Sha256;
import io.grpc.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment {@link Transport}: a gRPC server that real nodes dial. {@code Run} drives it
 * exactly as it drives the in-process transport; only this class is swapped.
 *
 * <p>Per {@code sendAndReceive}: each distinct parameter set is encoded once to a safetensors
 * file (with its digests), one {@link PendingInstruction} per node is queued in that node's
 * mailbox, nodes pull and stream it, and replies stream back, are verified (chunk digests and
 * order, declared sizes, whole-payload digest) and handed to the sink as they arrive; the run
 * validates them against the model and its verdict, with the reason, goes back to the node. The
 * instruction's task kind (TRAIN, EVALUATE...) travels in its header. Nodes silent for longer than the liveness
 * timeout are dropped as DISCONNECTED, the rest at the deadline as TIMEOUT (stragglers); later
 * uploads get LATE. Heap stays O(chunk × concurrent uploads): payloads live in files and
 * memory-mapped views, never in one array.
 *
 * <p>The call handlers get a {@link HandlerContext} (directory, open rounds, gates, ledger, limits)
 * rather than reaching back into this class. Thread-safe. Build with {@link #builder()}, then
 * {@link #start()}.
 */
public final class GrpcTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private static final int MAX_COMPACT_BYTES = 1 << 20;
    private final GrpcTransportBuilder cfg;
    private final NodeDirectory directory;
    private final AuditedLedger ledger;
    private final AdmissionGate uploads;
    private final AdmissionGate downloads;
    private final ScheduledExecutorService scheduler;
    private final OpenRounds rounds;
    private final HandlerContext handlers;
    private Server server;

    GrpcTransport(GrpcTransportBuilder cfg) {
        this.cfg = cfg;
        this.directory = new NodeDirectory(cfg.livenessTimeout);
        this.ledger = new AuditedLedger(cfg.listener);
        this.uploads = new AdmissionGate("uploads", cfg.maxConcurrentUploads);
        this.downloads = new AdmissionGate("downloads", cfg.maxConcurrentDownloads);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atelier-coordinator-timer");
            t.setDaemon(true);
            return t;
        });
        this.rounds = new OpenRounds(directory);
        this.handlers = new HandlerContext(
                cfg.federation,
                directory,
                rounds,
                new ReplyDelivery(),
                ledger,
                uploads,
                downloads,
                scheduler,
                cfg.listener,
                new WireLimits(
                        cfg.workDir.resolve("staging"),
                        cfg.heartbeatInterval,
                        cfg.chunkBytes,
                        cfg.maxPayloadBytes,
                        cfg.uploadIdleTimeout));
    }

    public static GrpcTransportBuilder builder() {
        return new GrpcTransportBuilder();
    }

    /** Binds the port and starts serving; returns this. */
    public GrpcTransport start() throws IOException {
        server = cfg.buildServer(new FederationService(handlers));
        server.start();
        LivenessMonitor liveness = new LivenessMonitor(directory, rounds::current, cfg.listener);
        scheduler.scheduleWithFixedDelay(liveness::check, 250, 250, TimeUnit.MILLISECONDS);
        LOG.info(
                "coordinator listening on {}:{} ({}), run {}, workload {}",
                cfg.host,
                server.getPort(),
                cfg.tls == null ? "INSECURE plaintext" : "mutual TLS",
                cfg.federation.runId(),
                cfg.federation.workload());
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public List<NodeInfo> awaitNodes(int min, Duration timeout) throws InterruptedException {
        return directory.await(min, timeout);
    }

    @Override
    public void sendAndReceive(List<Instruction> instructions, ReplySink sink, Duration deadline)
            throws InterruptedException {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        int round = instructions.isEmpty() ? 0 : instructions.get(0).round();
        RoundBook book = new RoundBook(round, sink, System.currentTimeMillis() + deadline.toMillis());
        IdentityHashMap<ParamSet, PayloadFile> payloads = new IdentityHashMap<>();
        try {
            for (Instruction ins : instructions) {
                PayloadFile pf = payloads.get(ins.params());
                if (pf == null) {
                    pf = PayloadFile.encode(ins.params(), cfg.workDir.resolve("outbox"), cfg.chunkBytes);
                    payloads.put(ins.params(), pf);
                }
                String id = ins.runId() + "/r" + ins.round() + "/" + ins.nodeId() + "/"
                        + Sha256.hex(pf.sha256()).substring(0, 16);
                book.add(new PendingInstruction(ins, id, pf, book));
            }
            rounds.open(book);
            for (PendingInstruction p : book.all()) {
                if (p.instruction.payload().length > MAX_COMPACT_BYTES) {
                    book.fail(
                            p,
                            new Failure(
                                    p.nodeId(),
                                    Failure.Kind.ERROR,
                                    "compact payload of " + p.instruction.payload().length
                                            + " bytes exceeds the protocol limit of " + MAX_COMPACT_BYTES));
                } else {
                    rounds.offer(p);
                }
            }
            LOG.info(
                    "round {}: {} instruction(s) queued, parameters {} bytes, deadline {} s",
                    round,
                    instructions.size(),
                    payloads.values().stream()
                            .mapToLong(PayloadFile::size)
                            .max()
                            .orElse(0),
                    deadline.toSeconds());
            book.awaitAll(deadlineNanos);
            book.dropStragglers(deadline);
            book.close();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "round " + round + ": could not encode the parameters to send: " + e.getMessage(), e);
        } finally {
            rounds.close(book);
            for (PayloadFile pf : payloads.values()) {
                try {
                    pf.close();
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", pf.path(), e.getMessage());
                }
            }
        }
    }

    /**
     * The run has finished its last round: tells every node (its parked poll at once, the others
     * at their next poll or heartbeat, a late registration with a refusal) so nodes exit with
     * "run complete" instead of finding the coordinator gone. Waits until every available node
     * was told, at most {@code linger}; returns the nodes not told in time (they see the
     * coordinator go away).
     */
    public List<String> completeRun(Duration linger) throws InterruptedException {
        directory.completeRun();
        long end = System.nanoTime() + linger.toNanos();
        List<String> left = directory.notYetTold();
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
            left = directory.notYetTold();
        }
        LOG.info(
                "run {} complete: told the nodes to exit{}",
                cfg.federation.runId(),
                left.isEmpty() ? "" : " (not reached within " + linger.toMillis() + " ms: " + left + ")");
        return left;
    }

    @Override
    public WireLedger ledger() {
        return ledger;
    }

    /** Registered nodes with their liveness, for status pages. */
    public List<NodeStatus> nodes() {
        List<NodeStatus> out = new ArrayList<>();
        for (NodeSession s : directory.all()) {
            if (s.registered()) {
                out.add(new NodeStatus(
                        s.nodeId(),
                        s.address(),
                        directory.alive(s),
                        s.silentSeconds(),
                        s.info().properties()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

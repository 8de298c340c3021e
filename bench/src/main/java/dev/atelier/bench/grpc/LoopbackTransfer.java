package dev.atelier.bench.grpc;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.workload.Node;
import dev.atelier.transport.coordinator.CoordinatorTls;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import dev.atelier.transport.coordinator.TransportListener;
import dev.atelier.transport.node.NodeRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One round over the real gRPC transport on loopback, coordinator and one node in this JVM: the
 * coordinator sends {@code params} as the instruction, the node echoes them back as its reply.
 * Timings come from the transport's own events, so they cover streaming only (chunk reads,
 * per-chunk and whole-payload SHA-256, TLS, HTTP/2 flow control, staging writes), not encoding
 * the payload beforehand nor validating it afterwards.
 */
final class LoopbackTransfer {
    /**
     * Seconds coordinator→node and node→coordinator, the reply's outcome, and the average number
     * of CPU cores this JVM (both ends of the link) kept busy during each transfer.
     */
    record Result(
            double downloadSeconds, double uploadSeconds, String outcome, double downloadCores, double uploadCores) {}

    private LoopbackTransfer() {}

    static Result run(ParamSet params, Path work, Path pki, boolean tls, int chunkBytes) throws Exception {
        AtomicReference<Double> down = new AtomicReference<>();
        AtomicReference<Double> up = new AtomicReference<>();
        AtomicReference<Double> downCores = new AtomicReference<>(Double.NaN);
        AtomicReference<Double> upCores = new AtomicReference<>(Double.NaN);
        CpuSampler cpu = new CpuSampler();
        var b = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setFederation(new FederationInfo("bench", "echo", Map.of()))
                .setWorkDir(work.resolve("coordinator"))
                .optChunkBytes(chunkBytes)
                .optHeartbeat(Duration.ofSeconds(2))
                .optListener(new TransportListener() {
                    @Override
                    public void onInstructionSent(String nodeId, int round, long bytes, double seconds) {
                        long end = System.nanoTime();
                        down.set(seconds);
                        downCores.set(cpu.coresBusy(end - (long) (seconds * 1e9), end));
                    }

                    @Override
                    public void onUploadReceived(String nodeId, int round, long paramBytes, double seconds) {
                        long end = System.nanoTime();
                        up.set(seconds);
                        upCores.set(cpu.coresBusy(end - (long) (seconds * 1e9), end));
                    }
                });
        if (tls) {
            b.setTls(CoordinatorTls.fromCaDir(pki, "coordinator"));
        } else {
            b.optInsecure(true);
        }
        try (cpu;
                GrpcTransport coordinator = b.build().start()) {
            var nb = NodeRuntime.builder()
                    .setCoordinator("127.0.0.1:" + coordinator.port())
                    .setWorkload("echo")
                    .setWorkDir(work.resolve("node"))
                    .optPullWait(Duration.ofSeconds(5))
                    .setNodeFactory((id, cfg) ->
                            new Node(id, (ins, cancel) -> new Reply(id, ins.round(), ins.params(), 1, Map.of(), null)));
            if (tls) {
                nb.setCertBundle(pki.resolve("bench-node"));
            } else {
                nb.optInsecure("bench-node");
            }
            NodeRuntime node = nb.build();
            Thread t = new Thread(
                    () -> {
                        try {
                            node.run();
                        } catch (Exception e) {
                            System.err.println("bench node stopped: " + e.getMessage());
                        }
                    },
                    "bench-node");
            t.setDaemon(true);
            t.start();
            coordinator.awaitNodes(1, Duration.ofSeconds(30));
            AtomicReference<String> outcome = new AtomicReference<>("none");
            coordinator.sendAndReceive(
                    List.of(Instruction.train("bench", 1, "bench-node", Config.empty(), params)),
                    new Transport.ReplySink() {
                        @Override
                        public void onReply(Reply reply) {
                            outcome.set("accepted " + reply.params().byteSize() + " bytes");
                        }

                        @Override
                        public void onFailure(Failure failure) {
                            outcome.set(failure.kind() + ": " + failure.reason());
                        }
                    },
                    Duration.ofMinutes(30));
            node.stop();
            t.join(10_000);
            if (down.get() == null || up.get() == null) {
                throw new IllegalStateException("transfer incomplete: " + outcome.get());
            }
            return new Result(down.get(), up.get(), outcome.get(), downCores.get(), upCores.get());
        }
    }
}

package dev.atelier.bench.grpc;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.transport.coordinator.CoordinatorTls;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Child JVM of the heap bench: a coordinator running FedAvg over gRPC with mutual TLS for
 * {@code nodes} nodes. Prints one {@code RESULT} line with its heap figures.
 *
 * <p>Args: {@code NODES MODEL_MIB ROUNDS PORT PKI_DIR WORK_DIR}.
 */
public final class HeapProbe {
    private HeapProbe() {}

    /** The benchmark model: float32 tensors of 4 MiB each, {@code mib} MiB in total. */
    static ParamSet model(int mib) {
        ParamSet.Builder b = ParamSet.builder();
        int per = 1 << 20;
        for (int i = 0; i < Math.max(1, mib / 4); i++) {
            float[] v = new float[per];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) Math.sin(i * 31 + j) * 0.01f;
            }
            b.put(String.format("layer%03d.weight", i), Tensor.f32(new long[] {1024, 1024}, v));
        }
        return b.build();
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int mib = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        Path pki = Path.of(args[4]);
        Path work = Path.of(args[5]);
        ParamSet initial = model(mib);
        long baseline = HeapWatch.liveNow();
        try (HeapWatch watch = new HeapWatch(100);
                GrpcTransport t = GrpcTransport.builder()
                        .setListen("127.0.0.1", port)
                        .setTls(CoordinatorTls.fromCaDir(pki, "coordinator"))
                        .setFederation(new FederationInfo("heap", "echo", Map.of()))
                        .setWorkDir(work)
                        .build()
                        .start()) {
            if (t.awaitNodes(nodes, Duration.ofMinutes(5)).size() < nodes) {
                throw new IllegalStateException(
                        "only " + t.awaitNodes(0, Duration.ZERO).size() + " of " + nodes + " nodes joined");
            }
            long t0 = System.nanoTime();
            Run.Result r = Run.builder()
                    .setConfig(new RunConfig("heap", rounds, 1, Duration.ofMinutes(20), 1000, Map.of()))
                    .setStrategy(new FedAvg(Sampling.all(nodes), Config.empty()))
                    .setTransport(t)
                    .setInitial(initial)
                    .build()
                    .execute();
            double seconds = (System.nanoTime() - t0) / 1e9;
            int replies = r.rounds().stream().mapToInt(x -> x.replies()).sum();
            System.out.printf(
                    Locale.ROOT,
                    "RESULT nodes=%d model_bytes=%d replies=%d seconds=%.1f baseline_live=%d peak_live=%d samples=%d max_heap=%d%n",
                    nodes,
                    initial.byteSize(),
                    replies,
                    seconds,
                    baseline,
                    watch.peakLive(),
                    watch.samples(),
                    Runtime.getRuntime().maxMemory());
        }
        System.exit(0);
    }
}

package dev.atelier.bench.grpc;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.util.FileTrees;
import dev.atelier.transport.security.CertificateAuthority;
import dev.atelier.transport.security.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC transport bench (not a unit test). Two parts, results in docs/benchmarks.md (gRPC section):
 * <ol>
 *   <li>{@code throughput}: a ~2.5 GiB ParamSet sent coordinator→node and back over gRPC on
 *       loopback (mutual TLS, and plaintext), next to raw loopback TCP moving the same file in the
 *       same run; prints GB/s and the ratios. The bench JVM runs with a heap smaller than the
 *       payload, which only works because payloads stream through files.</li>
 *   <li>{@code heap}: coordinator peak live heap (sampled with a forced full GC every 100 ms)
 *       running FedAvg for 3 and for 30 simulated nodes (separate JVMs), same model, with a
 *       coordinator heap limit of 8 × model — far below 30 × model.</li>
 * </ol>
 * Usage: {@code GrpcBench [throughput|heap|all] [--gib 2.5] [--model-mib 64] [--work DIR]}.
 */
public final class GrpcBench {
    private GrpcBench() {}

    public static void main(String[] args) throws Exception {
        String what = "all";
        double gib = 2.5;
        int modelMib = 64;
        Path work = Path.of("target", "grpc-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gib" -> gib = Double.parseDouble(args[++i]);
                case "--model-mib" -> modelMib = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "throughput", "heap", "all" -> what = args[i];
                default -> {
                    System.err.println(
                            "usage: GrpcBench [throughput|heap|all] [--gib 2.5] [--model-mib 64] [--work DIR]");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(work);
        Path pki = pki(work.resolve("pki"), 30);
        if (!what.equals("heap")) {
            throughput(gib, work, pki);
        }
        if (!what.equals("throughput")) {
            heap(modelMib, work, pki);
        }
    }

    static Path pki(Path dir, int swarm) throws IOException {
        if (Files.exists(dir.resolve("ca.key"))) {
            return dir;
        }
        CertificateAuthority ca = CertificateAuthority.init(dir, "Bench CA", Duration.ofDays(2));
        ca.issue("coordinator", Role.COORDINATOR, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        ca.issue("bench-node", Role.NODE, List.of(), Duration.ofDays(1));
        for (int i = 0; i < swarm; i++) {
            ca.issue(NodeSwarm.name(i), Role.NODE, List.of(), Duration.ofDays(1));
        }
        return dir;
    }

    static void throughput(double gib, Path work, Path pki) throws Exception {
        Path file = BigPayload.create(work.resolve("payload.safetensors"), (long) (gib * (1L << 30)), 256 << 20);
        long size = Files.size(file);
        ParamSet params = Safetensors.read(file);
        System.out.printf(
                Locale.ROOT,
                "payload: %s, %d tensors, %.2f GiB (heap max of this JVM: %.2f GiB)%n",
                file,
                params.size(),
                size / (double) (1L << 30),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        RawTcp.transfer(file); // warm the page cache and the JIT
        List<String> rows = new ArrayList<>();
        double raw = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            raw = Math.min(raw, RawTcp.transfer(file));
        }
        rows.add(row("raw TCP, loopback (best of 3)", size, raw, raw, Double.NaN));
        // pass 1 is cold (JIT compiling gRPC, Netty, TLS and the SHA-256 intrinsics); pass 2 is reported as warm
        for (int pass = 1; pass <= 2; pass++) {
            for (boolean tls : new boolean[] {true, false}) {
                FileTrees.delete(work.resolve("transfer"));
                LoopbackTransfer.Result r = LoopbackTransfer.run(params, work.resolve("transfer"), pki, tls, 2 << 20);
                String mode = (tls ? "gRPC, mutual TLS" : "gRPC, plaintext") + (pass == 1 ? " (cold JVM)" : "");
                rows.add(row(mode + ", coordinator→node", size, r.downloadSeconds(), raw, r.downloadCores()));
                rows.add(row(mode + ", node→coordinator", size, r.uploadSeconds(), raw, r.uploadCores()));
                System.out.println("  " + mode + ": reply " + r.outcome());
            }
        }
        FileTrees.delete(work.resolve("transfer"));
        System.out.println();
        System.out.println("| path | seconds | GB/s | ratio to raw TCP | CPU cores busy (both ends) |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static String row(String what, long bytes, double seconds, double raw, double cores) {
        return String.format(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.3f | %s |",
                what,
                seconds,
                bytes / seconds / 1e9,
                raw / seconds,
                Double.isNaN(cores)
                        ? "–"
                        : String.format(
                                Locale.ROOT,
                                "%.2f / %d",
                                cores,
                                Runtime.getRuntime().availableProcessors()));
    }

    static void heap(int modelMib, Path work, Path pki) throws Exception {
        List<String> rows = new ArrayList<>();
        for (int nodes : new int[] {3, 30}) {
            FileTrees.delete(work.resolve("heap"));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            // the coordinator gets a heap far below nodes × model: it must hold O(model), not O(nodes × model)
            String xmx = "-Xmx" + Math.max(256, 8 * modelMib) + "m";
            Process coord = java(
                    work.resolve("heap-coordinator-" + nodes + ".log"),
                    xmx,
                    HeapProbe.class.getName(),
                    Integer.toString(nodes),
                    Integer.toString(modelMib),
                    "2",
                    Integer.toString(port),
                    pki.toString(),
                    work.resolve("heap/coordinator").toString());
            Process swarm = java(
                    work.resolve("heap-swarm-" + nodes + ".log"),
                    "-Xmx1g",
                    NodeSwarm.class.getName(),
                    Integer.toString(nodes),
                    Integer.toString(port),
                    pki.toString(),
                    work.resolve("heap/nodes").toString());
            try {
                if (!coord.waitFor(20, TimeUnit.MINUTES) || coord.exitValue() != 0) {
                    throw new IllegalStateException("heap probe for " + nodes + " nodes failed; see "
                            + work.resolve("heap-coordinator-" + nodes + ".log"));
                }
            } finally {
                swarm.destroyForcibly().waitFor();
                coord.destroyForcibly();
            }
            String result = Files.readAllLines(work.resolve("heap-coordinator-" + nodes + ".log")).stream()
                    .filter(l -> l.startsWith("RESULT"))
                    .findFirst()
                    .orElseThrow();
            System.out.println(result);
            rows.add(heapRow(result));
        }
        FileTrees.delete(work.resolve("heap"));
        System.out.println();
        System.out.println(
                "| nodes | model MiB | coordinator -Xmx (MiB) | replies | seconds | live heap before (MiB) | peak live heap (MiB) | live samples |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static String heapRow(String result) {
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (String part : result.substring(7).split(" ")) {
            String[] p = part.split("=");
            kv.put(p[0], p[1]);
        }
        double mib = 1 << 20;
        return String.format(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %s | %s | %.0f | %.0f | %s |",
                kv.get("nodes"),
                Long.parseLong(kv.get("model_bytes")) / mib,
                Long.parseLong(kv.get("max_heap")) / mib,
                kv.get("replies"),
                kv.get("seconds"),
                Long.parseLong(kv.get("baseline_live")) / mib,
                Long.parseLong(kv.get("peak_live")) / mib,
                kv.get("samples"));
    }

    private static Process java(Path log, String xmx, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                xmx,
                "-XX:+UseG1GC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}

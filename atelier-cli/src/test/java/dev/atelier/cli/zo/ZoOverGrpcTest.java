package dev.atelier.cli.zo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.StrategyRegistry;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.core.workload.WorkloadRegistry;
import dev.atelier.transport.coordinator.CoordinatorTls;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import dev.atelier.transport.node.NodeRuntime;
import dev.atelier.transport.security.CertificateAuthority;
import dev.atelier.transport.security.Role;
import dev.atelier.zo.fed.FedKSeed;
import dev.atelier.zo.fed.ZoClient;
import dev.atelier.zo.fed.ZoProvider;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.zorba.Declared;
import dev.atelier.zo.zorba.ZorbaPlanner;
import dev.atelier.zo.zorba.ZorbaProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zo workload over gRPC with mutual TLS: a coordinator and 3 node runtimes on loopback sockets,
 * the workload found by name ({@code --workload zo}) and the strategy by spec text
 * ({@code fedkseed:k=128}), exactly as {@code atelier coordinator} / {@code atelier node} resolve them.
 */
class ZoOverGrpcTest {
    private static final List<String> NODES = List.of("store-a", "store-b", "store-c");
    private static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(64, 16, 2, 4, 4, 4, 32, 32);

    @TempDir
    Path tmp;

    /** What a gRPC run of the three nodes saw: the result, the nodes' workloads and the wire ledger. */
    private record Outcome(Run.Result result, Map<String, Node> built, WireLedger ledger, ParamSet initial) {}

    /**
     * A coordinator with strategy {@code spec} and the three node runtimes (each declaring
     * {@code declared.get(name)} at registration, as {@code atelier node --memory-budget} does),
     * three rounds.
     */
    private Outcome federate(Path model, String spec, Config train, Map<String, Map<String, String>> declared)
            throws Exception {
        Path data = ZoSimulateCommandTest.stores(tmp.resolve("data"), 3, 20);
        // store rows use ids below 512; this model's vocab is 64, so rewrite them mod 64
        for (int s = 0; s < 3; s++) {
            Path f = data.resolve("s" + s).resolve("rows.ids");
            List<String> lines = new ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(f)) {
                lines.add(java.util.Arrays.stream(line.split(","))
                        .map(x -> Integer.toString(Integer.parseInt(x) % 64))
                        .reduce((a, b) -> a + "," + b)
                        .orElseThrow());
            }
            java.nio.file.Files.write(f, lines);
        }
        CertificateAuthority ca = CertificateAuthority.init(tmp.resolve("pki"), "Zo Test CA", Duration.ofDays(2));
        ca.issue("coordinator", Role.COORDINATOR, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        for (String n : NODES) {
            ca.issue(n, Role.NODE, List.of(), Duration.ofDays(1));
        }
        Config workload = Config.of(Map.of(ZoProvider.MODEL, model.toString(), ZoProvider.MAX_LEN, 16));
        WorkloadProvider provider = WorkloadRegistry.get("zo");
        ParamSet initial = provider.initialParameters(workload);
        var strategy = StrategyRegistry.parse(spec).create(Sampling.all(3), train);

        Map<String, Node> built = new ConcurrentHashMap<>();
        List<NodeRuntime> runtimes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Run.Result result;
        WireLedger ledger;
        try (GrpcTransport t = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(CoordinatorTls.fromCaDir(ca.dir(), "coordinator"))
                .setFederation(new FederationInfo("zo-grpc", "zo", workload.values()))
                .setWorkDir(tmp.resolve("coord"))
                .optHeartbeat(Duration.ofMillis(300))
                .build()
                .start()) {
            for (int i = 0; i < NODES.size(); i++) {
                String name = NODES.get(i);
                Path store = data.resolve("s" + i);
                Path state = tmp.resolve("nodes").resolve(name);
                NodeRuntime rt = NodeRuntime.builder()
                        .setCertBundle(ca.dir().resolve(name))
                        .setCoordinator("127.0.0.1:" + t.port())
                        .setWorkload("zo")
                        .setWorkDir(state)
                        .optProperties(declared.getOrDefault(name, Map.of()))
                        .optPullWait(Duration.ofSeconds(2))
                        .optBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                        .setNodeFactory((id, cfg) -> {
                            Node n = provider.createNode(id, store, state.resolve("workload"), cfg);
                            built.put(id, n);
                            return n;
                        })
                        .build();
                Thread th = new Thread(
                        () -> {
                            try {
                                rt.run();
                            } catch (Exception e) {
                                // the test's assertions report what the run saw
                            }
                        },
                        "node-" + name);
                th.setDaemon(true);
                th.start();
                runtimes.add(rt);
                threads.add(th);
            }
            assertThat(t.awaitNodes(3, Duration.ofSeconds(30))).hasSize(3);
            result = Run.builder()
                    .setConfig(new RunConfig("zo-grpc", 3, 7, Duration.ofSeconds(60), 1, 1, Map.of()))
                    .setStrategy(strategy)
                    .setTransport(t)
                    .setInitial(initial)
                    .build()
                    .execute();
            ledger = t.ledger();
        } finally {
            runtimes.forEach(NodeRuntime::stop);
            for (Thread th : threads) {
                th.join(5000);
            }
        }
        return new Outcome(result, built, ledger, initial);
    }

    private Path model() throws Exception {
        Path model = tmp.resolve("model");
        var shapes = RandomCheckpoint.shapes(Family.GPT2, SPEC, true);
        RandomCheckpoint.write(
                model,
                RandomCheckpoint.config(Family.GPT2, SPEC, true),
                shapes,
                RandomCheckpoint.random(shapes, 3, 0.2));
        return model;
    }

    @Test
    void threeNodesEndBitIdenticalWithTheCoordinatorAndUploadUnderOneKibPerRound() throws Exception {
        Config train =
                Config.of(Map.of(TrainKeys.LOCAL_STEPS, 6, TrainKeys.BATCH_SIZE, 2, TrainKeys.LEARNING_RATE, 1e-2));
        assertThat(((FedKSeed) StrategyRegistry.parse("fedkseed:k=128").create(Sampling.all(3), train)).k())
                .isEqualTo(128);
        Outcome o = federate(model(), "fedkseed:k=128", train, Map.of());
        Run.Result result = o.result();
        Map<String, Node> built = o.built();
        WireLedger ledger = o.ledger();
        ParamSet initial = o.initial();

        assertThat(result.rounds()).hasSize(3).allSatisfy(r -> {
            assertThat(r.replies()).as("round %d: %s", r.round(), r.failures()).isEqualTo(3);
            assertThat(r.federatedEval().orElseThrow().replies()).isEqualTo(3);
        });
        assertThat(bits(result.global())).isNotEqualTo(bits(initial));
        assertThat(built).containsOnlyKeys(NODES);
        for (String n : NODES) {
            ZoClient c = (ZoClient) built.get(n).workload();
            assertThat(c.appliedRound()).isEqualTo(3);
            assertThat(bits(c.model().parameters())).as(n).isEqualTo(bits(result.global()));
        }
        // the wire audit: per node and round, every byte up (pairs, metrics, frame headers) <= 1 KiB,
        // and never a tensor
        Map<WireLedger.Key, Long> wire = ledger.snapshot();
        for (String n : NODES) {
            for (RoundRecord r : result.rounds()) {
                long up = wire.entrySet().stream()
                        .filter(e -> e.getKey().nodeId().equals(n)
                                && e.getKey().round() == r.round()
                                && e.getKey().direction() == Direction.FROM_NODE)
                        .mapToLong(Map.Entry::getValue)
                        .sum();
                assertThat(up).as("%s round %d", n, r.round()).isPositive().isLessThanOrEqualTo(1024);
                assertThat(wire.get(new WireLedger.Key(
                                n, r.round(), Direction.FROM_NODE, WireLedger.PayloadKind.PARAMETERS)))
                        .isNull();
            }
        }
        System.out.println("zo over gRPC, upload bytes per node and round: "
                + wire.entrySet().stream()
                        .filter(e -> e.getKey().direction() == Direction.FROM_NODE
                                && e.getKey().round() > 0)
                        .toList());
    }

    /**
     * {@code atelier node --workload zo --memory-budget …} under strategy {@code zorba}: the nodes'
     * declared budgets reach the allocator over gRPC, each node holds in memory only the blocks it
     * was allocated (its F32 copy in its state folder), and all end bit-identical with the
     * coordinator.
     */
    @Test
    void zorbaNodesDeclareBudgetsOverGrpcHoldOnlyTheirBlocksAndEndBitIdentical() throws Exception {
        Path model = model();
        var cfg = dev.atelier.zo.model.HfConfigReader.read(model.resolve("config.json"));
        int rows = 2;
        int seq = 16;
        var m = dev.atelier.zo.memory.MemoryModel.PROTOCOL;
        long block = dev.atelier.zo.memory.MemoryModel.blockCosts(cfg).residentBytes()[0];
        long fixed = m.fixedBytes(cfg, rows, seq);
        // store-a can hold both blocks, b and c one each: with 20 rows each and φ = 0.5 every block
        // needs two stores, so a takes both and b, c one each
        Map<String, Map<String, String>> declared = Map.of(
                "store-a", new Declared(fixed + 2 * block, 20).properties(),
                "store-b", new Declared(fixed + block, 20).properties(),
                "store-c", new Declared(fixed + block, 20).properties());
        Config train = Config.of(Map.of(
                TrainKeys.LOCAL_STEPS,
                4,
                TrainKeys.BATCH_SIZE,
                rows,
                TrainKeys.LEARNING_RATE,
                1e-2,
                ZorbaProvider.MODEL,
                model.toString(),
                ZorbaProvider.MAX_LEN,
                seq));
        Outcome o = federate(model, "zorba:k=128", train, declared);

        assertThat(o.result().rounds())
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.replies())
                        .as("round %d: %s", r.round(), r.failures())
                        .isEqualTo(3));
        String digest = dev.atelier.zo.fed.Replay.sha256(o.result().global());
        assertThat(digest).isNotEqualTo(dev.atelier.zo.fed.Replay.sha256(o.initial()));
        java.util.Set<java.util.SortedSet<Integer>> sets = new java.util.HashSet<>();
        for (String n : NODES) {
            ZoClient c = (ZoClient) o.built().get(n).workload();
            assertThat(c.appliedRound()).isEqualTo(3);
            java.util.SortedSet<Integer> held = c.heldBlocks();
            assertThat(held).as(n).hasSize(n.equals("store-a") ? 2 : 1);
            long budget = Long.parseLong(declared.get(n).get(Declared.MEMORY_BUDGET));
            assertThat(m.bound(cfg, held, rows, seq, ZorbaPlanner.RESIDENCY))
                    .as(n)
                    .isLessThanOrEqualTo(budget);
            assertThat(java.nio.file.Files.isRegularFile(
                            tmp.resolve("nodes").resolve(n).resolve("workload/replica/model.safetensors")))
                    .isTrue();
            assertThat(dev.atelier.zo.fed.Replay.sha256(c.globalModel().parameters()))
                    .as(n)
                    .isEqualTo(digest);
            sets.add(held);
        }
        assertThat(sets).hasSize(3); // {0, 1}, {0}, {1}
    }

    private static int[] bits(ParamSet s) {
        List<Integer> out = new ArrayList<>();
        for (Tensor t : s.asMap().values()) {
            for (float v : t.toFloats()) {
                out.add(Float.floatToRawIntBits(v));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] bits(List<Param> ps) {
        List<Integer> out = new ArrayList<>();
        for (Param p : ps) {
            for (float v : p.values()) {
                out.add(Float.floatToRawIntBits(v));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}

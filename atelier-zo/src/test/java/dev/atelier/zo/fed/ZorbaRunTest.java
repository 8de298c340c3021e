package dev.atelier.zo.fed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Failure;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.workload.Node;
import dev.atelier.zo.alloc.Allocation;
import dev.atelier.zo.alloc.BlockCosts;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.zorba.Declared;
import dev.atelier.zo.zorba.ZorbaPlanner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ZorBA in one JVM: the coordinator allocates blocks under the stores' declared budgets, each
 * store perturbs and updates only its blocks, and every party still ends bit-identical.
 */
class ZorbaRunTest {
    /** The fixtures' tiny GPT-2 with 4 blocks, so block sets can differ. */
    static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(48, 16, 4, 4, 2, 4, 32, 32);

    static final int BATCH = 2;
    static final int SEQ = 12;

    @TempDir
    Path tmp;

    private Path model() throws Exception {
        Path dir = tmp.resolve("model");
        var shapes = RandomCheckpoint.shapes(Family.GPT2, SPEC, true);
        RandomCheckpoint.write(
                dir, RandomCheckpoint.config(Family.GPT2, SPEC, true), shapes, RandomCheckpoint.random(shapes, 5, 0.2));
        return dir;
    }

    /** Nodes made by {@link #nodes}, closed after each test so their temporary model copies go. */
    private final List<Node> opened = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        opened.forEach(Node::close);
    }

    /** Nodes without a state folder, as {@code atelier node} without {@code --state-dir}: copies in temporary folders. */
    private List<Node> nodes(Path model, int n) throws Exception {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path data = FedFixtures.store(tmp.resolve("store" + i), i + 1, 30, 100 + i);
            out.add(new ZoProvider().createNode("n" + i, data, null, FedFixtures.workload(model)));
        }
        opened.addAll(out);
        return out;
    }

    /** A budget that holds {@code blocks} blocks (ZorBA's nodes hold their active blocks only) and no more. */
    private static long budgetFor(LmConfig c, int blocks) {
        BlockCosts costs = MemoryModel.blockCosts(c);
        return MemoryModel.PROTOCOL.fixedBytes(c, BATCH, SEQ) + blocks * costs.residentBytes()[0];
    }

    private static ZorbaPlanner planner(CausalLm m, Map<String, Declared> table, List<Allocation> log) {
        return planner(m, table, log, 0);
    }

    /** {@code alwaysScalars}: what every node perturbs besides its blocks, in the proxy. */
    private static ZorbaPlanner planner(
            CausalLm m, Map<String, Declared> table, List<Allocation> log, long alwaysScalars) {
        return new ZorbaPlanner(
                m.config(),
                BlockLayout.of(m),
                BATCH,
                SEQ,
                0.5,
                0.1,
                true,
                ZorbaPlanner.RESIDENCY,
                alwaysScalars,
                n -> {
                    Declared d = table.get(n.nodeId());
                    if (d == null) {
                        throw new IllegalArgumentException("declared no " + Declared.MEMORY_BUDGET);
                    }
                    return d;
                },
                log::add);
    }

    private static Run.Result run(Transport t, ParamSet initial, FedKSeed s, int rounds, RunListener l)
            throws Exception {
        return Run.builder()
                .setConfig(new RunConfig("zorba-test", rounds, 11, Duration.ofMinutes(2), 1, 1, Map.of()))
                .setStrategy(s)
                .setTransport(t)
                .setInitial(initial)
                .optListener(l)
                .build()
                .execute();
    }

    /**
     * n0 can hold every block, n1 {@code n1Blocks} of the 4, n2 one. With 30 examples each and the
     * floor φ = 0.5 every block needs two clients: 4 + 3 + 1 holds exactly that.
     */
    private static Map<String, Declared> budgets(LmConfig c, int n1Blocks) {
        Map<String, Declared> t = new HashMap<>();
        t.put("n0", new Declared(budgetFor(c, 4), 30));
        t.put("n1", new Declared(budgetFor(c, n1Blocks), 30));
        t.put("n2", new Declared(budgetFor(c, 1), 30));
        return t;
    }

    /**
     * {@code labelRows}: every node also perturbs four rows of the (tied) head besides its blocks
     * ({@code zo.always_trainable}, ZorBA on the label rows), which moves embeddings, so no node
     * may start a pass from a cached prefix.
     */
    @Test
    void closingANodeWithoutAStateFolderDeletesItsTemporaryModelCopy() throws Exception {
        Path model = model();
        CausalLm m = CausalLm.load(model);
        List<Node> nodes = nodes(model, 3);
        ZorbaPlanner planner = planner(m, budgets(m.config(), 3), new ArrayList<>(), 0);
        FedKSeed zorba = new FedKSeed(Sampling.all(3), FedFixtures.train(2, 1e-2), 16, FedKSeed.CatchUp.AUTO, planner);

        run(new InProcessTransport(nodes), ZoProvider.parameters(m), zorba, 1, RunListener.NONE);

        List<Path> copies = new ArrayList<>();
        for (Node n : nodes) {
            Path copy = FedFixtures.client(n).replicaFolder();
            assertThat(copy).isNotNull().isDirectory().isNotEqualTo(model);
            assertThat(copy.resolve("model.safetensors")).isRegularFile();
            copies.add(copy);
            n.close();
        }
        assertThat(copies).doesNotHaveDuplicates().allSatisfy(c -> assertThat(c).doesNotExist());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void heterogeneousBlockSetsLeaveThreeClientsAndTheCoordinatorBitIdentical(boolean labelRows) throws Exception {
        Path model = model();
        CausalLm m = CausalLm.load(model);
        ParamSet initial = ZoProvider.parameters(m);
        List<Node> nodes = nodes(model, 3);
        InProcessTransport t = new InProcessTransport(nodes);
        List<Allocation> log = new ArrayList<>();
        String head = m.headWeightName();
        int width = m.config().dims().hiddenSize();
        long always = labelRows ? 4L * width : 0;
        ZorbaPlanner planner = planner(m, budgets(m.config(), 3), log, always);
        dev.atelier.core.message.Config train = FedFixtures.train(4, 1e-2);
        if (labelRows) {
            train = train.with(ZoFedSettings.ALWAYS_TRAINABLE, head + "[3,7-9]");
        }
        assertThat(ZoFedSettings.read(train).updateScope().alwaysScalars(Trainable.all(m), BlockLayout.of(m)))
                .isEqualTo(always);
        FedKSeed zorba = new FedKSeed(Sampling.all(3), train, 64, FedKSeed.CatchUp.AUTO, planner);

        Run.Result r = run(t, initial, zorba, 3, RunListener.NONE);

        assertThat(zorba.name()).isEqualTo("zorba");
        assertThat(r.rounds()).hasSize(3).allSatisfy(rec -> {
            assertThat(rec.failures()).isEmpty();
            assertThat(rec.replies()).isEqualTo(3);
            assertThat(rec.federatedEval().orElseThrow().replies()).isEqualTo(3);
        });
        // one solve, one allocation per round, every budget respected, the block sets differ
        assertThat(planner.solves()).isEqualTo(1);
        assertThat(log).extracting(Allocation::round).containsExactly(1, 2, 3);
        Allocation a = log.get(0);
        assertThat(a.excluded()).isEmpty();
        assertThat(a.assigned()).allSatisfy(as -> assertThat(as.memoryBytes()).isLessThanOrEqualTo(as.budgetBytes()));
        assertThat(a.blocksOf("n0")).hasSize(4);
        assertThat(a.blocksOf("n1")).hasSize(3);
        assertThat(a.blocksOf("n2")).hasSize(1).doesNotContainAnyElementsOf(a.blocksOf("n1"));
        // the proxy counts every perturbed scalar: the always rows on each admitted node, plus its blocks
        long[] p = MemoryModel.blockCosts(m.config()).params();
        long proxy = 0;
        for (Allocation.Assignment as : a.assigned()) {
            proxy += as.examples() * always;
            for (int b : as.blocks()) {
                proxy += as.examples() * p[b];
            }
        }
        assertThat(a.proxy()).isEqualTo(proxy);

        int[] global = FedFixtures.bits(r.global());
        for (Node n : nodes) {
            ZoClient c = FedFixtures.client(n);
            assertThat(c.appliedRound()).isEqualTo(3);
            // each node holds exactly its planned blocks in memory, the rest in its F32 copy
            assertThat(c.heldBlocks()).as(n.nodeId()).isEqualTo(a.blocksOf(n.nodeId()));
            assertThat(FedFixtures.bits(c.globalModel())).as(n.nodeId()).isEqualTo(global);
            if (labelRows) {
                assertThat(c.prefixReuses()).as(n.nodeId()).isZero();
            }
        }
        // blocks move, and the always rows; embeddings, final norm and head (never in a block mask) do not
        BlockLayout layout = BlockLayout.of(m);
        List<Param> before = Replay.toParams(initial);
        List<Param> after = Replay.toParams(r.global());
        Set<Integer> active = new TreeSet<>();
        a.assigned().forEach(as -> active.addAll(as.blocks()));
        for (int i = 0; i < before.size(); i++) {
            float[] x = before.get(i).values();
            float[] y = after.get(i).values();
            boolean moved = !java.util.Arrays.equals(x, y);
            int b = layout.blockOf(i);
            boolean rows = labelRows && before.get(i).name().equals(head);
            assertThat(moved).as(before.get(i).name()).isEqualTo(b >= 0 && active.contains(b) || rows);
            for (int row = 0; rows && row < x.length / width; row++) {
                assertThat(java.util.Arrays.equals(
                                java.util.Arrays.copyOfRange(x, row * width, (row + 1) * width),
                                java.util.Arrays.copyOfRange(y, row * width, (row + 1) * width)))
                        .as("head row " + row)
                        .isEqualTo(row != 3 && row < 7 || row > 9);
            }
        }
        // the history carries each node's mask; the reply still only (seed, g): 3 + 10·4 bytes
        assertThat(zorba.log().between(0, 3))
                .allSatisfy(u -> assertThat(u.allFull()).isFalse());
        Map<WireLedger.Key, Long> wire = t.ledger().snapshot();
        for (String node : List.of("n0", "n1", "n2")) {
            assertThat(wire.get(new WireLedger.Key(
                            node, 2, WireLedger.Direction.FROM_NODE, WireLedger.PayloadKind.COMPACT)))
                    .isEqualTo(43L);
        }
        // the allocations are stored with the run state and come back on resume
        ParamSet state = zorba.serverState();
        assertThat(state.names()).contains(ZorbaPlanner.STATE);
        ZorbaPlanner restored = planner(m, budgets(m.config(), 3), new ArrayList<>(), always);
        new FedKSeed(Sampling.all(3), train, 64, FedKSeed.CatchUp.AUTO, restored).restoreServerState(state);
        assertThat(restored.history()).isEqualTo(log);
    }

    @Test
    void aClientJoiningMidRunIsAllocatedAndCatchesUpBitIdentical() throws Exception {
        Path model = model();
        CausalLm m = CausalLm.load(model);
        ParamSet initial = ZoProvider.parameters(m);
        List<Node> nodes = nodes(model, 3);
        InProcessTransport inner = new InProcessTransport(nodes);
        FedKSeedRunTest.LateJoin t = new FedKSeedRunTest.LateJoin(inner, Map.of("n2", 3));
        List<Allocation> log = new ArrayList<>();
        ZorbaPlanner planner = planner(m, budgets(m.config(), 4), log);
        FedKSeed zorba = new FedKSeed(
                new Sampling(1.0, 2, 2, 0.5), FedFixtures.train(3, 1e-2), 32, FedKSeed.CatchUp.REPLAY, planner);

        Run.Result r = run(t, initial, zorba, 4, t);

        assertThat(r.rounds()).extracting(RoundRecord::replies).containsExactly(2, 2, 3, 3);
        assertThat(r.rounds()).allSatisfy(rec -> assertThat(rec.failures()).isEmpty());
        assertThat(planner.solves()).isEqualTo(2); // once at the start, once when n2 joined
        assertThat(log.get(1).blocksOf("n2")).isEmpty();
        assertThat(log.get(2).blocksOf("n2")).hasSize(1);
        int[] global = FedFixtures.bits(r.global());
        for (Node n : nodes) {
            assertThat(FedFixtures.bits(FedFixtures.client(n).globalModel()))
                    .as(n.nodeId())
                    .isEqualTo(global);
        }
    }

    @Test
    void aClientWhoseBudgetCannotHoldTheTopBlockIsToldWhyAndLeftOut() throws Exception {
        Path model = model();
        CausalLm m = CausalLm.load(model);
        ParamSet initial = ZoProvider.parameters(m);
        List<Node> nodes = nodes(model, 3);
        Map<String, Declared> table = budgets(m.config(), 4);
        table.put("n2", new Declared(budgetFor(m.config(), 1) - 1, 30));
        List<Allocation> log = new ArrayList<>();
        ZorbaPlanner planner = planner(m, table, log);
        FedKSeed zorba = new FedKSeed(
                new Sampling(1.0, 3, 2, 0.5), FedFixtures.train(3, 1e-2), 32, FedKSeed.CatchUp.AUTO, planner);

        Run.Result r = run(new InProcessTransport(nodes), initial, zorba, 2, RunListener.NONE);

        assertThat(log.get(0).exclusionOf("n2").orElseThrow().reason())
                .contains("is below")
                .contains("the least any block set needs");
        assertThat(r.rounds()).allSatisfy(rec -> {
            assertThat(rec.replies()).isEqualTo(2);
            assertThat(rec.failures()).singleElement().satisfies(f -> {
                assertThat(f.nodeId()).isEqualTo("n2");
                assertThat(f.kind()).isNotEqualTo(Failure.Kind.REJECTED);
                assertThat(f.reason())
                        .contains("left out of round " + rec.round() + " by the coordinator: budget")
                        .contains("the least any block set needs");
            });
        });
        int[] global = FedFixtures.bits(r.global());
        assertThat(FedFixtures.bits(FedFixtures.client(nodes.get(0)).globalModel()))
                .isEqualTo(global);
        assertThat(FedFixtures.bits(FedFixtures.client(nodes.get(1)).globalModel()))
                .isEqualTo(global);
    }

    /** Adds each node's declared properties, as the gRPC registration carries {@code --memory-budget}. */
    private record Declaring(InProcessTransport inner, Map<String, Declared> table) implements Transport {
        @Override
        public List<NodeInfo> awaitNodes(int min, Duration timeout) {
            return inner.awaitNodes(min, timeout).stream()
                    .map(n -> new NodeInfo(n.nodeId(), table.get(n.nodeId()).properties()))
                    .toList();
        }

        @Override
        public void sendAndReceive(List<dev.atelier.core.message.Instruction> ins, ReplySink sink, Duration d) {
            inner.sendAndReceive(ins, sink, d);
        }
    }

    /**
     * Deployed: strategy {@code zorba} from the registry reads the nodes' declared budgets, and
     * nodes made by the {@code zo} workload (state folders as {@code atelier node} gives them) hold
     * in memory exactly the blocks the allocator counted against their budget, keep the rest in
     * their F32 copy, and end bit-identical with the coordinator; a node whose budget is below the
     * minimum is told why every round and left out.
     */
    /** A deployed run's outcome: the run and its nodes (state folders under {@code tag}). */
    private record Deployed(Run.Result result, List<Node> nodes, ZorbaPlanner history) {}

    /**
     * Three rounds of strategy {@code zorba} from the registry over 4 nodes made by the {@code zo}
     * workload, with the coordinator's table {@code table}; {@code own} gives a node's own declared
     * budget (as {@code atelier node --memory-budget} hands it to the workload).
     */
    private Deployed deployed(
            String tag,
            Path model,
            CausalLm m,
            Map<String, Declared> table,
            boolean prefixCaching,
            Map<String, Long> own)
            throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "n" + i;
            Path data = FedFixtures.store(tmp.resolve(tag + "store" + i), i + 1, 30, 100 + i);
            dev.atelier.core.message.Config w = FedFixtures.workload(model);
            if (own.containsKey(id)) {
                w = w.with(
                        dev.atelier.core.workload.WorkloadProvider.DECLARED_PREFIX + Declared.MEMORY_BUDGET,
                        own.get(id));
            }
            nodes.add(new ZoProvider().createNode(id, data, tmp.resolve(tag + "state" + i), w));
            FedFixtures.client(nodes.get(i)).prefixCaching(prefixCaching);
        }
        dev.atelier.core.message.Config train = FedFixtures.train(4, 1e-2)
                .with(dev.atelier.zo.zorba.ZorbaProvider.MODEL, model.toString())
                .with(dev.atelier.zo.zorba.ZorbaProvider.MAX_LEN, SEQ);
        FedKSeed zorba = (FedKSeed)
                dev.atelier.core.strategy.StrategyRegistry.parse("zorba:k=64").create(Sampling.all(4), train);
        Run.Result r = run(
                new Declaring(new InProcessTransport(nodes), table),
                ZoProvider.parameters(m),
                zorba,
                3,
                RunListener.NONE);
        ZorbaPlanner history = planner(m, table, new ArrayList<>());
        new FedKSeed(Sampling.all(4), train, 64, FedKSeed.CatchUp.AUTO, history)
                .restoreServerState(zorba.serverState());
        return new Deployed(r, nodes, history);
    }

    @Test
    void deployedNodesHoldOnlyThePlannedBlocksWithinTheirBudgetsAndReplayBitIdentical() throws Exception {
        Path model = model();
        CausalLm m = CausalLm.load(model);
        LmConfig cfg = m.config();
        Map<String, Declared> table = budgets(cfg, 3);
        table.put("n3", new Declared(budgetFor(cfg, 1) - 1, 30));

        Deployed d = deployed("cached-", model, m, table, true, Map.of());
        Run.Result r = d.result();
        List<Node> nodes = d.nodes();
        ZorbaPlanner history = d.history();
        assertThat(history.history()).hasSize(3);
        Allocation a = history.history().get(0);
        assertThat(r.rounds()).allSatisfy(rec -> {
            assertThat(rec.replies()).isEqualTo(3);
            assertThat(rec.failures()).singleElement().satisfies(f -> {
                assertThat(f.nodeId()).isEqualTo("n3");
                assertThat(f.reason())
                        .contains("left out of round " + rec.round() + " by the coordinator: budget")
                        .contains("the least any block set needs");
            });
        });
        String digest = Replay.sha256(r.global());
        for (Node n : nodes.subList(0, 3)) {
            ZoClient c = FedFixtures.client(n);
            java.util.SortedSet<Integer> blocks = a.blocksOf(n.nodeId());
            long budget = table.get(n.nodeId()).budgetBytes();
            // what the coordinator planned with is what the node holds, and it fits the budget
            assertThat(MemoryModel.PROTOCOL.bound(cfg, blocks, BATCH, SEQ, ZorbaPlanner.RESIDENCY))
                    .as(n.nodeId())
                    .isLessThanOrEqualTo(budget);
            assertThat(c.heldBlocks()).as(n.nodeId()).isEqualTo(blocks);
            assertThat(4 * c.model().parameterCount())
                    .isEqualTo(MemoryModel.PROTOCOL
                            .predict(cfg, blocks, BATCH, SEQ, dev.atelier.zo.memory.ClientMode.ACTIVE_ONLY)
                            .residentWeights());
            assertThat(java.nio.file.Files.isRegularFile(
                            tmp.resolve("cached-state" + n.nodeId().substring(1))
                                    .resolve("replica/model.safetensors")))
                    .isTrue();
            assertThat(Replay.sha256(c.globalModel().parameters()))
                    .as(n.nodeId())
                    .isEqualTo(digest);
            // a node whose active blocks all lie above block 0 ran its frozen prefix once per batch:
            // 4 steps x 2 rows, and every later pass of a step (2 per perturbation) started at block k
            if (history.history().get(2).blocksOf(n.nodeId()).first() > 0) {
                assertThat(c.prefixReuses()).as(n.nodeId()).isGreaterThan(0);
            } else {
                assertThat(c.prefixReuses()).as(n.nodeId()).isZero();
            }
        }
        assertThat(a.blocksOf("n1")).hasSize(3);
        assertThat(a.blocksOf("n2")).hasSize(1);
        assertThat(nodes.subList(0, 3))
                .as("some node's blocks lie above block 0")
                .anyMatch(n -> history.history().get(2).blocksOf(n.nodeId()).first() > 0);
        assertThat(Replay.sha256(r.global())).isNotEqualTo(Replay.sha256(ZoProvider.parameters(m)));

        // the same run with every perturbed pass running the prefix: the same global model, bit for bit
        Deployed plain = deployed("plain-", model, m, table, false, Map.of());
        assertThat(Replay.sha256(plain.result().global())).isEqualTo(digest);
        assertThat(plain.nodes())
                .allSatisfy(
                        n -> assertThat(FedFixtures.client(n).prefixReuses()).isZero());
    }

    /**
     * A node holds the coordinator's plan to its own declared budget: n2's own budget is a byte
     * below what its one block needs while the coordinator's table says it holds one, so it
     * refuses every round with one clear reason and changes nothing (no replica, nothing loaded).
     */
    @Test
    void aNodeRefusesAnInstructionAboveItsOwnBudgetAndChangesNothing() throws Exception {
        Path model = model();
        CausalLm m = CausalLm.load(model);
        LmConfig cfg = m.config();
        Map<String, Declared> table = budgets(cfg, 3);
        table.put("n3", new Declared(budgetFor(cfg, 4), 30));

        Deployed d = deployed("own-", model, m, table, true, Map.of("n2", budgetFor(cfg, 1) - 1));

        assertThat(d.history().history().get(0).blocksOf("n2")).hasSize(1);
        assertThat(d.result().rounds()).allSatisfy(rec -> {
            assertThat(rec.replies()).isEqualTo(3);
            assertThat(rec.failures()).singleElement().satisfies(f -> {
                assertThat(f.nodeId()).isEqualTo("n2");
                assertThat(f.reason())
                        .contains("node n2 refuses to train in round " + rec.round())
                        .contains("above its --memory-budget")
                        .contains("nothing was changed");
            });
        });
        ZoClient n2 = FedFixtures.client(d.nodes().get(2));
        assertThat(n2.heldBlocks()).isNull();
        assertThat(n2.model()).isNull();
        assertThat(n2.appliedRound()).isZero();
        assertThat(tmp.resolve("own-state2").resolve("replica")).doesNotExist();
        String digest = Replay.sha256(d.result().global());
        for (int i : new int[] {0, 1, 3}) {
            assertThat(Replay.sha256(
                            FedFixtures.client(d.nodes().get(i)).globalModel().parameters()))
                    .isEqualTo(digest);
        }
    }

    @Test
    void aMaskedReplayMovesOnlyTheMaskedBlocksAndAFullOneEqualsFedKSeeds() throws Exception {
        CausalLm m = CausalLm.load(model());
        BlockLayout layout = BlockLayout.of(m);
        SeedPool pool = new SeedPool(3, 16);
        List<Param> a = Replay.toParams(ZoProvider.parameters(m));
        List<Param> b = Replay.toParams(ZoProvider.parameters(m));
        SortedSet<Integer> one = new TreeSet<>(Set.of(1));
        RoundUpdate masked =
                new RoundUpdate(1, new int[] {4, 4}, new long[] {BlockMask.of(one), 0b1100}, new double[] {2.0, -1.0});
        Replay.apply(Trainable.allOf(a), layout, pool, masked, 0.1);
        for (int i = 0; i < a.size(); i++) {
            int blk = layout.blockOf(i);
            boolean moved = !java.util.Arrays.equals(a.get(i).values(), b.get(i).values());
            assertThat(moved).as(a.get(i).name()).isEqualTo(blk == 1 || blk == 2 || blk == 3);
        }
        RoundUpdate full = new RoundUpdate(1, new int[] {2, 7}, new double[] {0.5, -3});
        List<Param> c = Replay.toParams(ZoProvider.parameters(m));
        Replay.apply(Trainable.allOf(b), layout, pool, full, 0.1);
        Replay.apply(Trainable.allOf(c), pool, full, 0.1);
        for (int i = 0; i < b.size(); i++) {
            assertThat(b.get(i).values()).isEqualTo(c.get(i).values());
        }
        // the history's mask tensor round-trips, and a mask naming a missing block is refused
        ParamSet enc = UpdateLog.encode(List.of(masked));
        assertThat(enc.names()).contains(UpdateLog.MASK);
        assertThat(UpdateLog.decode(enc, 0, 1, 16, 10)).containsExactly(masked);
        // always-trained tensors must lie outside the blocks, and cannot be every tensor
        UpdateScope intoBlocks = new UpdateScope(
                dev.atelier.zo.train.TrainableScope.ALL, dev.atelier.zo.train.TrainableScope.parse("*h.1.*"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Replay.apply(Trainable.allOf(c), layout, pool, masked, 0.1, intoBlocks))
                .hasMessageContaining("of block 1; under a block mask the blocks are the allocator's");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ZoFedSettings.read(FedFixtures.train(1, 0.1).with(ZoFedSettings.ALWAYS_TRAINABLE, "*")))
                .hasMessageContaining("must name tensors outside the blocks");
        RoundUpdate beyond = new RoundUpdate(1, new int[] {0}, new long[] {1L << 4}, new double[] {1});
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Replay.apply(Trainable.allOf(c), layout, pool, beyond, 0.1))
                .hasMessageContaining("outside [0, 4)");
    }
}

package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.Evaluator;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code atelier zo simulate}: a FedKSeed federation of stores in one JVM over the
 * {@link InProcessTransport}, each store a {@link ZoClient} with its own model replica, exactly
 * as a deployed {@code atelier node --workload zo} runs it. Per round, {@code metrics.jsonl}
 * gets the stores' training loss ({@code fit.loss}), the held-out loss when federated evaluation is
 * on, and the bytes the transport's {@link WireLedger} counted for the training exchange:
 * {@code eval.wire_up_bytes_max} (the largest upload of one store) and
 * {@code eval.wire_down_bytes_mean} (mean download per store). Not thread-safe.
 */
public final class ZoSimulation {
    /**
     * @param rounds        federated rounds
     * @param seed          the run's seed (sampling and the seed pool derive from it)
     * @param k             seed pool size
     * @param fraction      share of stores sampled per round
     * @param evaluateEvery federated evaluation on the stores' held-out rows every N rounds (0 = off)
     * @param train         train settings ({@link ZoFedSettings})
     * @param parallel      stores trained at once (1: one after another). The forward-only
     *                      clients share nothing, and their replies are folded in store order, so
     *                      the run is the same computation at any value; only its wall time and
     *                      peak memory (one model per running store) change.
     */
    public record Settings(
            int rounds, long seed, int k, double fraction, int evaluateEvery, Config train, int parallel) {
        public Settings {
            if (parallel < 1) {
                throw new IllegalArgumentException("parallel stores must be at least 1, got " + parallel);
            }
        }

        /** One store at a time. */
        public Settings(int rounds, long seed, int k, double fraction, int evaluateEvery, Config train) {
            this(rounds, seed, k, fraction, evaluateEvery, train, 1);
        }

        /** These settings with {@code stores} trained at once. */
        public Settings withParallel(int stores) {
            return new Settings(rounds, seed, k, fraction, evaluateEvery, train, stores);
        }
    }

    /** One store: its node id and its rows. */
    public record Store(String nodeId, StoreData data) {}

    /** The run and what crossed the wire ({@code wire}: the transport's ledger at the end). */
    public record Outcome(Run.Result result, long parameters, long modelBytes, Map<WireLedger.Key, Long> wire) {}

    private ZoSimulation() {}

    public static final String UP_MAX = "wire_up_bytes_max";
    public static final String DOWN_MEAN = "wire_down_bytes_mean";

    /**
     * The stores of {@code data}: each subfolder is one store (in name order); a folder without
     * subfolders (or a file) is read whole and cut into {@code count} contiguous blocks of rows,
     * so a file sorted by topic gives stores with different topics.
     */
    public static List<Store> stores(Path data, int count, Path modelDir, int maxLen) throws IOException {
        CausalLm probe = CausalLm.load(modelDir);
        int vocab = probe.config().dims().vocabSize();
        int len = Math.min(maxLen, probe.config().dims().maxPositions());
        Optional<LmTokenizer> tok = LmTokenizer.find(modelDir);
        try {
            List<Path> dirs = new ArrayList<>();
            if (Files.isDirectory(data)) {
                try (Stream<Path> s = Files.list(data)) {
                    s.filter(Files::isDirectory).sorted().forEach(dirs::add);
                }
            }
            List<Store> out = new ArrayList<>();
            if (!dirs.isEmpty()) {
                for (int i = 0; i < dirs.size(); i++) {
                    out.add(new Store("store-" + i, TokenRows.load(dirs.get(i), tok.orElse(null), vocab, len)));
                }
                return out;
            }
            List<int[]> rows = TokenRows.read(data, tok.orElse(null), vocab, len);
            if (rows.size() < count) {
                throw new IllegalArgumentException(
                        data + " holds " + rows.size() + " usable rows, fewer than the " + count + " stores");
            }
            for (int i = 0; i < count; i++) {
                int from = (int) ((long) rows.size() * i / count);
                int to = (int) ((long) rows.size() * (i + 1) / count);
                out.add(new Store("store-" + i, new TokenRows(rows.subList(from, to))));
            }
            return out;
        } finally {
            tok.ifPresent(LmTokenizer::close);
        }
    }

    public static Outcome run(Path modelDir, List<Store> stores, Settings s, RunDirectory dir, RunListener listener)
            throws Exception {
        return run(modelDir, stores, s, dir, listener, null);
    }

    /**
     * As {@link #run(Path, List, Settings, RunDirectory, RunListener)}, printing one line per store
     * task to {@code progress} (null: silent), since a round of a large model takes minutes.
     */
    public static Outcome run(
            Path modelDir, List<Store> stores, Settings s, RunDirectory dir, RunListener listener, PrintStream progress)
            throws Exception {
        return run(modelDir, stores, s, dir, listener, progress, Evaluator.NONE);
    }

    /**
     * As above, adding {@code extra}'s metrics (e.g. a task's test-split accuracy of the global
     * model) to each round's {@code eval} metrics beside the wire bytes.
     */
    public static Outcome run(
            Path modelDir,
            List<Store> stores,
            Settings s,
            RunDirectory dir,
            RunListener listener,
            PrintStream progress,
            Evaluator extra)
            throws Exception {
        return run(modelDir, stores, s, dir, listener, progress, extra, null);
    }

    /**
     * As above under ZorBA when {@code planner} is not null: the coordinator allocates each
     * round's blocks with it ({@link FedKSeed} with a {@link BlockPlanner}).
     */
    public static Outcome run(
            Path modelDir,
            List<Store> stores,
            Settings s,
            RunDirectory dir,
            RunListener listener,
            PrintStream progress,
            Evaluator extra,
            BlockPlanner planner)
            throws Exception {
        // each store loads the model as its first instruction says (whole, or under ZorBA only its
        // blocks with an F32 copy on disk), exactly as a deployed node; the copies are scratch
        Path replicas = Files.createTempDirectory("atelier-zo-replicas-");
        try {
            return run(modelDir, stores, s, dir, listener, progress, extra, planner, replicas);
        } finally {
            dev.atelier.core.util.FileTrees.delete(replicas);
        }
    }

    private static Outcome run(
            Path modelDir,
            List<Store> stores,
            Settings s,
            RunDirectory dir,
            RunListener listener,
            PrintStream progress,
            Evaluator extra,
            BlockPlanner planner,
            Path replicas)
            throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (Store st : stores) {
            Node node = new Node(
                    st.nodeId(),
                    List.of(),
                    new ZoClient(st.nodeId(), modelDir, replicas.resolve(st.nodeId()), st.data()));
            nodes.add(progress == null ? node : node.withOuter(timed(progress, stores.size())));
        }
        ParamSet initial = ZoProvider.parameters(CausalLm.load(modelDir));
        InProcessTransport transport = new InProcessTransport(nodes).optParallelism(s.parallel());
        int n = nodes.size();
        int min = Math.max(1, (int) Math.ceil(s.fraction() * n));
        // under ZorBA the stores the planner leaves out fail by design (told why): the round
        // aggregates whatever the admitted stores send
        Sampling sampling =
                planner == null ? new Sampling(s.fraction(), n, min, 0.5) : new Sampling(s.fraction(), n, 1, 1.0);
        FedKSeed strategy = new FedKSeed(sampling, s.train(), s.k(), FedKSeed.CatchUp.AUTO, planner);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workload", ZoProvider.NAME);
        details.put("model", modelDir.toString());
        details.put("stores", n);
        details.put("k", s.k());
        details.put("transport", "in-process");
        RunConfig rc = new RunConfig(
                "zo-simulate",
                s.rounds(),
                s.seed(),
                Duration.ofHours(1),
                Math.max(1, s.rounds()),
                s.evaluateEvery(),
                details);
        Run.Result result = Run.builder()
                .setConfig(rc)
                .setStrategy(strategy)
                .setTransport(transport)
                .setInitial(initial)
                .optDirectory(dir)
                .optEvaluator(both(wire(transport.ledger()), extra))
                .optListener(listener)
                .build()
                .execute();
        return new Outcome(
                result,
                initial.numElements(),
                initial.byteSize(),
                transport.ledger().snapshot());
    }

    /** Prints "round r: store-3 train done in 2.1 s" after each task. */
    private static NodeMiddleware timed(PrintStream out, int stores) {
        return (ins, cancel, next) -> {
            long t0 = System.nanoTime();
            Reply r = next.handle(ins, cancel);
            out.printf(
                    Locale.ROOT,
                    "  round %d: %s %s done in %.1f s (%d stores)%n",
                    ins.round(),
                    ins.nodeId(),
                    ins.kind().name().toLowerCase(Locale.ROOT),
                    (System.nanoTime() - t0) / 1e9,
                    stores);
            return r;
        };
    }

    /** Per round, the training exchange's bytes as the ledger counted them (called before evaluation). */
    static Evaluator wire(WireLedger ledger) {
        return (round, global) -> {
            Map<String, Long> up = new LinkedHashMap<>();
            Map<String, Long> down = new LinkedHashMap<>();
            ledger.snapshot().forEach((key, bytes) -> {
                if (key.round() == round) {
                    (key.direction() == WireLedger.Direction.FROM_NODE ? up : down)
                            .merge(key.nodeId(), bytes, Long::sum);
                }
            });
            double upMax = up.values().stream().mapToLong(Long::longValue).max().orElse(0);
            double downMean =
                    down.values().stream().mapToLong(Long::longValue).average().orElse(0);
            return Map.of(UP_MAX, upMax, DOWN_MEAN, downMean);
        };
    }

    private static Evaluator both(Evaluator first, Evaluator second) {
        return (round, global) -> {
            Map<String, Double> out = new LinkedHashMap<>(first.evaluate(round, global));
            out.putAll(second.evaluate(round, global));
            return out;
        };
    }

    /** The largest per-store upload of any round. */
    public static double maxUpload(List<RoundRecord> rounds) {
        return rounds.stream()
                .mapToDouble(r -> r.eval().getOrDefault(UP_MAX, 0.0))
                .max()
                .orElse(0);
    }
}

package dev.atelier.zo.zorba;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.zo.compare.Comparison;
import dev.atelier.zo.compare.MemoryProbe;
import dev.atelier.zo.compare.TaskEval;
import dev.atelier.zo.compare.TaskStoreData;
import dev.atelier.zo.fed.BlockLayout;
import dev.atelier.zo.fed.ZoFedSettings;
import dev.atelier.zo.fed.ZoProvider;
import dev.atelier.zo.fed.ZoSimulation;
import dev.atelier.zo.memory.ChildJvm;
import dev.atelier.zo.memory.ClientJob;
import dev.atelier.zo.memory.ClientMode;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.task.StoreSplit;
import dev.atelier.zo.task.TaskItem;
import dev.atelier.zo.task.TextTask;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * {@code atelier zo demo}: part 1's comparison harness (one base model, one Dirichlet store split,
 * one fixed test split, {@link TaskEval} after every round) with heterogeneous stores, in four
 * rows: first-order FedAvg, full-model ZO (FedKSeed), ZorBA, and ZorBA with the allocator's first
 * stage only. Each store gets a memory budget; the budgets span 4× geometrically, from a quarter of
 * the top one up to 1.25 × the measured first-order client peak (raised if needed so the smallest
 * still holds ZorBA's least block set), so the small stores cannot hold first-order training
 * (left out of that row, with the reason) but take part under ZorBA. Peaks are measured by the
 * memory protocol (one child JVM per client mode and block set) and, for ZO clients, predicted by
 * {@link MemoryModel#PROTOCOL}. Writes {@code fo-metrics.jsonl} and one run folder per ZO row
 * ({@code metrics.jsonl}, {@code allocations.jsonl} for ZorBA). Not thread-safe.
 */
public final class ZorbaDemo {
    /**
     * Part 1's harness settings plus ZorBA's coverage floor φ ({@code coverageFloor}) and the
     * lexicographic stage's ε ({@code lexEpsilon}). The ZorBA rows run the harness's ZO settings
     * ({@code zoSteps} × {@code zoBatch}, {@code zoLr}, {@code zoLrDecay}) with
     * {@code harness.zoTrainable()} as what every store perturbs besides its allocated blocks
     * ({@code zo.always_trainable}; "" = the blocks alone); the full-model ZO row runs {@code
     * harness.fullModel()} over every tensor (the harness's ZO settings when null).
     */
    public record Settings(Comparison.Settings harness, double coverageFloor, double lexEpsilon) {
        /** Rounds of every row (issue 11's comparison: 5). */
        public static final int ROUNDS = 5;

        /** ZorBA's SPSA steps per store per round, rows per step and learning rate (docs/zo.md, "ZorBA demo"). */
        public static final int ZO_STEPS = 48;

        public static final int ZO_BATCH = 16;
        public static final double ZO_LR = 1e-2;

        /**
         * The full-model ZO row: {@link Comparison#FULL_MODEL} (issue 11's FedKSeed-like row) with
         * 8 steps instead of 16, for the demo's 5-minute budget: at 16 steps the full-model row
         * alone took 382 s of a loaded machine's wall time (docs/zo.md, "ZorBA demo").
         */
        public static final Comparison.ZoRun FULL_MODEL = new Comparison.ZoRun(
                8,
                Comparison.FULL_MODEL.batch(),
                Comparison.FULL_MODEL.lr(),
                Comparison.FULL_MODEL.lrDecay(),
                Comparison.FULL_MODEL.perturbations());

        /** What every ZorBA store perturbs besides its blocks: the output head's label rows. */
        public static final String ALWAYS = Comparison.HEAD + Comparison.LABELS;

        /**
         * The demo's and the bench's settings: ZorBA {@link #ZO_BATCH} rows, {@link #ZO_LR}
         * constant, ε 1e-3, K 1024, head label rows for every store; the full-model row
         * {@link #FULL_MODEL}; first-order 4 Adam steps of 16 rows, lr 1e-3; Dirichlet(0.5) stores.
         */
        public static Settings defaults(
                int stores, int rounds, int zoSteps, double floor, double lexEpsilon, long seed) {
            return new Settings(
                    new Comparison.Settings(
                            stores,
                            0.5,
                            rounds,
                            zoSteps,
                            ZO_BATCH,
                            ZO_LR,
                            1e-3,
                            1024,
                            4,
                            16,
                            1e-3f,
                            seed,
                            1.0,
                            1,
                            ALWAYS,
                            FULL_MODEL),
                    floor,
                    lexEpsilon);
        }

        /** These settings with another SPSA batch and learning rate for the ZorBA rows. */
        public Settings withZo(int zoBatch, double zoLr) {
            return new Settings(harness.withZo(zoBatch, zoLr), coverageFloor, lexEpsilon);
        }
    }

    /** How client peaks are measured: first-order and ZO jobs (the memory protocol in production). */
    public interface Peaks {
        long firstOrder(Path modelDir, int rows, int seqLen) throws Exception;

        long zo(ClientJob job) throws Exception;

        /** Child JVMs: {@link MemoryProbe#childJvm} for first-order, {@link ChildJvm} for ZO. */
        static Peaks protocol(long maxHeapBytes, int steps) {
            MemoryProbe fo = MemoryProbe.childJvm(maxHeapBytes, steps);
            ChildJvm jvm = new ChildJvm(maxHeapBytes, 600);
            return new Peaks() {
                @Override
                public long firstOrder(Path modelDir, int rows, int seqLen) throws Exception {
                    return fo.firstOrder(modelDir, rows, seqLen).bytes();
                }

                @Override
                public long zo(ClientJob job) throws Exception {
                    return jvm.run(job).measuredPeak();
                }
            };
        }
    }

    /**
     * The scorer of every accuracy the demo reports: issue 11's pass scorer, fixed on validation
     * before its test run ({@link Comparison#PASS_SCORER}, uncalibrated).
     */
    public static final TaskEval.Scorer SCORER = Comparison.PASS_SCORER;

    static final String FO = "first-order FedAvg";
    static final String FULL_ZO = "full-model ZO (FedKSeed)";
    static final String ZORBA = "ZorBA";
    static final String ZORBA_STAGE1 = "ZorBA without the lexicographic stage";

    private ZorbaDemo() {}

    public static DemoResult run(Path modelDir, TextTask task, Settings s, Path out, Peaks peaks, PrintStream log)
            throws Exception {
        long t0 = System.nanoTime();
        List<List<TaskItem>> split = split(task, s);
        int n = split.size();
        List<String> ids = IntStream.range(0, n).mapToObj(i -> "store-" + i).toList();
        try (LmTokenizer tok = LmTokenizer.find(modelDir)
                .orElseThrow(() -> new IllegalArgumentException(modelDir + ": no tokenizer.json (the task is text)"))) {
            CausalLm base = CausalLm.load(modelDir);
            LmConfig cfg = base.config();
            int layers = cfg.dims().numLayers();
            int seq = cfg.dims().maxPositions();
            int rows = s.harness().zoBatch();
            TaskEval eval = new TaskEval(CausalLm.load(modelDir), tok, task.labelWords(), task.test());
            TaskEval.Score zero = eval.of(ZoProvider.parameters(base));
            log.println("zero-shot: test accuracy " + zero.accuracy(SCORER) + " ("
                    + SCORER.name().toLowerCase(Locale.ROOT) + "), loss " + fmt(zero.loss()));

            // memory: the first-order and full-ZO clients' measured peaks fix the budgets
            long foPeak = peaks.firstOrder(modelDir, rows, seq);
            SortedSet<Integer> all = new TreeSet<>();
            IntStream.range(0, layers).forEach(all::add);
            long fullPeak = peaks.zo(new ClientJob(modelDir, all, rows, seq, 3, ClientMode.FULL, 1));
            long fullPredicted = MemoryModel.PROTOCOL.expected(cfg, all, rows, seq, ClientMode.FULL);
            long[] budget =
                    budgets(n, foPeak, MemoryModel.PROTOCOL.fixedBytes(cfg, rows, seq), MemoryModel.blockCosts(cfg));
            log.printf(
                    Locale.ROOT,
                    "peaks: first-order %.1f MiB, full-model ZO %.1f MiB measured (%.1f predicted);"
                            + " budgets %.1f .. %.1f MiB over %d stores%n",
                    mib(foPeak),
                    mib(fullPeak),
                    mib(fullPredicted),
                    mib(budget[0]),
                    mib(budget[n - 1]),
                    n);

            List<DemoResult.Method> methods = new ArrayList<>();
            methods.add(FirstOrderRow.run(modelDir, tok, task, split, ids, budget, foPeak, eval, zero, s, out, log));
            List<ZoSimulation.Store> stores = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                stores.add(new ZoSimulation.Store(
                        ids.get(i), new TaskStoreData(split.get(i), tok, task.labelWords(), seq)));
            }
            // full-model ZO: a store takes part when its budget holds the measured full-model peak
            List<ZoSimulation.Store> fullIn = new ArrayList<>();
            List<DemoResult.Client> fullClients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean in = budget[i] >= fullPeak;
                if (in) {
                    fullIn.add(stores.get(i));
                }
                fullClients.add(new DemoResult.Client(
                        ids.get(i),
                        split.get(i).size(),
                        budget[i],
                        in ? null : "budget below the full-model ZO client's measured peak " + mibText(fullPeak),
                        in ? all : new TreeSet<>(),
                        in ? fullPredicted : -1,
                        in ? fullPeak : -1,
                        null,
                        null));
            }
            Comparison.Settings h = s.harness();
            Comparison.ZoRun full = h.fullModel() != null
                    ? h.fullModel()
                    : new Comparison.ZoRun(h.zoSteps(), h.zoBatch(), h.zoLr(), h.zoLrDecay(), h.zoPerturbations());
            methods.add(ZoRows.zo(
                    FULL_ZO,
                    modelDir,
                    fullIn,
                    fullClients,
                    null,
                    zero,
                    eval,
                    trainConfig(full, h.epsilon(), "", ""),
                    s,
                    out.resolve("fedkseed"),
                    log));
            // ZorBA: the allocated blocks plus, on every store, the always-trained tensors (resolved names)
            String always = Comparison.resolveTrainable(
                    h.zoTrainable(), base, dev.atelier.zo.task.TaskRows.completions(tok, task.labelWords()));
            Config train = trainConfig(
                    new Comparison.ZoRun(h.zoSteps(), h.zoBatch(), h.zoLr(), h.zoLrDecay(), h.zoPerturbations()),
                    h.epsilon(),
                    "",
                    always);
            BlockLayout layout = BlockLayout.of(base);
            long alwaysScalars = ZoFedSettings.read(train)
                    .updateScope()
                    .alwaysScalars(dev.atelier.zo.train.Trainable.all(base), layout);
            log.printf(
                    Locale.ROOT,
                    "ZorBA rows: %d x %d SPSA, lr %s; every store also perturbs %s (%d scalars)%n",
                    h.zoSteps(),
                    h.zoBatch(),
                    h.zoLr(),
                    always.isEmpty() ? "nothing" : always,
                    alwaysScalars);
            Map<String, Declared> table = new HashMap<>();
            for (int i = 0; i < n; i++) {
                table.put(ids.get(i), new Declared(budget[i], split.get(i).size()));
            }
            Map<SortedSet<Integer>, Long> measured = new HashMap<>();
            ZorbaPlanner lexPlanner = null;
            for (boolean lex : new boolean[] {true, false}) {
                Path dir = out.resolve(lex ? "zorba" : "zorba-stage1");
                Files.createDirectories(dir);
                Path allocLog = dir.resolve("allocations.jsonl");
                Files.deleteIfExists(allocLog);
                ZorbaPlanner planner = ZorbaPlanner.simulated(
                        cfg, layout, rows, seq, s.coverageFloor(), s.lexEpsilon(), lex, alwaysScalars, table, allocLog);
                if (!lex && ZoRows.plansAlike(lexPlanner, planner, ids, h.rounds())) {
                    // same blocks for every store in every round: the same seeds, masks and replays,
                    // so the run would be ZorBA's bit for bit (ZorbaRunTest's determinism); not repeated
                    Files.copy(out.resolve("zorba/metrics.jsonl"), dir.resolve("metrics.jsonl"));
                    methods.add(ZoRows.sameRun(ZORBA_STAGE1, methods.get(methods.size() - 1), planner));
                    log.println(ZORBA_STAGE1 + ": the first stage alone assigns every store the same blocks in"
                            + " every round as both stages, so its run is ZorBA's bit for bit; not repeated");
                    continue;
                }
                if (!lex) { // the check planned its rounds: start the row's planner and log afresh
                    Files.deleteIfExists(allocLog);
                    planner = ZorbaPlanner.simulated(
                            cfg,
                            layout,
                            rows,
                            seq,
                            s.coverageFloor(),
                            s.lexEpsilon(),
                            false,
                            alwaysScalars,
                            table,
                            allocLog);
                }
                lexPlanner = planner;
                methods.add(ZoRows.zo(
                        lex ? ZORBA : ZORBA_STAGE1,
                        modelDir,
                        stores,
                        null,
                        new ZoRows.ZorbaRow(planner, budget, split, ids, cfg, rows, seq, peaks, modelDir, measured),
                        zero,
                        eval,
                        train,
                        s,
                        dir,
                        log));
            }
            return new DemoResult(
                    modelDir.toString(),
                    base.parameterCount(),
                    layers,
                    task.test().size(),
                    task.train().size(),
                    methods,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** One ZO row's train config: {@code trainable} and {@code always} as zo.trainable and zo.always_trainable. */
    static Config trainConfig(Comparison.ZoRun z, double epsilon, String trainable, String always) {
        Config c = Config.of(Map.of(
                TrainKeys.LOCAL_STEPS, z.steps(),
                TrainKeys.BATCH_SIZE, z.batch(),
                TrainKeys.LEARNING_RATE, z.lr(),
                ZoFedSettings.EPSILON, epsilon,
                ZoFedSettings.LR_DECAY, z.lrDecay(),
                ZoFedSettings.PERTURBATIONS, z.perturbations(),
                ZoFedSettings.TRAINABLE, trainable,
                ZoFedSettings.ALWAYS_TRAINABLE, always));
        ZoFedSettings.read(c); // refuse bad settings before any row runs
        return c;
    }

    /** The demo's stores: part 1's Dirichlet split of the training items, empty stores dropped. */
    public static List<List<TaskItem>> split(TextTask task, Settings s) {
        List<List<TaskItem>> split = new ArrayList<>();
        for (List<TaskItem> st : StoreSplit.split(
                task.train(),
                task.labelWords().size(),
                s.harness().stores(),
                s.harness().alpha(),
                s.harness().seed())) {
            if (!st.isEmpty()) {
                split.add(st);
            }
        }
        return split;
    }

    /**
     * {@code n} budgets spanning 4× geometrically up to 1.25 × the first-order peak
     * ({@link StoreBudgets#spread}: raised when needed so the smallest still holds ZorBA's least
     * set, fixed part + one block, with 5% to spare).
     */
    static long[] budgets(int n, long firstOrderPeak, long fixedBytes, dev.atelier.zo.alloc.BlockCosts costs) {
        return StoreBudgets.spread(
                n, Math.round(1.25 * firstOrderPeak), fixedBytes + costs.residentFrom(costs.blocks() - 1));
    }

    static DemoResult.Point point(int round, TaskEval.Score s) {
        dev.atelier.zo.task.Accuracy a = s.accuracy(SCORER);
        return new DemoResult.Point(round, a.value(), a.low(), a.high(), s.loss());
    }

    /** A round's point from its {@link TaskEval.Score#metrics} (a metrics.jsonl line), under {@link #SCORER}. */
    static DemoResult.Point point(int round, java.util.function.ToDoubleFunction<String> metric) {
        String acc = SCORER == TaskEval.Scorer.CALIBRATED ? "test_accuracy" : "test_accuracy_uncalibrated";
        return new DemoResult.Point(
                round,
                metric.applyAsDouble(acc),
                metric.applyAsDouble(acc + "_low"),
                metric.applyAsDouble(acc + "_high"),
                metric.applyAsDouble("test_loss"));
    }

    /** {@code last} (a row's final model) against {@code zero} under {@link #SCORER}. */
    static DemoResult.VsZeroShot vsZeroShot(TaskEval.Score zero, TaskEval.Score last) {
        return new DemoResult.VsZeroShot(
                dev.atelier.zo.compare.Paired.of(zero, last, SCORER),
                dev.atelier.zo.compare.Paired.separated(zero, last, SCORER));
    }

    static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }

    static String mibText(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", mib(bytes));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}

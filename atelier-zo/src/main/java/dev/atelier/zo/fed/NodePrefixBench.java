package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.util.Cancellation;
import dev.atelier.zo.alloc.Residency;
import dev.atelier.zo.memory.MemoryBench;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Prefix caching on the deployed node, measured: two {@link ZoClient}s as {@code atelier node
 * --workload zo} builds them (held blocks, F32 copy on disk), one reusing the frozen prefix's
 * output within a batch and one running it in every perturbed pass, get the same round-1 ZorBA
 * train instruction (active blocks {@code --blocks}, default the top block), alternately, in one
 * JVM; prints seconds per SPSA step of each after one untimed instruction each, and whether their
 * replies are equal bit for bit. Usage: {@code NodePrefixBench WORK_DIR [--model DIR] [--blocks
 * 5] [--rows 2] [--seq 32] [--steps 2] [--reps 3]}; without {@code --model} a random-init
 * gpt2-small ({@link MemoryBench#SMALL}) is written into WORK_DIR.
 */
public final class NodePrefixBench {
    private NodePrefixBench() {}

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        if (a.isEmpty()) {
            System.err.println("usage: NodePrefixBench WORK_DIR [--model DIR] [--blocks 5] [--rows 2] [--seq 32]"
                    + " [--steps 2] [--reps 3]");
            System.exit(2);
        }
        Path work = Path.of(a.remove(0));
        Path model = Path.of(option(a, "--model", work.resolve("gpt2-small").toString()));
        if (!Files.exists(model.resolve("model.safetensors"))) {
            var shapes = RandomCheckpoint.shapes(Family.GPT2, MemoryBench.SMALL, true);
            RandomCheckpoint.write(
                    model,
                    RandomCheckpoint.config(Family.GPT2, MemoryBench.SMALL, true),
                    shapes,
                    RandomCheckpoint.random(shapes, 2, 0.02));
        }
        int rows = Integer.parseInt(option(a, "--rows", "2"));
        int seq = Integer.parseInt(option(a, "--seq", "32"));
        int steps = Integer.parseInt(option(a, "--steps", "2"));
        int reps = Integer.parseInt(option(a, "--reps", "3"));
        CausalLm whole = CausalLm.load(model);
        int layers = whole.numBlocks();
        String blocks = option(a, "--blocks", Integer.toString(layers - 1));
        if (!a.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments " + a);
        }
        long mask = BlockMask.parse(blocks, layers);
        String digest = Replay.sha256(whole.parameters());
        int vocab = whole.config().dims().vocabSize();
        whole = null; // the nodes load only their blocks
        StoreData data = randomRows(vocab, seq, 64);
        Config train = Config.of(java.util.Map.of(
                        TrainKeys.LOCAL_STEPS, steps, TrainKeys.BATCH_SIZE, rows, TrainKeys.LEARNING_RATE, 1e-6))
                .with(SyncKeys.K, 64)
                .with(SyncKeys.POOL_SEED, 7)
                .with(SyncKeys.BASE_ROUND, 0)
                .with(SyncKeys.MODEL_SHA256, digest)
                .with(SyncKeys.HOLD, Residency.ACTIVE.key())
                .with(SyncKeys.SYNC, SyncKeys.REPLAY)
                .with(SyncKeys.REPLAY_AFTER, 0)
                .with(SyncKeys.BLOCKS, BlockMask.text(mask));
        int seeds = ZoFedSettings.read(train).seedsPerRound();
        train = train.with(
                SyncKeys.SEEDS,
                IntStream.range(0, seeds).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        Instruction ins = Instruction.train("prefix-bench", 1, "n0", train, ParamSet.empty());

        ZoClient cached = new ZoClient("n0", model, work.resolve("replica-cached"), data);
        ZoClient plain = new ZoClient("n0", model, work.resolve("replica-plain"), data);
        plain.prefixCaching(false);
        Reply first = cached.handle(ins, Cancellation.none()); // untimed: loading and JIT warm-up
        Reply firstPlain = plain.handle(ins, Cancellation.none());
        boolean equal = Arrays.equals(first.payload(), firstPlain.payload());
        double[] sec = new double[2];
        double[] cpu = new double[2];
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < reps; r++) {
            for (int m = 0; m < 2; m++) {
                ZoClient c = m == 0 ? cached : plain;
                long t0 = System.nanoTime();
                long c0 = os.getProcessCpuTime();
                Reply rep = c.handle(ins, Cancellation.none());
                sec[m] += (System.nanoTime() - t0) / 1e9;
                cpu[m] += (os.getProcessCpuTime() - c0) / 1e9;
                equal &= Arrays.equals(rep.payload(), first.payload());
            }
        }
        double perStepCached = sec[0] / (reps * (double) steps);
        double perStepPlain = sec[1] / (reps * (double) steps);
        System.out.printf(
                Locale.ROOT,
                "%s, %d blocks, active %s, %d rows x %d tokens, %d seeds/round, %d timed instructions each%n"
                        + "  prefix run in every pass:  %.3f s/step wall, %.3f s/step CPU%n"
                        + "  prefix run once per batch: %.3f s/step wall, %.3f s/step CPU (%d row forwards per"
                        + " instruction started at block %d)%n  saving %.0f%% wall, %.0f%% CPU; replies bit-identical: %s%n",
                model.getFileName(),
                layers,
                new TreeSet<>(BlockMask.blocks(mask)),
                rows,
                seq,
                seeds,
                reps,
                perStepPlain,
                cpu[1] / (reps * (double) steps),
                perStepCached,
                cpu[0] / (reps * (double) steps),
                cached.prefixReuses(),
                Long.numberOfTrailingZeros(mask),
                100 * (1 - perStepCached / perStepPlain),
                100 * (1 - cpu[0] / cpu[1]),
                equal ? "yes" : "NO");
        if (!equal) {
            System.exit(1);
        }
    }

    private static String option(List<String> a, String name, String fallback) {
        int i = a.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= a.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String v = a.get(i + 1);
        a.subList(i, i + 2).clear();
        return v;
    }

    /** {@code n} rows of {@code seq} random token ids (the default loss: every predicted position). */
    private static StoreData randomRows(int vocab, int seq, int n) {
        SplittableRandom rng = new SplittableRandom(3);
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(rng.ints(seq, 0, vocab).toArray());
        }
        List<int[]> fixed = List.copyOf(rows);
        return new StoreData() {
            @Override
            public List<int[]> trainRows() {
                return fixed;
            }

            @Override
            public Evaluation evaluate(CausalLm model) {
                throw new IllegalStateException("the bench only trains");
            }
        };
    }
}

package dev.atelier.zo.memory;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.FrozenPrefix;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.ZoSettings;
import dev.atelier.zo.train.ZoTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The memory-model validation bench (docs/zo.md, "Client memory model"), a main without tests:
 * writes two random-init GPT-2 checkpoints if absent (GPT-2 124M's config, and a 6-block,
 * hidden-384 one), runs each client job in its own child JVM ({@link ChildJvm}) and prints a
 * markdown table of predicted ({@link MemoryModel#PROTOCOL}) against measured peaks, then the
 * prefix-caching timing (warm, in this JVM: plain steps against steps from the cached prefix).
 * {@code --model DIR} adds a checkpoint's rows before the two (e.g. the base LM);
 * {@code --only-timing} skips the memory rows, {@code --only-memory} the timing, {@code
 * --only-given} measures only the {@code --model} rows. Each row's raw
 * {@link ProbeResult} also goes to stderr.
 *
 * <pre>java -Datelier.zo.threads=1 -cp CLASSPATH dev.atelier.zo.memory.MemoryBench WORK_DIR [rows seq steps]
 *     [--model DIR]... [--only-timing | --only-memory]</pre>
 */
public final class MemoryBench {
    private MemoryBench() {}

    /** The smaller model: GPT-2 layout, vocab 50257, hidden 384, 6 blocks (30.3M parameters). */
    public static final RandomCheckpoint.Spec SMALL = new RandomCheckpoint.Spec(50257, 384, 6, 6, 6, 64, 1536, 1024);

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        boolean onlyTiming = a.remove("--only-timing");
        boolean onlyGiven = a.remove("--only-given");
        boolean onlyMemory = onlyGiven || a.remove("--only-memory");
        List<Path> extra = new ArrayList<>();
        for (int i = a.indexOf("--model"); i >= 0; i = a.indexOf("--model")) {
            if (i + 1 >= a.size()) {
                usage();
            }
            extra.add(Path.of(a.get(i + 1)));
            a.subList(i, i + 2).clear();
        }
        if (a.size() != 1 && a.size() != 4) {
            usage();
        }
        Path work = Path.of(a.get(0));
        int rows = a.size() == 4 ? Integer.parseInt(a.get(1)) : 2;
        int seq = a.size() == 4 ? Integer.parseInt(a.get(2)) : 32;
        int steps = a.size() == 4 ? Integer.parseInt(a.get(3)) : 2;
        Path small = work.resolve("gpt2-small");
        Path big = work.resolve("gpt2-124m");
        if (!onlyGiven && !Files.exists(small.resolve("model.safetensors"))) {
            var shapes = RandomCheckpoint.shapes(Family.GPT2, SMALL, true);
            RandomCheckpoint.write(
                    small,
                    RandomCheckpoint.config(Family.GPT2, SMALL, true),
                    shapes,
                    RandomCheckpoint.random(shapes, 2, 0.02));
        }
        if (!onlyGiven && !Files.exists(big.resolve("model.safetensors"))) {
            RandomCheckpoint.write(big, RandomCheckpoint.Preset.GPT2_124M, 1);
        }
        ChildJvm jvm = new ChildJvm(3L << 30, 3600);
        List<Path> models = new ArrayList<>(extra);
        if (!onlyGiven) {
            models.add(small);
            models.add(big);
        }
        if (!onlyTiming) {
            System.out.println("| model | mode | active blocks | resident weights MiB | predicted MiB | measured MiB"
                    + " | error | warm-up MiB | s/step |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (Path dir : models) {
                for (ClientJob job : jobs(dir, rows, seq, steps)) {
                    row(jvm, job);
                }
            }
        }
        if (onlyMemory) {
            return;
        }
        System.out.println();
        System.out.println("| model | active blocks | timed steps | FULL s/step | CACHED_PREFIX s/step | saving |");
        System.out.println("|---|---|---|---|---|---|");
        prefixTiming(small, rows, seq, 5);
        prefixTiming(big, rows, seq, 2);
    }

    /**
     * The validated rows of one model: four block sets with a streamed prefix (top block, top
     * four, one low block, the lowest and the top), the whole model, and three sets holding only
     * their active blocks; duplicates (small models) once.
     */
    static List<ClientJob> jobs(Path dir, int rows, int seq, int steps) throws java.io.IOException {
        int layers = HfConfigReader.read(dir.resolve("config.json")).dims().numLayers();
        int top = layers - 1;
        java.util.LinkedHashSet<ClientJob> out = new java.util.LinkedHashSet<>();
        for (SortedSet<Integer> s :
                List.of(set(top), range(Math.max(0, layers - 4), layers), set(layers / 3), set(0, top))) {
            out.add(new ClientJob(dir, s, rows, seq, steps, ClientMode.STREAMED_PREFIX, 1));
        }
        out.add(new ClientJob(dir, set(top), rows, seq, steps, ClientMode.FULL, 1));
        for (SortedSet<Integer> s : List.of(set(0), set(layers / 3), set(0, top))) {
            out.add(new ClientJob(dir, s, rows, seq, steps, ClientMode.ACTIVE_ONLY, 1));
        }
        return List.copyOf(out);
    }

    private static void usage() {
        System.err.println(
                "usage: MemoryBench WORK_DIR [rows seq steps] [--model DIR]... [--only-timing | --only-memory"
                        + " | --only-given]");
        System.exit(2);
    }

    /**
     * Prefix caching's compute saving, in this JVM (warm: after one untimed step of each mode,
     * JIT compilation would otherwise dominate a child's few steps): the top block active, the
     * same batches, FULL and CACHED_PREFIX steps alternating so load drift hits both alike.
     */
    private static void prefixTiming(Path dir, int rows, int seq, int timed) throws Exception {
        CausalLm model = CausalLm.load(dir);
        int top = model.numBlocks() - 1;
        ZoTrainer trainer = new ZoTrainer(model, Trainable.blocks(model, Set.of(top)), new ZoSettings(1e-3, 1e-6));
        FrozenPrefix prefix = new FrozenPrefix(model);
        SplittableRandom rnd = new SplittableRandom(5);
        double full = 0;
        double cached = 0;
        for (int s = 0; s <= timed; s++) {
            int[][] batch = new int[rows][];
            for (int r = 0; r < rows; r++) {
                batch[r] = rnd.ints(seq, 0, model.config().dims().vocabSize()).toArray();
            }
            long t0 = System.nanoTime();
            trainer.step(rnd.nextLong(), batch);
            long t1 = System.nanoTime();
            trainer.step(rnd.nextLong(), batch, prefix.compute(batch, top), top);
            long t2 = System.nanoTime();
            if (s > 0) {
                full += (t1 - t0) / 1e9;
                cached += (t2 - t1) / 1e9;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | [%d] | %d | %.2f | %.2f | %.0f%% |%n",
                dir.getFileName(),
                top,
                timed,
                full / timed,
                cached / timed,
                100 * (1 - cached / full));
    }

    private static void row(ChildJvm jvm, ClientJob job) throws Exception {
        LmConfig c = HfConfigReader.read(job.modelDir().resolve("config.json"));
        MemoryModel.Prediction p =
                MemoryModel.PROTOCOL.predict(c, job.activeBlocks(), job.rows(), job.seqLen(), job.mode());
        ProbeResult r = jvm.run(job);
        if (r.residentModelBytes() != p.residentWeights()) {
            throw new IllegalStateException("model predicts " + p.residentWeights()
                    + " resident bytes, the client held " + r.residentModelBytes());
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %s | %.1f | %.1f | %.1f | %+.1f%% | %.1f | %.1f |%n",
                job.modelDir().getFileName(),
                job.mode(),
                job.activeBlocks(),
                mib(r.residentModelBytes()),
                mib(p.peak()),
                mib(r.measuredPeak()),
                100.0 * (p.peak() - r.measuredPeak()) / r.measuredPeak(),
                mib(r.warmedRss() - r.baselineRss()),
                r.secondsPerStep());
        // the raw measurement, to recompute predictions with other constants
        System.err.println("probe " + job.toJson() + " " + r.toJson());
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }

    private static SortedSet<Integer> set(int... b) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int v : b) {
            s.add(v);
        }
        return s;
    }

    private static SortedSet<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int b = from; b < to; b++) {
            l.add(b);
        }
        return new TreeSet<>(l);
    }
}

package dev.atelier.zo.memory;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.FrozenPrefix;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.ZoSettings;
import dev.atelier.zo.train.ZoTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Does what a training client's first steps do to a JVM, so a probe of 2–3 steps costs what a
 * round of many does (docs/zo.md, "Memory protocol"): {@link #run} runs the ZO code paths a client
 * runs (load; plain, streamed-prefix and streamed-suffix steps) twice on a toy checkpoint of the
 * job's family (2 blocks, hidden 32, about 30 K parameters, so the old generation it leaves
 * touched is below 1 MB), which loads their classes and JIT-compiles the kernels. It runs after
 * the idle baseline: its cost is the client's. {@link #touchEden} makes every eden page resident
 * before the baseline, which then subtracts eden: start-up touches a class-path-dependent part of
 * it. (Sessions 6–8 read the baseline after the whole warm-up instead; how much of the young
 * generation and of the JIT's memory was still resident then varied by ±4.6 MiB between runs,
 * more than 15% of a small model's peak.) Not thread-safe (run once).
 */
final class EngineWarmup {
    /** Toy sizes: vocab 256, hidden 32, 2 blocks, 2 heads of 16, MLP 64, 16 positions. */
    private static final RandomCheckpoint.Spec TOY = new RandomCheckpoint.Spec(256, 32, 2, 2, 2, 16, 64, 16);

    @SuppressWarnings("unused") // keeps the churn arrays from being optimised away
    private static volatile Object sink;

    private EngineWarmup() {}

    /** Runs the warm-up for clients of {@code like}'s family with batches of {@code rows} rows. */
    static void run(LmConfig like, int rows) throws IOException {
        Path dir = Files.createTempDirectory("zo-warmup");
        try {
            var shapes = RandomCheckpoint.shapes(like.family(), TOY, like.tiedHead());
            RandomCheckpoint.write(
                    dir,
                    RandomCheckpoint.config(like.family(), TOY, like.tiedHead()),
                    shapes,
                    RandomCheckpoint.random(shapes, 7, 0.02));
            SplittableRandom rnd = new SplittableRandom(7);
            // plain steps on the whole model, steps from a streamed prefix, steps with a streamed suffix
            for (int way = 0; way < 3; way++) {
                int k = way == 1 ? 1 : 0;
                CausalLm m = way == 2 ? CausalLm.loadHeld(dir, new TreeSet<>(List.of(0))) : CausalLm.load(dir, k);
                ZoTrainer t = new ZoTrainer(
                        m, Trainable.blocks(m, new TreeSet<>(List.of(way == 2 ? 0 : 1))), new ZoSettings(1e-3, 1e-6));
                FrozenPrefix prefix = new FrozenPrefix(m);
                for (int s = 0; s < 2; s++) {
                    int[][] batch = new int[rows][];
                    for (int r = 0; r < rows; r++) {
                        batch[r] = rnd.ints(TOY.maxPos(), 0, TOY.vocab()).toArray();
                    }
                    if (way == 0) {
                        t.step(rnd.nextLong(), batch);
                    } else {
                        t.step(rnd.nextLong(), batch, prefix.compute(batch, k), k);
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Allocates and drops short-lived arrays of {@code bytes} (twice the young generation), so every
     * eden page is resident whatever the JVM's start-up left touched.
     */
    static void touchEden(long bytes) {
        for (long done = 0; done < bytes; done += 256 << 10) {
            sink = new byte[256 << 10];
        }
        sink = null;
    }
}

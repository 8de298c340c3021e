package dev.atelier.zo.train;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.model.RandomCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny random checkpoints ({@link RandomCheckpoint}) for the ZO tests, and parameter snapshots. */
final class TinyModels {
    static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(48, 16, 2, 4, 2, 4, 32, 32);

    private TinyModels() {}

    /** Writes a random {@code family} model into {@code dir} (σ = {@code sigma}) and loads it. */
    static CausalLm write(Path dir, Family family, boolean tied, long seed, double sigma) {
        var shapes = RandomCheckpoint.shapes(family, SPEC, tied);
        try {
            RandomCheckpoint.write(
                    dir,
                    RandomCheckpoint.config(family, SPEC, tied),
                    shapes,
                    RandomCheckpoint.random(shapes, seed, sigma));
            return CausalLm.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CausalLm load(Path dir) {
        try {
            return CausalLm.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every parameter's float bits, concatenated in parameters() order. */
    static int[] bits(CausalLm m) {
        List<Param> ps = m.parameters();
        int n = ps.stream().mapToInt(p -> p.values().length).sum();
        int[] out = new int[n];
        int at = 0;
        for (Param p : ps) {
            for (float v : p.values()) {
                out[at++] = Float.floatToRawIntBits(v);
            }
        }
        return out;
    }

    /** {@code rows} rows of {@code len} token ids in [0, vocab). */
    static int[][] batch(long seed, int rows, int len) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] b = new int[rows][len];
        for (int[] row : b) {
            for (int i = 0; i < len; i++) {
                row[i] = r.nextInt(SPEC.vocab());
            }
        }
        return b;
    }
}

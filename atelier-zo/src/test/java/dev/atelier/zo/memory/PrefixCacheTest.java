package dev.atelier.zo.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.FrozenPrefix;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.ZoSettings;
import dev.atelier.zo.train.ZoTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cached and the streamed frozen prefix, and models holding only their active blocks, give
 * the same steps as the plain trainer, bit for bit: same losses, same g, same trained parameters,
 * with the same noise indices.
 */
class PrefixCacheTest {
    private static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(40, 16, 4, 4, 2, 4, 24, 16);

    @TempDir
    Path dir;

    private Path write(Family f) throws Exception {
        var shapes = RandomCheckpoint.shapes(f, SPEC, f != Family.LLAMA);
        return RandomCheckpoint.write(
                dir.resolve(f.name()),
                RandomCheckpoint.config(f, SPEC, f != Family.LLAMA),
                shapes,
                RandomCheckpoint.random(shapes, 5, 0.2));
    }

    private static int[][] batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] b = new int[3][];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.ints(6 + i, 0, SPEC.vocab()).toArray();
        }
        return b;
    }

    /**
     * A prefix memo on a model holding only block 3 (blocks 0–2 streamed from disk): the first
     * forward of each row records the input of block 2, every later one (also of a fresh array
     * with the same ids, and of a prompt's last logits) starts there, and all equal a plain
     * whole model's logits bit for bit while block 3 is perturbed in between.
     */
    @ParameterizedTest
    @EnumSource(Family.class)
    void aPrefixMemoGivesThePlainLogitsAndSkipsThePrefixOnRepeatedRows(Family f) throws Exception {
        Path ckpt = write(f);
        CausalLm plain = CausalLm.load(ckpt);
        CausalLm held = CausalLm.loadHeld(ckpt, new java.util.TreeSet<>(Set.of(3)));
        Trainable tp = Trainable.blocks(plain, Set.of(3));
        Trainable th = Trainable.blocks(held, Set.of(3));
        int[][] b = batch(7);
        try (dev.atelier.zo.model.PrefixMemo memo = held.memoizePrefix(2)) {
            for (int pass = 0; pass < 3; pass++) {
                dev.atelier.zo.train.ZoUpdate.perturb(tp, 40 + pass, 1e-2);
                dev.atelier.zo.train.ZoUpdate.perturb(th, 40 + pass, 1e-2);
                for (int[] row : b) {
                    assertThat(held.logits(row.clone())).isEqualTo(plain.logits(row));
                    assertThat(held.lastLogits(row)).isEqualTo(plain.lastLogits(row));
                }
            }
            // the first logits of each row recorded it; the other 5 forwards of each row reused it
            assertThat(memo.reused()).isEqualTo(5L * b.length);
            assertThatThrownBy(() -> held.memoizePrefix(1)).isInstanceOf(IllegalStateException.class);
        }
        try (dev.atelier.zo.model.PrefixMemo again = held.memoizePrefix(1)) {
            assertThat(again.block()).isEqualTo(1);
        }
        assertThatThrownBy(() -> held.memoizePrefix(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void cachedAndStreamedPrefixStepsEqualThePlainSteps(Family f) throws Exception {
        Path ckpt = write(f);
        Set<Integer> active = Set.of(2, 3);
        ZoSettings s = new ZoSettings(1e-3, 1e-2);
        CausalLm plain = CausalLm.load(ckpt);
        CausalLm cached = CausalLm.load(ckpt);
        CausalLm streamed = CausalLm.load(ckpt, 2);
        // Streamed with one block resident below the active ones: block 0 from disk, block 1 from memory.
        CausalLm mixed = CausalLm.load(ckpt, 1);
        assertThat(streamed.parameterCount()).isLessThan(plain.parameterCount());
        ZoTrainer tp = new ZoTrainer(plain, Trainable.blocks(plain, active), s);
        ZoTrainer tc = new ZoTrainer(cached, Trainable.blocks(cached, active), s);
        ZoTrainer ts = new ZoTrainer(streamed, Trainable.blocks(streamed, active), s);
        ZoTrainer tm = new ZoTrainer(mixed, Trainable.blocks(mixed, active), s);
        assertThat(Trainable.blocks(streamed, active).entries())
                .extracting(Trainable.Entry::index)
                .isEqualTo(Trainable.blocks(plain, active).entries().stream()
                        .map(Trainable.Entry::index)
                        .toList());
        FrozenPrefix pc = new FrozenPrefix(cached);
        FrozenPrefix ps = new FrozenPrefix(streamed);
        FrozenPrefix pm = new FrozenPrefix(mixed);
        for (int step = 0; step < 3; step++) {
            int[][] b = batch(step);
            ZoTrainer.Step a = tp.step(100 + step, b);
            assertThat(tc.step(100 + step, b, pc.compute(b, 2), 2)).isEqualTo(a);
            assertThat(ts.step(100 + step, b, ps.compute(b, 2), 2)).isEqualTo(a);
            assertThat(tm.step(100 + step, b, pm.compute(b, 2), 2)).isEqualTo(a);
        }
        for (int l : active) {
            assertThat(bits(streamed.blockParameters(l))).isEqualTo(bits(plain.blockParameters(l)));
            assertThat(bits(mixed.blockParameters(l))).isEqualTo(bits(plain.blockParameters(l)));
        }
        // The streamed model also runs from the embeddings alone: blocks below 2 come from disk.
        int[] ids = batch(9)[0];
        float[] x0 = new FrozenPrefix(streamed).compute(new int[][] {ids}, 2)[0];
        assertThat(streamed.logitsFrom(x0, ids.length, 2)).isEqualTo(plain.logits(ids));
    }

    /**
     * ACTIVE_ONLY: a model holding blocks {1, 3} of 4 reads block 0 (prefix), block 2 (between)
     * and nothing else from disk through one slot, and its steps equal the plain ones bit for bit.
     */
    @ParameterizedTest
    @EnumSource(Family.class)
    void aModelHoldingOnlyItsActiveBlocksStepsLikeThePlainOne(Family f) throws Exception {
        Path ckpt = write(f);
        java.util.SortedSet<Integer> active = new java.util.TreeSet<>(Set.of(1, 3));
        ZoSettings s = new ZoSettings(1e-3, 1e-2);
        CausalLm plain = CausalLm.load(ckpt);
        CausalLm held = CausalLm.loadHeld(ckpt, active);
        long perBlock = plain.blockParameters(0).stream()
                .mapToLong(p -> p.values().length)
                .sum();
        assertThat(held.parameterCount()).isEqualTo(plain.parameterCount() - 2 * perBlock);
        assertThat(held.holds(1)).isTrue();
        assertThat(held.holds(2)).isFalse();
        assertThat(held.blockParameters(2)).isEmpty();
        assertThat(Trainable.blocks(held, active).entries())
                .extracting(Trainable.Entry::index)
                .isEqualTo(Trainable.blocks(plain, active).entries().stream()
                        .map(Trainable.Entry::index)
                        .toList());
        // every resident tensor keeps its full-model index (final norm and head after the skipped blocks)
        List<Param> all = plain.parameters();
        int[] idx = held.parameterIndices();
        List<Param> mine = held.parameters();
        for (int i = 0; i < idx.length; i++) {
            assertThat(all.get(idx[i]).name()).isEqualTo(mine.get(i).name());
        }
        ZoTrainer tp = new ZoTrainer(plain, Trainable.blocks(plain, active), s);
        ZoTrainer th = new ZoTrainer(held, Trainable.blocks(held, active), s);
        FrozenPrefix ph = new FrozenPrefix(held);
        for (int step = 0; step < 3; step++) {
            int[][] b = batch(step);
            assertThat(th.step(100 + step, b, ph.compute(b, 1), 1)).isEqualTo(tp.step(100 + step, b));
        }
        for (int l : active) {
            assertThat(bits(held.blockParameters(l))).isEqualTo(bits(plain.blockParameters(l)));
        }
        // held from block 0 with a streamed suffix: the plain forward runs too
        CausalLm low = CausalLm.loadHeld(ckpt, new java.util.TreeSet<>(Set.of(0)));
        int[] ids = batch(9)[0];
        assertThat(low.logits(ids)).isEqualTo(CausalLm.load(ckpt).logits(ids));
        assertThatThrownBy(() -> CausalLm.loadHeld(ckpt, new java.util.TreeSet<>(Set.of(4))))
                .hasMessageContaining("non-empty subset of [0, 4)");
    }

    @ParameterizedTest
    @EnumSource(
            value = Family.class,
            names = {"GPT2"})
    void aTrainableBlockBelowThePrefixEndIsRefused(Family f) throws Exception {
        Path ckpt = write(f);
        CausalLm m = CausalLm.load(ckpt);
        ZoTrainer t = new ZoTrainer(m, Trainable.blocks(m, Set.of(1, 3)), new ZoSettings(1e-3, 1e-2));
        int[][] b = batch(1);
        float[][] prefix = new FrozenPrefix(m).compute(b, 2);
        assertThatThrownBy(() -> t.step(1, b, prefix, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lies below block 2 (not frozen)");
        CausalLm partial = CausalLm.load(ckpt, 2);
        // a whole forward from the ids reads the prefix it does not hold from disk: the same logits
        assertThat(partial.logits(b[0])).isEqualTo(m.logits(b[0]));
        assertThatThrownBy(() -> partial.blockParameters(1)).hasMessageContaining("block 1 is not resident");
    }

    private static int[] bits(List<Param> ps) {
        return ps.stream()
                .flatMapToInt(p -> {
                    int[] b = new int[p.values().length];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = Float.floatToRawIntBits(p.values()[i]);
                    }
                    return java.util.Arrays.stream(b);
                })
                .toArray();
    }
}

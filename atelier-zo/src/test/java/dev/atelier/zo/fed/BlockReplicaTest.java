package dev.atelier.zo.fed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.F32Copy;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.train.Trainable;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A ZorBA node's replica: the F32 copy is the model, and per-tensor replays give the whole-model floats. */
class BlockReplicaTest {
    static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(48, 16, 4, 4, 2, 4, 32, 32);

    @TempDir
    Path tmp;

    private Path write(Family f, boolean tied) throws Exception {
        Path dir = tmp.resolve(f + "-" + tied);
        var shapes = RandomCheckpoint.shapes(f, SPEC, tied);
        RandomCheckpoint.write(
                dir, RandomCheckpoint.config(f, SPEC, tied), shapes, RandomCheckpoint.random(shapes, 3, 0.2));
        return dir;
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theCopyIsTheModelAndAReplayOnHeldAndStreamedBlocksMatchesTheWholeModels(Family f) throws Exception {
        Path src = write(f, f != Family.OPT);
        CausalLm whole = CausalLm.load(src);
        F32Copy copy = F32Copy.create(src, tmp.resolve("copy-" + f));
        assertThat(copy.size()).isEqualTo(whole.parameters().size());
        assertThat(copy.sha256()).isEqualTo(Replay.sha256(whole.parameters()));
        assertThat(bits(CausalLm.load(copy.dir()).parameters())).isEqualTo(bits(whole.parameters()));

        // blocks 1 and 3 held, 0 and 2 on disk; two rounds of masked updates touching all of them
        BlockReplica replica = new BlockReplica(src, tmp.resolve("replica-" + f));
        CausalLm held = replica.hold(new TreeSet<>(Set.of(1, 3)));
        float[] before = held.logits(new int[] {1, 5, 9});
        SeedPool pool = new SeedPool(7, 16);
        List<RoundUpdate> us = List.of(
                new RoundUpdate(
                        1, new int[] {2, 2, 5}, new long[] {0b0011, 0b1100, 0b0101}, new double[] {1.5, -2, 0.5}),
                new RoundUpdate(2, new int[] {9}, new long[] {0b1010}, new double[] {-0.75}));
        ZoFedSettings s = ZoFedSettings.read(FedFixtures.train(1, 0.05));
        replica.replay(us, pool, s);
        BlockLayout layout = BlockLayout.of(whole);
        for (RoundUpdate u : us) {
            Replay.apply(Trainable.all(whole), layout, pool, u, s.replayLr(u.round()));
        }
        assertThat(replica.sha256()).isEqualTo(Replay.sha256(whole.parameters()));
        // a third round in which every seed also moves three rows of the head (zo.always_trainable,
        // ZorBA on the label rows): per tensor on the replica as on the whole model
        ZoFedSettings rows = ZoFedSettings.read(
                FedFixtures.train(1, 0.05).with(ZoFedSettings.ALWAYS_TRAINABLE, whole.headWeightName() + "[1,5-6]"));
        float[] head = whole.headWeight().values().clone();
        RoundUpdate third =
                new RoundUpdate(3, new int[] {4, 11}, new long[] {0b0100, 0b1001}, new double[] {0.8, -1.25});
        replica.replay(List.of(third), pool, rows);
        Replay.apply(Trainable.all(whole), layout, pool, third, rows.replayLr(3), rows.updateScope());
        assertThat(replica.sha256()).isEqualTo(Replay.sha256(whole.parameters()));
        int width = whole.config().dims().hiddenSize();
        for (int r = 0; r < head.length / width; r++) {
            boolean moved = !java.util.Arrays.equals(
                    java.util.Arrays.copyOfRange(head, r * width, (r + 1) * width),
                    java.util.Arrays.copyOfRange(whole.headWeight().values(), r * width, (r + 1) * width));
            assertThat(moved).as("head row " + r).isEqualTo(r == 1 || r == 5 || r == 6);
        }
        // the held model follows too: its resident arrays and the streamed blocks it rereads
        assertThat(held.logits(new int[] {1, 5, 9}))
                .isEqualTo(whole.logits(new int[] {1, 5, 9}))
                .isNotEqualTo(before);
        // a new held set loads from the copy, and a checkpoint overwrites it exactly
        assertThat(replica.hold(new TreeSet<>(Set.of(0))).logits(new int[] {2, 4}))
                .isEqualTo(whole.logits(new int[] {2, 4}));
        replica.load(ZoProvider.parameters(CausalLm.load(src)));
        assertThat(replica.sha256()).isEqualTo(copy.sha256());
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

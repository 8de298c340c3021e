package dev.atelier.zo.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoTrainerTest {
    @TempDir
    Path tmp;

    /** A trainer's model after k steps equals a fresh copy of its start model replaying its pairs. */
    @Test
    void replayReproducesTheTrainerBitForBit() {
        CausalLm trained = TinyModels.write(tmp.resolve("m"), Family.GPT2, true, 5, 0.2);
        CausalLm fresh = TinyModels.load(tmp.resolve("m"));
        ZoSettings s = new ZoSettings(1e-3, 5e-3);
        ZoTrainer trainer = new ZoTrainer(trained, Trainable.all(trained), s);
        int[][] batch = TinyModels.batch(9, 2, 10);
        for (int k = 0; k < 6; k++) {
            ZoTrainer.Step step = trainer.step(31L * k + 1, batch);
            assertThat(step.pair().g()).isEqualTo((step.lossPlus() - step.lossMinus()) / 2e-3);
        }
        assertThat(trainer.history()).hasSize(6);
        int[] start = TinyModels.bits(fresh);
        ZoUpdate.replayLocal(Trainable.all(fresh), trainer.history(), s);
        assertThat(TinyModels.bits(fresh)).isEqualTo(TinyModels.bits(trained)).isNotEqualTo(start);
    }

    /** g estimates the directional derivative: it matches a central difference at a small ε. */
    @Test
    void projectedGradientIsADirectionalDerivative() {
        CausalLm m = TinyModels.write(tmp.resolve("m"), Family.LLAMA, false, 6, 0.2);
        int[][] batch = TinyModels.batch(3, 2, 8);
        Trainable t = Trainable.blocks(m, Set.of(0));
        double g1 = new ZoTrainer(m, t, new ZoSettings(1e-2, 1e-12))
                .step(5, batch)
                .pair()
                .g();
        double g2 = new ZoTrainer(m, t, new ZoSettings(3e-3, 1e-12))
                .step(5, batch)
                .pair()
                .g();
        assertThat(Math.abs(g1)).isGreaterThan(1e-3);
        assertThat(g2).isCloseTo(g1, org.assertj.core.data.Offset.offset(0.05 * Math.abs(g1)));
    }

    /** ZO learns: N steps on a fixed batch lower its loss clearly, averaged over model seeds. */
    @Test
    void zerothOrderStepsReduceTheLoss() {
        int steps = 300;
        double drop = 0;
        double worst = Double.POSITIVE_INFINITY;
        long t0 = System.nanoTime();
        int runs = 3;
        for (int r = 0; r < runs; r++) {
            CausalLm m = TinyModels.write(tmp.resolve("m" + r), Family.GPT2, true, 10 + r, 0.2);
            int[][] batch = TinyModels.batch(100 + r, 4, 12);
            double before = ZoTrainer.loss(m, batch);
            ZoTrainer trainer = new ZoTrainer(m, Trainable.all(m), new ZoSettings(1e-3, 3e-3));
            for (int k = 0; k < steps; k++) {
                trainer.step(1_000_003L * r + k, batch);
            }
            double after = ZoTrainer.loss(m, batch);
            System.out.printf("ZO run %d (%d params): loss %.4f -> %.4f%n", r, m.parameterCount(), before, after);
            drop += (before - after) / before;
            worst = Math.min(worst, (before - after) / before);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("mean relative loss decrease %.1f%%, %.0f steps/s%n", 100 * drop / runs, runs * steps / secs);
        assertThat(drop / runs).isGreaterThan(0.15);
        assertThat(worst).isGreaterThan(0.05);
    }
}

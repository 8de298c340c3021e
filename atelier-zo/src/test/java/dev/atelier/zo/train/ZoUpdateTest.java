package dev.atelier.zo.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ZoUpdateTest {
    @TempDir
    Path tmp;

    private static List<SeedScalar> pairs() {
        List<SeedScalar> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            out.add(new SeedScalar(1000L * i - 3, (i % 3 - 1) * 0.37 + 0.01 * i));
        }
        return out;
    }

    /** Two independent model instances ("machines") given the same pairs end bit-identical. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void sameSeedsAndScalarsGiveBitIdenticalModels(Family family) {
        CausalLm a = TinyModels.write(tmp.resolve("m"), family, family != Family.LLAMA, 3, 0.2);
        CausalLm b = TinyModels.load(tmp.resolve("m"));
        int[] start = TinyModels.bits(a);
        ZoUpdate.apply(Trainable.all(a), pairs(), 1e-2);
        // b applies the same pairs through a trainable list built separately and in two halves
        ZoUpdate.apply(Trainable.all(b), pairs().subList(0, 5), 1e-2);
        ZoUpdate.apply(Trainable.all(b), pairs().subList(5, 12), 1e-2);
        assertThat(TinyModels.bits(b)).isEqualTo(TinyModels.bits(a)).isNotEqualTo(start);
        ZoSettings s = new ZoSettings(1e-3, 1e-2);
        ZoUpdate.replayLocal(Trainable.all(a), pairs(), s);
        ZoUpdate.replayLocal(Trainable.all(b), pairs(), s);
        assertThat(TinyModels.bits(b)).isEqualTo(TinyModels.bits(a));
    }

    /**
     * A committed digest of the parameters after replaying fixed pairs onto parameters set by
     * exact arithmetic (not by any RNG): any platform difference in the noise or the update
     * arithmetic changes it.
     */
    @Test
    void replayMatchesTheCommittedDigest() {
        CausalLm m = TinyModels.write(tmp.resolve("m"), Family.LLAMA, false, 1, 0.2);
        for (Param p : m.parameters()) {
            float[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                v[i] = (i * 7919 % 201 - 100) / 256f;
            }
        }
        Trainable t = Trainable.all(m);
        ZoUpdate.apply(t, pairs(), 1e-2);
        ZoUpdate.replayLocal(t, pairs().subList(0, 4), new ZoSettings(1e-3, 1e-2));
        assertThat(Long.toHexString(digest(TinyModels.bits(m)))).isEqualTo("73447cc3b1703eae");
    }

    /** FNV-1a over the float bits. */
    private static long digest(int[] bits) {
        long h = 0xcbf29ce484222325L;
        for (int b : bits) {
            h = (h ^ b) * 0x100000001b3L;
        }
        return h;
    }

    /** The update is θ[i] ← (float) (θ[i] − (lr·g)·z[i]) per pair, pairs in order. */
    @Test
    void updateIsTheDocumentedFormula() {
        CausalLm m = TinyModels.write(tmp.resolve("m"), Family.GPT2, true, 1, 0.2);
        Trainable t = Trainable.all(m);
        Trainable.Entry e = t.entries().get(3);
        float[] expected = e.param().values().clone();
        List<SeedScalar> ps = pairs().subList(0, 3);
        for (SeedScalar p : ps) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) (expected[i] + -(0.05 * p.g()) * ZoNoise.z(p.seed(), e.index(), i));
            }
        }
        ZoUpdate.apply(t, ps, 0.05);
        assertThat(e.param().values()).containsExactly(expected);
    }

    /**
     * Perturb +ε, −2ε, +ε is not an exact round trip in float32: some elements end an ulp away.
     * Bounded by a few ulps of the values involved, and itself deterministic (replayLocal).
     */
    @Test
    void restoreIsWithinUlpsButNotExact() {
        CausalLm m = TinyModels.write(tmp.resolve("m"), Family.OPT, true, 2, 0.2);
        Trainable t = Trainable.all(m);
        int[] before = TinyModels.bits(m);
        List<float[]> copy =
                t.entries().stream().map(e -> e.param().values().clone()).toList();
        ZoUpdate.perturbAndRestore(t, 77, 1e-3, null);
        long changed = 0;
        long total = 0;
        for (int k = 0; k < copy.size(); k++) {
            float[] now = t.entries().get(k).param().values();
            for (int i = 0; i < now.length; i++) {
                double bound = 4
                        * Math.ulp((float) (Math.abs(copy.get(k)[i])
                                + 3e-3
                                        * Math.abs(
                                                ZoNoise.z(77, t.entries().get(k).index(), i))));
                assertThat((double) Math.abs(now[i] - copy.get(k)[i])).isLessThanOrEqualTo(bound);
                changed += now[i] != copy.get(k)[i] ? 1 : 0;
                total++;
            }
        }
        System.out.printf(
                "restore after +eps/-2eps/+eps: %d of %d elements differ (%.1f%%)%n",
                changed, total, 100.0 * changed / total);
        assertThat(changed).isPositive();
        assertThat(TinyModels.bits(m)).isNotEqualTo(before);
    }

    /**
     * A block mask perturbs only its blocks, and a tensor gets the same z whatever else is
     * trainable (noise is keyed by the tensor's index in the full parameter list).
     */
    @Test
    void blockMaskTouchesOnlyItsBlocksWithTheSameNoise() {
        CausalLm full = TinyModels.write(tmp.resolve("m"), Family.LLAMA, false, 4, 0.2);
        CausalLm masked = TinyModels.load(tmp.resolve("m"));
        Trainable block1 = Trainable.blocks(masked, Set.of(1));
        assertThat(block1.entries()).hasSize(masked.blockParameters(1).size());
        int[] before = TinyModels.bits(masked);
        ZoUpdate.apply(Trainable.all(full), pairs(), 1e-2);
        ZoUpdate.apply(block1, pairs(), 1e-2);
        List<Param> fp = full.parameters();
        List<Param> mp = masked.parameters();
        List<Param> inBlock = masked.blockParameters(1);
        int unchanged = 0;
        for (int i = 0; i < mp.size(); i++) {
            if (inBlock.contains(mp.get(i))) {
                assertThat(mp.get(i).values()).containsExactly(fp.get(i).values());
            } else {
                unchanged++;
            }
        }
        assertThat(unchanged).isEqualTo(mp.size() - inBlock.size());
        int[] after = TinyModels.bits(masked);
        int at = 0;
        for (Param p : mp) {
            boolean trained = inBlock.contains(p);
            for (int i = 0; i < p.values().length; i++, at++) {
                if (!trained) {
                    assertThat(after[at]).isEqualTo(before[at]);
                }
            }
        }
    }

    /**
     * A row-restricted scope moves exactly its rows, each element by the float a whole-tensor step
     * gives it (rows of odd width straddle Philox blocks), and nothing else; rows outside the
     * tensor are refused.
     */
    @Test
    void rowScopeMovesItsRowsWithTheWholeTensorsNoise() {
        CausalLm full = TinyModels.write(tmp.resolve("m"), Family.GPT2, true, 2, 0.2);
        CausalLm rowed = TinyModels.load(tmp.resolve("m"));
        String wte = rowed.headWeightName();
        assertThat(wte).isEqualTo(rowed.tokenEmbedding().name()); // tied
        TrainableScope scope = TrainableScope.parse(wte + "[0,3-4,9]");
        Trainable t = scope.restrict(Trainable.all(rowed));
        int hidden = rowed.config().dims().hiddenSize();
        assertThat(t.size()).isEqualTo(4L * hidden);
        float[] before = rowed.tokenEmbedding().values().clone();
        ZoUpdate.apply(Trainable.all(full), pairs(), 1e-2);
        ZoUpdate.apply(t, pairs(), 1e-2);
        float[] want = full.tokenEmbedding().values();
        float[] got = rowed.tokenEmbedding().values();
        Set<Integer> named = Set.of(0, 3, 4, 9);
        for (int i = 0; i < got.length; i++) {
            float expected = named.contains(i / hidden) ? want[i] : before[i];
            assertThat(Float.floatToRawIntBits(got[i])).as("element " + i).isEqualTo(Float.floatToRawIntBits(expected));
        }
        // rows of width 3 (not a multiple of Philox's 4 lanes): still the whole tensor's floats
        float[] a = new float[30];
        float[] b = new float[30];
        ZoNoise.addScaled(a, 77, 2, 0.5);
        ZoNoise.addScaledRows(b, 77, 2, 0.5, new int[] {1, 2, 7}, 3);
        for (int i = 0; i < 30; i++) {
            int row = i / 3;
            assertThat(b[i]).isEqualTo(row == 1 || row == 2 || row == 7 ? a[i] : 0f);
        }
        int vocab = rowed.config().dims().vocabSize();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TrainableScope.parse(wte + "[" + vocab + "]").restrict(Trainable.all(rowed)))
                .hasMessageContaining("in [0, " + vocab + ")");
    }

    @Test
    void refusesBadInput() {
        CausalLm m = TinyModels.write(tmp.resolve("m"), Family.GPT2, true, 1, 0.2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Trainable.blocks(m, Set.of(2)))
                .hasMessageContaining("block 2 is outside [0, 2)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SeedScalar(1, Double.NaN))
                .hasMessageContaining("not finite");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ZoSettings(0, 1))
                .hasMessageContaining("epsilon");
    }
}

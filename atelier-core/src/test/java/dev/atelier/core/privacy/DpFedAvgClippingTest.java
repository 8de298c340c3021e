package dev.atelier.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.Workload;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DpFedAvgClippingTest {
    private static final ParamSet BASE = ParamSet.builder()
            .putF32("w", new long[] {2, 2}, new float[] {1, 2, 3, 4})
            .putF32("b", new long[] {2}, new float[] {0, 0})
            .build();

    /** A workload that moves every parameter by {@code step} (update = step * ones, norm = step * sqrt(6)). */
    private static Workload moving(float step) {
        return (ins, cancel) -> {
            ParamSet.Builder b = ParamSet.builder();
            for (String name : ins.params().names()) {
                Tensor t = ins.params().get(name);
                float[] v = t.toFloats();
                for (int i = 0; i < v.length; i++) {
                    v[i] += step;
                }
                b.putF32(name, t.shape(), v);
            }
            return new Reply(ins.nodeId(), ins.round(), b.build(), 10, Map.of("loss", 0.5), null);
        };
    }

    private static Reply run(DpFedAvgClipping clip, Workload w) throws Exception {
        Node node = new Node("n1", List.of(clip), w);
        return node.handle(Instruction.train("run", 1, "n1", null, BASE), Cancellation.none());
    }

    @Test
    void clipsALargeUpdateToTheBallAndKeepsDirection() throws Exception {
        Reply r = run(DpFedAvgClipping.clipOnly(1.0, true), moving(3f));
        ModelDelta d = ModelDelta.between(r.params(), BASE);
        assertThat(d.l2Norm()).isCloseTo(1.0, within(1e-6));
        float expected = (float) (1 / Math.sqrt(6));
        for (float x : d.values()) {
            assertThat(x).isCloseTo(expected, within(1e-6f));
        }
        assertThat(r.metrics())
                .containsEntry(DpFedAvgClipping.UNCLIPPED_METRIC, 0.0)
                .containsEntry("loss", 0.5);
        assertThat(r.numExamples()).isEqualTo(10);
    }

    @Test
    void leavesASmallUpdateAlone() throws Exception {
        Reply r = run(DpFedAvgClipping.clipOnly(1.0, true), moving(0.1f));
        assertThat(ModelDelta.between(r.params(), BASE).l2Norm()).isCloseTo(0.1 * Math.sqrt(6), within(1e-6));
        assertThat(r.metrics()).containsEntry(DpFedAvgClipping.UNCLIPPED_METRIC, 1.0);
        Reply quiet = run(DpFedAvgClipping.clipOnly(1.0, false), moving(0.1f));
        assertThat(quiet.metrics()).doesNotContainKey(DpFedAvgClipping.UNCLIPPED_METRIC);
    }

    @Test
    void distributedNoiseHasTheShareOfTheTotal() throws Exception {
        DpFedAvgClipping c =
                DpFedAvgClipping.distributed(2.0, 1.5, 9, new GaussianSampler(GaussianSamplerTest.seeded(3)), false);
        assertThat(c.noiseStddev()).isCloseTo(1.5 * 2.0 / 3, within(1e-12));
        // zero update: what leaves is pure noise of that stddev
        Workload identity = (ins, cancel) -> new Reply(ins.nodeId(), ins.round(), ins.params(), 1, null, null);
        double s2 = 0;
        int n = 0;
        for (int k = 0; k < 2000; k++) {
            for (float x : ModelDelta.between(run(c, identity).params(), BASE).values()) {
                s2 += (double) x * x;
                n++;
            }
        }
        assertThat(Math.sqrt(s2 / n)).isCloseTo(1.0, within(0.02));
        assertThat(DpFedAvgClipping.local(2.0, 1.5, GaussianSampler.secure(), false)
                        .noiseStddev())
                .isEqualTo(3.0);
    }

    @Test
    void refusesIntegerParametersAndUnknownNames() {
        Workload addsInt = (ins, cancel) -> new Reply(
                ins.nodeId(),
                ins.round(),
                ins.params()
                        .merge(ParamSet.builder()
                                .put("steps", Tensor.of(DType.I64, new long[] {1}, ByteBuffer.allocate(8)))
                                .build()),
                1,
                null,
                null);
        assertThatThrownBy(() -> run(DpFedAvgClipping.clipOnly(1, false), addsInt))
                .hasMessageContaining("node n1 DP clipping")
                .hasMessageContaining("cannot clip integer parameter 'steps'");
        assertThatThrownBy(() -> DpFedAvgClipping.clipOnly(0, false)).hasMessageContaining("clip norm");
    }

    @Test
    void centralNoiseReportsSnrAndAddsTheRightVariance() {
        float[] sum = new float[100_000];
        sum[0] = 30f;
        sum[1] = 40f; // ||sum|| = 50
        CentralNoise.Result r = CentralNoise.addTo(sum, 0.5, 2.0, new GaussianSampler(GaussianSamplerTest.seeded(5)));
        NoiseReport rep = r.report();
        assertThat(rep.signalNorm()).isCloseTo(50, within(1e-9));
        assertThat(rep.noiseStddev()).isEqualTo(1.0);
        assertThat(rep.noiseNorm()).isCloseTo(Math.sqrt(100_000), within(0.01 * Math.sqrt(100_000)));
        assertThat(rep.snr()).isCloseTo(50 / Math.sqrt(100_000), within(0.01));
        assertThat(rep.noiseNormOverClip()).isCloseTo(2 * Math.sqrt(100_000), within(0.02 * 2 * Math.sqrt(100_000)));
        assertThat(sum[2]).isZero(); // input untouched
        double added2 = 0;
        for (int i = 0; i < sum.length; i++) {
            double e = r.noisySum()[i] - sum[i];
            added2 += e * e;
        }
        assertThat(Math.sqrt(added2)).isCloseTo(rep.noiseNorm(), within(1e-3)); // the reported noise is what was added
        assertThat(NoiseReport.snrBound(100, 1.0, 10_000)).isEqualTo(1.0);
    }

    @Test
    void adaptiveClipMovesTowardTheQuantile() {
        GaussianSampler g = new GaussianSampler(GaussianSamplerTest.seeded(9));
        AdaptiveClipNorm a = new AdaptiveClipNorm(1.0, 0.5, 0.2, 0);
        // all 100 nodes were within C (centred sum +50): C shrinks by exp(-0.2 * 0.5)
        assertThat(a.next(50, 100, g).clipNorm()).isCloseTo(Math.exp(-0.1), within(1e-12));
        // none within (centred sum -50): C grows by exp(0.1)
        assertThat(a.next(-50, 100, g).clipNorm()).isCloseTo(Math.exp(0.1), within(1e-12));
        // Andrew et al.: z = 1, sigma_b = m/20 = 5 -> z_d = (1 - 1/100)^-1/2
        assertThat(AdaptiveClipNorm.updateNoiseMultiplier(1.0, 5)).isCloseTo(1 / Math.sqrt(0.99), within(1e-12));
        assertThatThrownBy(() -> AdaptiveClipNorm.updateNoiseMultiplier(1.0, 0.4))
                .hasMessageContaining("2 sigma_b > z");
    }

    @Test
    void poissonSamplingRate() {
        List<Integer> all = java.util.stream.IntStream.range(0, 100_000).boxed().toList();
        int k = PoissonSampling.sample(all, 0.03, GaussianSamplerTest.seeded(4)).size();
        double sd = Math.sqrt(100_000 * 0.03 * 0.97);
        assertThat((double) k).isCloseTo(3000, within(4 * sd));
        assertThat(PoissonSampling.sample(all, 0, GaussianSamplerTest.seeded(4)))
                .isEmpty();
    }
}

package dev.atelier.core.strategy;

import static dev.atelier.core.testing.Params.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.aggregate.AggregationMath;
import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.message.Config;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** When every node returns the same parameters, every strategy must return exactly those. */
class FixedPointPropertiesTest {
    @Provide
    Arbitrary<float[]> values() {
        return Arbitraries.floats()
                .between(-1e6f, 1e6f)
                .array(float[].class)
                .ofMinSize(1)
                .ofMaxSize(12);
    }

    private static List<Strategy> strategies(int n) {
        Sampling s = new Sampling(1.0, n, n, 0.0);
        int f = (n - 3) / 2; // largest f with n > 2f + 2
        return List.of(
                new FedAvg(s, Config.empty()),
                new FedProx(s, Config.empty(), 0.1),
                new FedMedian(s, Config.empty()),
                new TrimmedMean(s, Config.empty(), 0.3),
                new Krum(s, Config.empty(), f),
                new MultiKrum(s, Config.empty(), f, n - f),
                new FedAdam(s, Config.empty()),
                new FedYogi(s, Config.empty()));
    }

    @Property(tries = 150)
    void identicalUpdatesAreAFixedPoint(
            @ForAll("values") float[] values,
            @ForAll @IntRange(min = 3, max = 9) int n,
            @ForAll @Size(min = 9, max = 9) List<@IntRange(min = 1, max = 5000) Integer> examples)
            throws Exception {
        // Mixed dtypes: an F32 tensor, an F16 copy and an integer counter.
        ParamSet model = ParamSet.builder()
                .putF32("a.w", new long[] {values.length}, values)
                .put("a.h", AggregationMath.encode(DType.F16, new long[] {values.length}, scaled(values)))
                .put("a.count", AggregationMath.encode(DType.I64, new long[] {1}, new float[] {Math.round(values[0])}))
                .build();
        for (Strategy s : strategies(n)) {
            Aggregator agg = s.newAggregator(1);
            for (int i = 0; i < n; i++) {
                agg.accept(reply("n" + i, model, examples.get(i)));
            }
            ParamSet next = s.update(1, model, agg.result());
            assertThat(next.sameSpec(model)).as(s.name()).isTrue();
            for (String name : model.names()) {
                float[] want = model.get(name).toFloats();
                float[] got = next.get(name).toFloats();
                for (int j = 0; j < want.length; j++) {
                    // == (not bit equality): -0.0 may come back as 0.0
                    assertThat(got[j] == want[j])
                            .as(s.name() + " " + name + "[" + j + "]: " + got[j] + " vs " + want[j])
                            .isTrue();
                }
            }
        }
    }

    private static float[] scaled(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / 32; // keep within F16 range
        }
        return out;
    }
}

package dev.atelier.core.aggregate;

import static dev.atelier.core.testing.Params.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.FedMedian;
import dev.atelier.core.strategy.Krum;
import dev.atelier.core.strategy.MultiKrum;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.strategy.TrimmedMean;
import dev.atelier.core.testing.Params;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class AggregationPropertiesTest {
    /** n vectors of a common length d, each with a weight. */
    record Updates(List<float[]> vectors, long[] weights) {}

    @Provide
    Arbitrary<Updates> updates() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 10),
                        Arbitraries.integers().between(1, 8))
                .flatAs((n, d) -> Combinators.combine(
                                Arbitraries.floats()
                                        .between(-1e3f, 1e3f)
                                        .array(float[].class)
                                        .ofSize(d)
                                        .list()
                                        .ofSize(n),
                                Arbitraries.longs()
                                        .between(1, 1000)
                                        .array(long[].class)
                                        .ofSize(n))
                        .as(Updates::new));
    }

    @Property(tries = 300)
    void weightedMeanIsExactWithinFloatRounding(@ForAll("updates") Updates u) throws Exception {
        var agg = new WeightedMeanAggregator();
        for (int i = 0; i < u.vectors().size(); i++) {
            agg.accept(reply("n" + i, Params.vector(u.vectors().get(i)), u.weights()[i]));
        }
        float[] got = agg.result().get("w").toFloats();
        int d = got.length;
        for (int j = 0; j < d; j++) {
            double num = 0;
            double den = 0;
            for (int i = 0; i < u.vectors().size(); i++) {
                num += (double) u.weights()[i] * u.vectors().get(i)[j];
                den += u.weights()[i];
            }
            float expected = (float) (num / den);
            assertThat(Math.abs(got[j] - expected)).as("coordinate " + j).isLessThanOrEqualTo(Math.ulp(expected));
        }
    }

    /** Honest vectors in [-10, 10]^d plus one planted outlier of magnitude 1e6 at a random position. */
    record Planted(List<float[]> vectors, float[] low, float[] high) {}

    @Provide
    Arbitrary<Planted> planted() {
        return Combinators.combine(
                        Arbitraries.integers().between(4, 9),
                        Arbitraries.integers().between(1, 5))
                .flatAs((honest, d) -> Combinators.combine(
                                Arbitraries.floats()
                                        .between(-10, 10)
                                        .array(float[].class)
                                        .ofSize(d)
                                        .list()
                                        .ofSize(honest),
                                Arbitraries.integers().between(0, honest),
                                Arbitraries.of(1e6f, -1e6f))
                        .as((h, at, sign) -> {
                            float[] low = new float[d];
                            float[] high = new float[d];
                            java.util.Arrays.fill(low, Float.POSITIVE_INFINITY);
                            java.util.Arrays.fill(high, Float.NEGATIVE_INFINITY);
                            for (float[] v : h) {
                                for (int j = 0; j < d; j++) {
                                    low[j] = Math.min(low[j], v[j]);
                                    high[j] = Math.max(high[j], v[j]);
                                }
                            }
                            List<float[]> all = new ArrayList<>(h);
                            float[] outlier = new float[d];
                            java.util.Arrays.fill(outlier, sign);
                            all.add(at, outlier);
                            return new Planted(all, low, high);
                        }));
    }

    private static float[] aggregate(Strategy s, List<float[]> vectors) throws Exception {
        Aggregator agg = s.newAggregator(1);
        for (int i = 0; i < vectors.size(); i++) {
            agg.accept(reply("n" + i, Params.vector(vectors.get(i)), 1 + i % 3));
        }
        ParamSet r = agg.result();
        return r.get("w").toFloats();
    }

    private static boolean withinHonestRange(float[] r, Planted p) {
        for (int j = 0; j < r.length; j++) {
            if (r[j] < p.low()[j] || r[j] > p.high()[j]) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 200)
    void robustRulesResistOnePlantedOutlierWhilePlainMeanDoesNot(
            @ForAll("planted") Planted p, @ForAll @IntRange(min = 1, max = 3) int m) throws Exception {
        int n = p.vectors().size();
        Sampling sampling = new Sampling(1.0, n, n, 0.0);
        assertThat(withinHonestRange(aggregate(new FedMedian(sampling, Config.empty()), p.vectors()), p))
                .as("median")
                .isTrue();
        assertThat(withinHonestRange(aggregate(new TrimmedMean(sampling, Config.empty(), 0.2), p.vectors()), p))
                .as("trimmed")
                .isTrue();
        assertThat(withinHonestRange(aggregate(new Krum(sampling, Config.empty(), 1), p.vectors()), p))
                .as("krum")
                .isTrue();
        assertThat(withinHonestRange(aggregate(new MultiKrum(sampling, Config.empty(), 1, m), p.vectors()), p))
                .as("multikrum")
                .isTrue();
        assertThat(withinHonestRange(aggregate(new FedAvg(sampling, Config.empty()), p.vectors()), p))
                .as("plain mean")
                .isFalse();
    }
}

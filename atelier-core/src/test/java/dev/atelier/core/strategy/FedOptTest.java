package dev.atelier.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.aggregate.AggregationMath;
import dev.atelier.core.message.Config;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.testing.Params;
import org.junit.jupiter.api.Test;

class FedOptTest {
    private static final Sampling SAMPLING = Sampling.all(2);

    /** Feeds aggregates previous + delta_t and returns the global after each round. */
    private static double[] trajectory(FedOpt opt, float start, float... deltas) {
        ParamSet x = Params.vector(start);
        double[] out = new double[deltas.length];
        for (int t = 0; t < deltas.length; t++) {
            float d = deltas[t];
            x = opt.update(t + 1, x, Params.map(x, v -> v + d));
            out[t] = x.get("w").toFloats()[0];
        }
        return out;
    }

    // Expected values from an independent float64 script of Reddi et al. Algorithm 2 (m, v from 0).
    @Test
    void fedAdamFollowsTheAdamRule() {
        double[] xs = trajectory(new FedAdam(SAMPLING, Config.empty()), 1f, 1f, -0.5f, 0f);
        assertThat(xs[0]).isCloseTo(1.099999999, within(1e-6));
        assertThat(xs[1]).isCloseTo(1.1359210590827744, within(1e-6));
        assertThat(xs[2]).isCloseTo(1.1684128804539522, within(1e-6));
        double[] neg = trajectory(new FedAdam(SAMPLING, Config.empty()), -2f, -3f, 4f);
        assertThat(neg[0]).isCloseTo(-2.0999999996666667, within(1e-6));
        assertThat(neg[1]).isCloseTo(-2.0739530729785765, within(1e-6));
    }

    @Test
    void fedYogiFollowsTheYogiRule() {
        double[] xs = trajectory(new FedYogi(SAMPLING, Config.empty()), 1f, 1f, -0.5f, 0f);
        assertThat(xs[0]).isCloseTo(1.00990099009901, within(1e-6));
        assertThat(xs[1]).isCloseTo(1.013446982542405, within(1e-6));
        assertThat(xs[2]).isCloseTo(1.0166383757414608, within(1e-6));
    }

    @Test
    void defaultsAreFlowers() {
        assertThat(new FedAdam(SAMPLING, Config.empty()).settings())
                .isEqualTo(new FedOptSettings(0.1, 0.9, 0.99, 1e-9));
        assertThat(new FedYogi(SAMPLING, Config.empty()).settings())
                .isEqualTo(new FedOptSettings(0.01, 0.9, 0.99, 1e-3));
        FedOptSettings custom =
                FedOptSettings.adamDefaults().withEta(0.5).withBetas(0.8, 0.9).withTau(1e-3);
        assertThat(custom).isEqualTo(new FedOptSettings(0.5, 0.8, 0.9, 1e-3));
        assertThat(new FedAdam(SAMPLING, Config.empty(), custom).settings()).isSameAs(custom);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new FedOptSettings(0, 0.9, 0.99, 1e-9)).hasMessageContaining("eta");
        assertThatThrownBy(() -> new FedOptSettings(0.1, 1, 0.99, 1e-9)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new FedOptSettings(0.1, 0.9, -0.1, 1e-9)).hasMessageContaining("beta2");
        assertThatThrownBy(() -> new FedOptSettings(0.1, 0.9, 0.99, 0)).hasMessageContaining("tau");
        assertThatThrownBy(() -> new FedOptSettings(Double.NaN, 0.9, 0.99, 1e-9))
                .hasMessageContaining("eta");
    }

    @Test
    void momentsAreKeptPerTensorName() {
        FedAdam adam = new FedAdam(SAMPLING, Config.empty());
        ParamSet x = ParamSet.builder()
                .putF32("a", new long[] {1}, new float[] {0})
                .putF32("b", new long[] {1}, new float[] {0})
                .build();
        // "a" moves every round, "b" only in round 2: b's second step must equal a's first one.
        ParamSet r1 = adam.update(
                1,
                x,
                x.merge(ParamSet.builder()
                        .putF32("a", new long[] {1}, new float[] {1})
                        .build()));
        ParamSet r2 = adam.update(2, r1, Params.map(r1, v -> v + 1));
        assertThat(r1.get("b").toFloats()[0]).isZero();
        assertThat(r2.get("b").toFloats()[0]).isEqualTo(r1.get("a").toFloats()[0]);
        assertThat(r2.get("a").toFloats()[0]).isNotEqualTo(2 * r1.get("a").toFloats()[0]);
    }

    @Test
    void integerTensorsTakeTheAggregateAndDtypesAreKept() {
        FedAdam adam = new FedAdam(SAMPLING, Config.empty());
        ParamSet x = ParamSet.builder()
                .put("steps", AggregationMath.encode(DType.I64, new long[] {1}, new float[] {10}))
                .put("h", AggregationMath.encode(DType.F16, new long[] {2}, new float[] {1, 2}))
                .build();
        ParamSet agg = Params.map(x, v -> v + 5);
        ParamSet next = adam.update(1, x, agg);
        assertThat(next.sameSpec(x)).isTrue();
        assertThat(next.get("steps")).isEqualTo(agg.get("steps"));
        assertThat(next.get("h").toFloats()).containsExactly(1.0996094f, 2.0996094f); // 1.1, 2.1 in F16
    }

    @Test
    void stateRoundTripReproducesTheTrajectory() {
        FedYogi a = new FedYogi(SAMPLING, Config.empty());
        trajectory(a, 1f, 1f, -0.5f);
        FedYogi b = new FedYogi(SAMPLING, Config.empty());
        b.restoreOptimizerState(a.optimizerState());
        assertThat(b.optimizerState()).isEqualTo(a.optimizerState());
        assertThat(a.optimizerState().names()).containsExactly("fedopt.m.w", "fedopt.v.w");
        ParamSet x = Params.vector(3f);
        assertThat(b.update(3, x, Params.map(x, v -> v + 0.25f)))
                .isEqualTo(a.update(3, x, Params.map(x, v -> v + 0.25f)));
        assertThatThrownBy(() -> b.restoreOptimizerState(Params.vector(1)))
                .hasMessageContaining("not a fedyogi optimizer state");
        assertThatThrownBy(() -> b.restoreOptimizerState(a.optimizerState().select(n -> n.startsWith("fedopt.m."))))
                .hasMessageContaining("second moments");
    }

    @Test
    void mismatchedAggregateIsRejected() {
        FedAdam adam = new FedAdam(SAMPLING, Config.empty());
        assertThatThrownBy(() -> adam.update(1, Params.small(), Params.vector(1)))
                .hasMessageContaining("names");
        assertThatThrownBy(() -> adam.update(1, Params.vector(1, 2), Params.vector(1)))
                .hasMessageContaining("F32[1]");
    }
}

package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToneCurveTest {
    /** {@code n} sketches of 64 pixels drawn by {@code value(rng)}. */
    private static List<float[]> sample(int n, long seed, java.util.function.ToDoubleFunction<SplittableRandom> value) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] s = new float[64];
            for (int j = 0; j < s.length; j++) {
                s[j] = (float) value.applyAsDouble(rng);
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void mapsTheModelsDistributionOntoHers() {
        // the model draws greys in [0.2, 0.8]; she draws over all of [0, 1]
        ToneCurve c = ToneCurve.fit(sample(50, 1, r -> 0.2 + 0.6 * r.nextDouble()), sample(50, 2, r -> r.nextDouble()));
        assertThat(c.apply(0.2f)).isCloseTo(0f, within(0.02f));
        assertThat(c.apply(0.5f)).isCloseTo(0.5f, within(0.02f));
        assertThat(c.apply(0.65f)).isCloseTo(0.75f, within(0.02f));
        assertThat(c.apply(0.8f)).isCloseTo(1f, within(0.02f));
        // outside the knots the curve is flat
        assertThat(c.apply(0f)).isEqualTo(c.apply(0.1f));
        assertThat(c.apply(1f)).isEqualTo(c.outputs()[c.outputs().length - 1]);
        assertThat(c.inputs()).hasSizeLessThanOrEqualTo(ToneCurve.KNOTS);
    }

    @Test
    void theSameDistributionGivesTheIdentity() {
        List<float[]> s = sample(40, 3, r -> r.nextDouble());
        ToneCurve c = ToneCurve.fit(s, s);
        for (float v = 0.01f; v < 1; v += 0.07f) {
            assertThat(c.apply(v)).isCloseTo(v, within(0.01f));
        }
    }

    @Test
    void aToneTheModelDrawsOnManyPixelsIsOneKnotAtTheMeanOfHerTones() {
        // 75 % of the model's pixels are exactly paper (1.0), the rest uniform greys; her paper is
        // 1.0 on half of her pixels and 0.9 on a quarter
        List<float[]> model = sample(40, 4, r -> r.nextDouble() < 0.75 ? 1.0 : 0.5 * r.nextDouble());
        List<float[]> hers = sample(40, 5, r -> {
            double u = r.nextDouble();
            return u < 0.5 ? 1.0 : u < 0.75 ? 0.9 : 0.3 * r.nextDouble();
        });
        ToneCurve c = ToneCurve.fit(model, hers);
        float[] in = c.inputs();
        assertThat(in[in.length - 1]).isEqualTo(1f);
        for (int j = 1; j < in.length; j++) {
            assertThat(in[j]).isGreaterThan(in[j - 1]); // merged: no tied inputs
        }
        // the model's top 75 % (all 1.0) covers her 0.9s and 1.0s: 1.0 maps to about (0.9 + 2 x 1.0) / 3
        assertThat(c.apply(1f)).isCloseTo(2.9f / 3, within(0.01f));
        // 0.25 is the model's 12.5 % quantile (greys uniform in [0, 0.5] on a quarter of its pixels); hers is 0.15
        assertThat(c.apply(0.25f)).isCloseTo(0.15f, within(0.03f));
    }

    @Test
    void aModelThatDrawsOneValueMapsItToHerMedian() {
        ToneCurve c = ToneCurve.fit(sample(5, 6, r -> 0.4), sample(5, 7, r -> r.nextDouble() < 0.6 ? 1.0 : 0.0));
        assertThat(c.apply(0.4f)).isEqualTo(1f);
        assertThat(c.apply(0f)).isEqualTo(1f);
    }

    @Property(tries = 60)
    void aFittedCurveIsMonotoneAndStaysInTheUnitInterval(
            @ForAll @IntRange(min = 1, max = 30) int n,
            @ForAll long seed,
            @ForAll @FloatRange(min = 0, max = 1) float a,
            @ForAll @FloatRange(min = 0, max = 1) float b) {
        SplittableRandom r0 = new SplittableRandom(seed);
        double p = r0.nextDouble();
        // values beyond [0, 1] are clamped, not trusted
        ToneCurve c = ToneCurve.fit(
                sample(n, seed, r -> r.nextDouble() < p ? 1.0 : r.nextDouble() * 1.4 - 0.2),
                sample(n + 3, seed + 1, r -> r.nextDouble() * r.nextDouble()));
        float lo = Math.min(a, b);
        float hi = Math.max(a, b);
        assertThat(c.apply(lo)).isLessThanOrEqualTo(c.apply(hi)).isBetween(0f, 1f);
        assertThat(c.apply(hi)).isBetween(0f, 1f);
        // and what it holds passes the checks a loaded curve must pass
        assertThat(ToneCurve.of(c.inputs(), c.outputs()).apply(hi)).isEqualTo(c.apply(hi));
    }

    @Test
    void knotsFromAFileAreChecked() {
        float[] ok = {0, 1};
        assertThatThrownBy(() -> ToneCurve.of(new float[] {0}, new float[] {0}))
                .hasMessageContaining("2.." + ToneCurve.MAX_KNOTS);
        assertThatThrownBy(() -> ToneCurve.of(ok, new float[] {0, 0.5f, 1})).hasMessageContaining("as many");
        assertThatThrownBy(() -> ToneCurve.of(new float[ToneCurve.MAX_KNOTS + 1], new float[ToneCurve.MAX_KNOTS + 1]))
                .hasMessageContaining("knots");
        assertThatThrownBy(() -> ToneCurve.of(new float[] {0, Float.NaN}, ok)).hasMessageContaining("knot 1");
        assertThatThrownBy(() -> ToneCurve.of(ok, new float[] {0, 1.5f})).hasMessageContaining("outside [0,1]");
        assertThatThrownBy(() -> ToneCurve.of(new float[] {0.5f, 0.5f}, ok)).hasMessageContaining("does not increase");
        assertThatThrownBy(() -> ToneCurve.of(ok, new float[] {1, 0})).hasMessageContaining("does not increase");
        assertThatThrownBy(() -> ToneCurve.fit(List.of(), List.of(new float[] {1})))
                .hasMessageContaining("model sketch pixels");
        assertThatThrownBy(() -> ToneCurve.fit(List.of(new float[] {Float.NaN}), List.of(new float[] {1})))
                .hasMessageContaining("NaN");
        assertThat(ToneCurve.of(ok, new float[] {0.2f, 0.6f}).apply(Float.NaN)).isNaN();
    }

    @Test
    void theModelSavesAndLoadsItsCurveAndGeneratesThroughIt(@TempDir Path dir) throws IOException {
        SketchPairs data = TestModels.designer(Styles.BOLD, 100, 16);
        float[][] inputs = data.garments().subList(0, 4).toArray(new float[0][]);
        Path file = dir.resolve("m.safetensors");
        float[][] toned;
        float[][] raw;
        try (SketchGan gan =
                TestModels.model(SketchGanConfig.defaults().withDiscChannels(16, 32), 3, data.sketches())) {
            assertThat(gan.toneCurve()).isNull();
            raw = gan.generate(inputs);
            ToneCurve c = gan.fitToneCurve(data.garments(), data.sketches());
            assertThat(gan.toneCurve()).isSameAs(c);
            toned = gan.generate(inputs);
            for (int i = 0; i < inputs.length; i++) {
                float[] expected = raw[i].clone();
                for (int j = 0; j < expected.length; j++) {
                    expected[j] = c.apply(expected[j]);
                }
                assertThat(toned[i]).containsExactly(expected);
            }
            assertThat(toned[0]).isNotEqualTo(raw[0]); // an untrained model's greys are not bold ink
            gan.save(file, Map.of());
        }
        ParamSet stored = Safetensors.read(file);
        assertThat(stored.names()).contains("tone.in", "tone.out");
        try (SketchGan loaded = SketchGan.load(file)) {
            assertThat(loaded.toneCurve().inputs())
                    .containsExactly(stored.get("tone.in").toFloats());
            float[][] again = loaded.generate(inputs);
            for (int i = 0; i < inputs.length; i++) {
                assertThat(again[i]).containsExactly(toned[i]);
            }
        }

        // a file from before tone curves generates with the generator's own tones
        Path old = dir.resolve("old.safetensors");
        Safetensors.write(stored.select(n -> !n.startsWith("tone.")), SketchGan.readMetadata(file), old);
        try (SketchGan loaded = SketchGan.load(old)) {
            assertThat(loaded.toneCurve()).isNull();
            assertThat(loaded.generate(inputs)[0]).containsExactly(raw[0]);
        }

        // a curve that falls is refused with the file's name, not applied
        Path bad = dir.resolve("bad.safetensors");
        float[] in = stored.get("tone.in").toFloats();
        float[] out = stored.get("tone.out").toFloats();
        float[] falling = out.clone();
        Arrays.fill(falling, 0.5f);
        falling[falling.length - 1] = 0f;
        Safetensors.write(
                stored.merge(ParamSet.builder()
                        .putF32("tone.out", new long[] {out.length}, falling)
                        .build()),
                SketchGan.readMetadata(file),
                bad);
        assertThatThrownBy(() -> SketchGan.load(bad))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("tone curve");
        assertThat(in).hasSameSizeAs(out);
    }
}

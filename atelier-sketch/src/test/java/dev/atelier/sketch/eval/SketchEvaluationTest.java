package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.ml.data.ImageDataset;
import dev.atelier.sketch.style.Styles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on the fixture: the 200 held-out test garments (all 10 categories) rendered by each
 * style are the references; "generated" sets are the references themselves, another style's
 * renderings of the same garments, and uniform noise.
 */
class SketchEvaluationTest {
    private static final int S = Styles.values().length;
    private static SketchEvaluator evaluator;
    private static List<List<float[]>> refs;
    private static List<float[]> noise;

    @BeforeAll
    static void setUp() {
        evaluator = FixtureEvaluator.trained().open();
        ImageDataset test = FixtureEvaluator.splits().test();
        refs = new ArrayList<>();
        for (Styles st : Styles.values()) {
            refs.add(IntStream.range(0, test.size())
                    .parallel()
                    .mapToObj(i -> st.render(test.image(i)))
                    .toList());
        }
        SplittableRandom r = new SplittableRandom(3);
        noise = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            float[] x = new float[1024];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextDouble();
            }
            noise.add(x);
        }
    }

    @AfterAll
    static void tearDown() {
        evaluator.close();
    }

    private static Set<Integer> peersOf(int style) {
        return IntStream.range(0, S).filter(s -> s != style).boxed().collect(Collectors.toSet());
    }

    @Test
    void referencesAgainstThemselvesArePerfect() {
        SketchEvaluation eval = new SketchEvaluation(evaluator);
        for (int s = 0; s < S; s++) {
            SketchMetrics m = eval.evaluate(s, peersOf(s), refs.get(s), refs.get(s));
            assertThat(m.ssim()).as("ssim %d", s).isCloseTo(1.0, within(1e-9));
            assertThat(m.l1()).as("l1 %d", s).isZero();
            assertThat(Math.abs(m.fsd())).as("fsd %d", s).isLessThan(1e-6);
            // scoring a set against itself gives a tiny negative KID (see KernelDistance)
            assertThat(m.kid()).as("kid %d", s).isLessThanOrEqualTo(0).isGreaterThan(-0.05);
            assertThat(m.styleAcc()).as("style acc %d", s).isGreaterThan(0.9);
            // the fixture evaluator is not fully confident on every reference (contour/wobbly and
            // detail/hatch look alike): measured at most 0.23 (detail)
            assertThat(m.fusion()).as("fusion %d", s).isLessThan(0.3);
        }
    }

    @Test
    void anotherStyleScoresWorseAndNoiseWorst() {
        SketchEvaluation eval = new SketchEvaluation(evaluator);
        List<SketchEvaluation.Case> cases = new ArrayList<>();
        for (int s = 0; s < S; s++) {
            int other = (s + 1) % S;
            cases.add(new SketchEvaluation.Case(s, peersOf(s), refs.get(s), refs.get(s)));
            cases.add(new SketchEvaluation.Case(s, peersOf(s), refs.get(other), refs.get(s)));
            cases.add(new SketchEvaluation.Case(s, peersOf(s), noise, refs.get(s)));
        }
        List<SketchMetrics> all = eval.evaluateAll(cases);
        for (int s = 0; s < S; s++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-9s self %s%n          as %-9s %s%n          noise %s%n",
                    Styles.values()[s].styleName(),
                    all.get(3 * s).toMap(),
                    Styles.values()[(s + 1) % S].styleName(),
                    all.get(3 * s + 1).toMap(),
                    all.get(3 * s + 2).toMap());
        }
        for (int s = 0; s < S; s++) {
            SketchMetrics self = all.get(3 * s);
            SketchMetrics wrong = all.get(3 * s + 1);
            SketchMetrics rand = all.get(3 * s + 2);
            assertThat(wrong.styleAcc()).isLessThan(0.1).isLessThan(self.styleAcc());
            assertThat(wrong.fusion()).isGreaterThan(0.8);
            assertThat(wrong.fsd()).isGreaterThan(self.fsd() + 1);
            assertThat(wrong.kid()).isGreaterThan(self.kid());
            assertThat(wrong.ssim()).isLessThan(self.ssim());
            assertThat(wrong.l1()).isGreaterThan(self.l1());
            assertThat(rand.fsd()).isGreaterThan(self.fsd() + 10);
            assertThat(rand.kid()).isGreaterThan(self.kid() + 0.5);
            // noise has no structure (SSIM ≈ 0); a polarity-inverted style (chalk) can even go below 0
            assertThat(rand.ssim()).isLessThan(0.05).isLessThan(self.ssim());
            assertThat(rand.l1()).isGreaterThan(self.l1());
            // noise is rejected as "none of the styles", not attributed to a designer or a peer
            assertThat(rand.styleAcc()).isLessThan(0.1);
            assertThat(rand.fusion()).isLessThan(0.2);
        }
        // per designer, noise is not always farther than the most different style (blueprint drawn for
        // the dark-board chalk designer comes close), but it is on average
        double wrongFsd = IntStream.range(0, S)
                .mapToDouble(s -> all.get(3 * s + 1).fsd())
                .average()
                .orElseThrow();
        double randFsd = IntStream.range(0, S)
                .mapToDouble(s -> all.get(3 * s + 2).fsd())
                .average()
                .orElseThrow();
        double wrongKid = IntStream.range(0, S)
                .mapToDouble(s -> all.get(3 * s + 1).kid())
                .average()
                .orElseThrow();
        double randKid = IntStream.range(0, S)
                .mapToDouble(s -> all.get(3 * s + 2).kid())
                .average()
                .orElseThrow();
        assertThat(randFsd).isGreaterThan(1.2 * wrongFsd);
        assertThat(randKid).isGreaterThan(1.2 * wrongKid);
    }

    @Test
    void batchEqualsOneByOneAndIsFast() {
        SketchEvaluation eval = new SketchEvaluation(evaluator);
        // 8 designers × 4 regimes × 200 held-out garments, as in the demo
        List<SketchEvaluation.Case> cases = new ArrayList<>();
        for (int s = 0; s < S; s++) {
            for (int regime = 0; regime < 4; regime++) {
                List<float[]> gen = regime == 3 ? noise : refs.get((s + regime) % S);
                cases.add(new SketchEvaluation.Case(s, peersOf(s), gen, refs.get(s)));
            }
        }
        long t0 = System.nanoTime();
        List<SketchMetrics> batch = eval.evaluateAll(cases);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT, "evaluateAll: %d cases x %d sketches in %.2f s%n", cases.size(), noise.size(), seconds);
        assertThat(batch).hasSize(32);
        SketchEvaluation fresh = new SketchEvaluation(evaluator);
        for (int i : new int[] {0, 5, 31}) {
            SketchEvaluation.Case c = cases.get(i);
            SketchMetrics one = fresh.evaluate(c.style(), c.peerStyles(), c.generated(), c.references());
            assertThat(one.fsd()).isCloseTo(batch.get(i).fsd(), within(1e-6 * Math.max(1, Math.abs(one.fsd()))));
            assertThat(one.kid()).isCloseTo(batch.get(i).kid(), within(1e-9 + 1e-6 * Math.abs(one.kid())));
            assertThat(one.ssim()).isEqualTo(batch.get(i).ssim());
            assertThat(one.styleAcc()).isEqualTo(batch.get(i).styleAcc());
        }
        // a fresh copy of a reference set hits the cache: same embedding object
        List<float[]> copy = refs.get(2).stream().map(float[]::clone).toList();
        assertThat(eval.embedReferences(copy)).isSameAs(eval.embedReferences(refs.get(2)));
    }

    @Test
    void rejectsMalformedInput() {
        SketchEvaluation eval = new SketchEvaluation(evaluator);
        List<float[]> r = refs.get(0);
        assertThatThrownBy(() -> eval.evaluate(8, Set.of(), r, r)).hasMessageContaining("style 8");
        assertThatThrownBy(() -> eval.evaluate(0, Set.of(), r.subList(0, 10), r))
                .hasMessageContaining("as many references");
        List<float[]> bad = new ArrayList<>(r);
        bad.set(3, new float[784]);
        assertThatThrownBy(() -> eval.evaluate(0, Set.of(), bad, r)).hasMessageContaining("sketch 3 must have 1024");
    }
}

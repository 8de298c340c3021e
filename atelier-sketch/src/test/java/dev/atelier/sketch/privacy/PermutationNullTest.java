package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermutationNullTest {
    @Test
    void perfectSeparationHasTheSmallestPossiblePValue() {
        double[] s = {5, 6, 7, 8, 1, 2, 3, 4};
        PermutationNull t = PermutationNull.of(List.of(s), List.of(4), 999, 1);
        assertThat(t.observed()).isEqualTo(1.0);
        // C(8,4) = 70 splits, one of them the observed: about 999/70 permutations reach it
        assertThat(t.pValue()).isBetween(5.0 / 1000, 30.0 / 1000);
        assertThat(t.nullMean()).isCloseTo(0.5, within(0.02));
        assertThat(t.pBelow()).isEqualTo(1.0);
        PermutationNull reversed =
                PermutationNull.of(List.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}), List.of(4), 999, 1);
        assertThat(reversed.observed()).isEqualTo(0.0);
        assertThat(reversed.pValue()).isEqualTo(1.0);
        assertThat(reversed.pBelow()).isLessThan(0.03);
    }

    @Test
    void scoresUnrelatedToMembershipGiveAUniformPValueAndANullAtHalf() {
        SplittableRandom rng = new SplittableRandom(42);
        int significant = 0;
        int trials = 200;
        double nullMeans = 0;
        for (int t = 0; t < trials; t++) {
            double[] a = new double[40];
            double[] b = new double[40];
            for (int i = 0; i < 40; i++) {
                a[i] = rng.nextDouble();
                b[i] = rng.nextDouble();
            }
            PermutationNull p = PermutationNull.of(List.of(a, b), List.of(20, 20), 400, t);
            significant += p.significant() ? 1 : 0;
            nullMeans += p.nullMean() / trials;
        }
        assertThat(nullMeans).isCloseTo(0.5, within(0.005));
        // false-positive rate of the one-sided 5% test: binomial(200, 0.05) is 10 ± 3
        assertThat(significant).isBetween(3, 20);
    }

    @Test
    void aShiftedMemberHalfIsSignificantAndMatchesMannWhitney() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] s = new double[60];
        for (int i = 0; i < 60; i++) {
            s[i] = rng.nextDouble() + (i < 30 ? 0.3 : 0);
        }
        PermutationNull t = PermutationNull.of(List.of(s), List.of(30), 2000, 3);
        AucInterval d = AucInterval.of(java.util.Arrays.copyOf(s, 30), java.util.Arrays.copyOfRange(s, 30, 60));
        assertThat(t.observed()).isCloseTo(d.auc(), within(1e-12));
        assertThat(t.observed()).isGreaterThan(0.7);
        assertThat(t.significant()).isTrue();
        // the null's 95th percentile of one designer's AUC at 30 v 30 is about 0.5 + 1.645 * 0.0754
        assertThat(t.nullHigh()).isCloseTo(0.624, within(0.03));
    }

    @Test
    void tiesAreHalfAndAllEqualScoresAreNeverSignificant() {
        PermutationNull t = PermutationNull.of(List.of(new double[] {1, 1, 1, 1, 1, 1}), List.of(3), 100, 1);
        assertThat(t.observed()).isEqualTo(0.5);
        assertThat(t.pValue()).isEqualTo(1.0);
        assertThat(PermutationNull.midRanks(new double[] {3, 1, 3, 2})).containsExactly(3.5, 1, 3.5, 2);
    }

    @Test
    void refusesTooFewCandidatesAndNonFiniteScores() {
        assertThatThrownBy(() -> PermutationNull.of(List.of(new double[] {1, 2, 3}), List.of(2), 10, 1))
                .hasMessageContaining(">= 2 non-members");
        assertThatThrownBy(() -> PermutationNull.of(List.of(new double[] {1, 2, Double.NaN, 4}), List.of(2), 10, 1))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> PermutationNull.of(List.of(), List.of(), 10, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

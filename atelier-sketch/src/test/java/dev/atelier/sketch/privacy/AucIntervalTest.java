package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AucIntervalTest {
    @Test
    void matchesAHandComputedDeLongCase() {
        // members {3, 4}, non-members {1, 2, 3}: pairs won 1+1+0.5 and 3 of 6 -> AUC 11/12.
        // Placements V10 = (5/6, 1), V01 = (1, 1, 3/4); S10 = 1/72, S01 = 1/48;
        // var = S10/2 + S01/3 = 1/144 + 1/144 -> SE = sqrt(1/72).
        AucInterval a = AucInterval.of(new double[] {3, 4}, new double[] {1, 2, 3});
        assertThat(a.auc()).isCloseTo(11.0 / 12, within(1e-12));
        assertThat(a.stdError()).isCloseTo(Math.sqrt(1.0 / 72), within(1e-12));
        assertThat(a.low()).isCloseTo(11.0 / 12 - AucInterval.Z95 * Math.sqrt(1.0 / 72), within(1e-12));
        assertThat(a.high()).isEqualTo(1.0); // clipped
        assertThat(a.members()).isEqualTo(2);
        assertThat(a.nonMembers()).isEqualTo(3);
    }

    @Test
    void separatedScoresGiveOneAndReversedGiveZero() {
        AucInterval a = AucInterval.of(new double[] {5, 6, 7}, new double[] {1, 2});
        assertThat(a.auc()).isEqualTo(1.0);
        assertThat(a.stdError()).isZero();
        assertThat(a.aboveChance()).isTrue();
        assertThat(AucInterval.of(new double[] {1, 2}, new double[] {5, 6, 7}).auc())
                .isZero();
        assertThat(AucInterval.of(new double[] {1, 1}, new double[] {1, 1}).auc())
                .isEqualTo(0.5);
    }

    @Test
    void sameDistributionCoversChanceAndShiftedOneIsSignificant() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 400;
        double[] a = new double[n];
        double[] b = new double[n];
        double[] shifted = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = gauss(r);
            b[i] = gauss(r);
            shifted[i] = gauss(r) + 1; // AUC = Phi(1 / sqrt 2) = 0.760
        }
        AucInterval same = AucInterval.of(a, b);
        assertThat(same.low()).isLessThan(0.5);
        assertThat(same.high()).isGreaterThan(0.5);
        AucInterval shift = AucInterval.of(shifted, b);
        assertThat(shift.auc()).isCloseTo(0.760, within(0.05));
        assertThat(shift.low()).isGreaterThan(0.5);
        // DeLong's SE for n = 400 per side near AUC 0.76 is about 0.017 (Hanley-McNeil gives 0.0168)
        assertThat(shift.stdError()).isCloseTo(0.017, within(0.004));
        AucInterval mean = AucInterval.mean(List.of(shift, same));
        assertThat(mean.auc()).isCloseTo((shift.auc() + same.auc()) / 2, within(1e-12));
        assertThat(mean.stdError()).isCloseTo(Math.hypot(shift.stdError(), same.stdError()) / 2, within(1e-12));
        assertThatThrownBy(() -> AucInterval.of(new double[] {1}, new double[] {1, 2}))
                .hasMessageContaining(">= 2 members");
        assertThatThrownBy(() -> AucInterval.of(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .hasMessageContaining("finite");
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}

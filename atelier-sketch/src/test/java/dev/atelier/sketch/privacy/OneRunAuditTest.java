package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OneRunAuditTest {
    @Test
    void binomialTailMatchesExactValues() {
        assertThat(OneRunAudit.tail(10, 10, 0.5)).isCloseTo(1.0 / 1024, within(1e-15));
        assertThat(OneRunAudit.tail(4, 2, 0.5)).isCloseTo(11.0 / 16, within(1e-15));
        assertThat(OneRunAudit.tail(7, 0, 0.3)).isEqualTo(1.0);
        assertThat(OneRunAudit.tail(7, 8, 0.3)).isEqualTo(0.0);
        // P[Bin(5, 0.8) >= 4] = 5 * 0.8^4 * 0.2 + 0.8^5
        assertThat(OneRunAudit.tail(5, 4, 0.8)).isCloseTo(5 * Math.pow(0.8, 4) * 0.2 + Math.pow(0.8, 5), within(1e-12));
    }

    @Test
    void allGuessesCorrectGivesTheClosedFormBound() {
        // P[Bin(r, p) >= r] = p^r = beta  =>  p = beta^(1/r), eps = ln(p / (1 - p))
        double beta = 0.0125;
        double p = Math.pow(beta, 1.0 / 100);
        assertThat(OneRunAudit.epsilonLowerBound(100, 100, beta)).isCloseTo(Math.log(p / (1 - p)), within(1e-9));
        assertThat(Math.log(p / (1 - p))).isCloseTo(3.106, within(1e-3));
        // coin-flip accuracy rejects nothing; more correct guesses never lower the bound
        assertThat(OneRunAudit.epsilonLowerBound(100, 55, beta)).isZero();
        assertThat(OneRunAudit.epsilonLowerBound(100, 80, beta))
                .isGreaterThan(0)
                .isLessThan(OneRunAudit.epsilonLowerBound(100, 90, beta));
    }

    @Test
    void separatedCanariesGiveALargeBoundAndScoresIndependentOfTheCoinsGiveNone() {
        SplittableRandom rng = new SplittableRandom(4);
        List<double[]> separated = new ArrayList<>();
        List<double[]> independent = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            int in = 25;
            double[] s = new double[50];
            double[] r = new double[50];
            for (int i = 0; i < 50; i++) {
                // designers on different scales: the bound standardises each one's scores
                s[i] = (d + 1) * 10 * ((i < in ? 1 : 0) + 0.1 * rng.nextDouble());
                r[i] = (d + 1) * 10 * rng.nextDouble();
            }
            separated.add(s);
            independent.add(r);
            members.add(in);
        }
        OneRunAudit.Bound b = OneRunAudit.of(separated, members);
        assertThat(b.canaries()).isEqualTo(100);
        assertThat(b.correct()).isEqualTo(b.guesses()).isEqualTo(100);
        assertThat(b.epsilon()).isCloseTo(OneRunAudit.epsilonLowerBound(100, 100, 0.05 / 4), within(1e-12));
        OneRunAudit.Bound none = OneRunAudit.of(independent, members);
        assertThat(none.epsilon()).isZero();
    }

    @Test
    void rejectsMismatchedInputs() {
        assertThatThrownBy(() -> OneRunAudit.of(List.of(new double[] {1, 2, 3}), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OneRunAudit.of(List.of(new double[] {1, Double.NaN, 3}), List.of(1)))
                .hasMessageContaining("NaN");
    }
}

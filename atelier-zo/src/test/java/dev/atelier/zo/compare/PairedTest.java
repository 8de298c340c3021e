package dev.atelier.zo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.atelier.zo.task.Accuracy;
import dev.atelier.zo.task.LabelScorer;
import org.junit.jupiter.api.Test;

/** The paired comparison of two classifiers and the calibrated decision rule. */
class PairedTest {
    private static TaskEval.Score score(boolean... right) {
        int c = 0;
        for (boolean r : right) {
            c += r ? 1 : 0;
        }
        return new TaskEval.Score(Accuracy.of(c, right.length), 1.0, right, Accuracy.of(c, right.length));
    }

    @Test
    void mcNemarExactMatchesTheBinomialTail() {
        // b = 10, c = 2: 2 · (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 158 / 4096
        assertThat(Paired.mcNemar(10, 2)).isCloseTo(158.0 / 4096, offset(1e-12));
        assertThat(Paired.mcNemar(2, 10)).isCloseTo(158.0 / 4096, offset(1e-12));
        assertThat(Paired.mcNemar(5, 5)).isEqualTo(1.0);
        assertThat(Paired.mcNemar(0, 0)).isEqualTo(1.0);
        // large counts stay finite: 300 vs 200 discordant items
        assertThat(Paired.mcNemar(300, 200)).isBetween(1e-6, 1e-5);
    }

    @Test
    void countsDiscordantItemsAndTheDifference() {
        TaskEval.Score zero = score(true, false, false, false, true, false);
        TaskEval.Score tuned = score(true, true, true, false, false, true);
        Paired p = Paired.of(zero, tuned);
        assertThat(p.gained()).isEqualTo(3);
        assertThat(p.lost()).isEqualTo(1);
        assertThat(p.difference()).isCloseTo(2.0 / 6, offset(1e-12));
        assertThat(p.diffLow()).isLessThan(p.difference());
        assertThat(p.diffHigh()).isGreaterThan(p.difference());
        assertThat(p.toString()).contains("+0.333", "3 gained, 1 lost", "McNemar exact p = ");
        assertThat(Paired.separated(zero, tuned)).isFalse();
        assertThatThrownBy(() -> Paired.of(zero, score(true))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void separatedNeedsTheLowerBoundAboveTheOtherUpperBound() {
        boolean[] low = new boolean[500];
        boolean[] high = new boolean[500];
        for (int i = 0; i < 500; i++) {
            low[i] = i < 100; // 0.20 [0.167, 0.237]
            high[i] = i < 150; // 0.30 [0.262, 0.341]
        }
        assertThat(Paired.separated(score(low), score(high))).isTrue();
        assertThat(Paired.separated(score(high), score(low))).isFalse();
    }

    @Test
    void calibrationDividesByTheContentFreePrior() {
        // raw scores favour label 0, which the content-free prompt also favours strongly
        double[] scores = {Math.log(0.5), Math.log(0.3), Math.log(0.2)};
        LabelScorer.Calibration prior =
                new LabelScorer.Calibration(new double[] {Math.log(0.8), Math.log(0.1), Math.log(0.1)});
        assertThat(LabelScorer.predict(scores, LabelScorer.Calibration.none(3))).isZero();
        assertThat(LabelScorer.predict(scores, prior)).isEqualTo(1);
        double[] r = LabelScorer.restricted(new double[] {-10, -10 + Math.log(3)});
        assertThat(Math.exp(r[0])).isCloseTo(0.25, offset(1e-12));
        assertThat(Math.exp(r[1])).isCloseTo(0.75, offset(1e-12));
    }
}

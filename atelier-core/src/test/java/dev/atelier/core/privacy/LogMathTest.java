package dev.atelier.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogMathTest {
    /** Reference: scipy 1.17 {@code log(2) + special.log_ndtr(-x * sqrt(2))} (what Opacus' _log_erfc computes). */
    @ParameterizedTest
    @CsvSource({
        "-30, 0.6931471805599453",
        "-5, 0.6931471805591766",
        "-1, 0.6112323176780705",
        "-0.3, 0.28414589714140825",
        "0, 0.0",
        "0.3, -0.39843005144008525",
        "1, -1.849605509933249",
        "1.5, -3.3844920895515536",
        "1.9, -4.93234586278027",
        "2.2, -6.285649693191379",
        "-2.2, 0.6922153233668731",
        "4, -17.987778312103014",
        "2, -5.36494126461664",
        "2.5, -7.806815272727267",
        "3, -10.720363041981116",
        "5, -27.200889545537446",
        "10, -102.87988902484493",
        "30, -903.9741171106442",
        "100, -10005.177585122668"
    })
    void logErfcMatchesScipy(double x, double expected) {
        assertThat(LogMath.logErfc(x)).isCloseTo(expected, within(1e-13 * Math.max(1, Math.abs(expected))));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "-5, 3", "5, 5", "1e-3, 2e-3"})
    void logAddAndSubInvert(double x, double y) {
        double sum = LogMath.logAdd(x, y);
        assertThat(LogMath.logSub(sum, y)).isCloseTo(x, within(1e-10 * Math.max(1, Math.abs(x))));
    }
}

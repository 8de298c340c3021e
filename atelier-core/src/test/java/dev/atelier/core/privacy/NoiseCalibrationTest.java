package dev.atelier.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NoiseCalibrationTest {
    /**
     * Opacus' get_noise_multiplier(target_epsilon=8, target_delta=1e-5, sample_rate=0.04, epochs=90)
     * with today's accountant and search. opacus/tests/accountants_test.py pins 1.425307617, which we
     * cannot reproduce: re-running the published search (opacus/accountants/utils.py) on the RDP
     * values we reproduce to 1e-10 gives 1.416015625, the value asserted here; the test value
     * comes from an older search or accountant.
     */
    @Test
    void opacusSearchOnTheirExample() {
        double sigma = NoiseCalibration.sigmaForTarget(8, 1e-5, 0.04, 2250);
        assertThat(sigma).isEqualTo(1.416015625);
        double eps =
                RdpAccountant.create().compose(0.04, sigma, 2250).spent(1e-5).epsilon();
        assertThat(eps).isBetween(8 - NoiseCalibration.DEFAULT_TOLERANCE, 8.0);
    }

    /** Inverts the TF-privacy MNIST row sigma=0.7, 45 epochs -> eps 7.10 (classic conversion). */
    @Test
    void invertsTheTfPrivacyTable() {
        long steps = (long) Math.ceil(45 * 60000.0 / 256);
        double sigma =
                NoiseCalibration.sigmaForTarget(7.1005517, 1e-5, 256 / 60000.0, steps, 1e-4, EpsilonConversion.CLASSIC);
        assertThat(sigma).isCloseTo(0.7, within(1e-3));
    }

    /**
     * Issue 12's user-level example (self-consistency, not a published value): 8 designers all in
     * every round (q = 1, plain Gaussian mechanism), 11 rounds, epsilon 8, delta 1e-5.
     */
    @Test
    void issueTwelveUserLevelExample() {
        double z = NoiseCalibration.sigmaForTarget(8, 1e-5, 1.0, 11);
        assertThat(z).isCloseTo(2.117, within(0.01));
        // q = 1: RDP is exactly alpha * steps / (2 z^2)
        assertThat(RdpAccountant.withOrders(2, 5).compose(1.0, z, 11).rdp()[1])
                .isCloseTo(5 * 11 / (2 * z * z), within(1e-12));
    }

    @Test
    void refusesUnreachableTargets() {
        assertThatThrownBy(() -> NoiseCalibration.sigmaForTarget(1e-9, 1e-5, 1, 1000))
                .hasMessageContaining("needs a noise multiplier above");
        assertThatThrownBy(() -> NoiseCalibration.sigmaForTarget(-1, 1e-5, 0.1, 10))
                .hasMessageContaining("target epsilon");
    }
}

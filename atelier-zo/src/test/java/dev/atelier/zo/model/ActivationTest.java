package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ActivationTest {
    @Test
    void erfMatchesTabulatedValues() {
        // Abramowitz & Stegun table 7.1 / high-precision values
        assertThat(Erf.erf(0)).isZero();
        assertThat(Erf.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-13));
        assertThat(Erf.erf(1)).isCloseTo(0.8427007929497149, within(1e-13));
        assertThat(Erf.erf(2.9)).isCloseTo(0.9999589021219005, within(1e-13));
        assertThat(Erf.erf(3.1)).isCloseTo(0.9999883513426328, within(1e-13));
        assertThat(Erf.erf(-2)).isCloseTo(-0.9953222650189527, within(1e-13));
        assertThat(Erf.erf(7)).isEqualTo(1.0);
    }

    @Test
    void activationsMatchTorchValues() {
        // torch.nn.functional.gelu(torch.tensor([1.0, -0.5]), approximate=...) and silu
        assertThat(Activation.GELU.apply(1f)).isCloseTo(0.8413447f, within(1e-7f));
        assertThat(Activation.GELU.apply(-0.5f)).isCloseTo(-0.15426877f, within(1e-7f));
        assertThat(Activation.GELU_NEW.apply(1f)).isCloseTo(0.8411920f, within(1e-7f));
        assertThat(Activation.SILU.apply(1f)).isCloseTo(0.7310586f, within(1e-7f));
        assertThat(Activation.RELU.apply(-2f)).isZero();
    }
}

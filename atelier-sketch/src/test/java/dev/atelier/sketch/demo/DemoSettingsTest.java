package dev.atelier.sketch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.sketch.fed.Schedule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {
    private static final DemoSettings.Inputs INPUTS = new DemoSettings.Inputs(null, null, Path.of("cache"));

    @Test
    void aBuilderWithoutOverridesIsThePreset() {
        for (DemoPreset p : DemoPreset.values()) {
            DemoSettings s = DemoSettings.builder(p, Path.of("out"), 7, INPUTS).build();
            assertThat(s.preset()).isEqualTo(p);
            assertThat(s.schedule()).isEqualTo(p.schedule());
            assertThat(s.budget()).isEqualTo(p.budget());
            assertThat(s.evaluation()).isEqualTo(p.evaluation());
            assertThat(s.training()).isEqualTo(p.training());
            assertThat(s.federation()).isEqualTo(p.federation());
        }
        assertThat(DemoPreset.STANDARD.schedule()).isEqualTo(new Schedule(30, 11, 11));
        assertThat(DemoPreset.QUICK.schedule().stepsPerDesigner())
                .isLessThan(DemoPreset.STANDARD.schedule().stepsPerDesigner());
    }

    @Test
    void overridesReplaceOnlyTheirField() {
        DemoSettings s = DemoSettings.builder(DemoPreset.QUICK, Path.of("out"), 3, INPUTS)
                .optRounds(5)
                .optDistillSteps(0)
                .optBatchSize(16)
                .optBlend(0.25)
                .optCriticMix(0.5)
                .build();
        assertThat(s.schedule()).isEqualTo(new Schedule(4, 5, 3));
        assertThat(s.budget()).isEqualTo(new DemoSettings.Budget(120, 80, 0));
        assertThat(s.training().batchSize()).isEqualTo(16);
        assertThat(s.training().adversarialWeight()).isEqualTo(0.1f);
        assertThat(s.federation()).isEqualTo(new DemoSettings.Federation(0, 0.5, 0.25));
        assertThat(s.trainerSettings().batchSize()).isEqualTo(16);
        assertThat(s.trainerSettings().seed()).isEqualTo(3);
        assertThat(s.layout().root()).isEqualTo(Path.of("out"));
    }

    @Test
    void invalidOverridesFailNamingTheOption() {
        var b = DemoSettings.builder(DemoPreset.STANDARD, Path.of("out"), 1, INPUTS);
        assertThatThrownBy(() -> b.optBlend(1.5).build()).hasMessageContaining("--blend");
        assertThatThrownBy(() -> DemoSettings.builder(DemoPreset.STANDARD, Path.of("o"), 1, INPUTS)
                        .optBatchSize(1)
                        .build())
                .hasMessageContaining("--batch-size");
        assertThatThrownBy(() -> DemoSettings.builder(DemoPreset.STANDARD, Path.of("o"), 1, INPUTS)
                        .optCriticMix(-0.1)
                        .build())
                .hasMessageContaining("--critic-mix");
        assertThatThrownBy(() -> DemoSettings.builder(DemoPreset.STANDARD, Path.of("o"), 1, INPUTS)
                        .optRounds(0)
                        .build())
                .hasMessageContaining("rounds");
        assertThatThrownBy(() -> new DemoSettings.Training(8, Float.NaN)).hasMessageContaining("adversarial");
    }
}

package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StepProfile}: which parts a warm-up and a GAN step charge, and that the parts add up to the step. */
class StepProfileTest {
    @Test
    void partsAreChargedByTheStepsThatRunThemAndAddUpToTheThreadsCpuTime() {
        StepProfile profile = new StepProfile();
        try (SketchTrainer t = SketchTrainer.builder()
                .setModel(SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 2))
                .setData(TestModels.designer(Styles.BOLD, 0, 12))
                .optSettings(TrainerSettings.defaults(2).withBatchSize(4))
                .optProfile(profile)
                .build()) {
            t.warmup(3, null);
            assertThat(profile.warmupSteps()).isEqualTo(3);
            assertThat(profile.ganSteps()).isZero();
            Map<StepProfile.Part, Double> warm = profile.totalMillis();
            assertThat(warm.get(StepProfile.Part.CRITIC_LOSS)).isZero();
            assertThat(warm.get(StepProfile.Part.CRITIC_BACKWARD)).isZero();
            assertThat(warm.get(StepProfile.Part.GENERATOR_BACKWARD)).isPositive();

            profile.reset();
            assertThat(profile.totalMillisAllParts()).isZero();
            var threads = ManagementFactory.getThreadMXBean();
            long t0 = threads.getCurrentThreadCpuTime();
            t.trainSteps(3, null);
            double measured = (threads.getCurrentThreadCpuTime() - t0) / 1e6;
            assertThat(profile.ganSteps()).isEqualTo(3);
            Map<StepProfile.Part, Double> gan = profile.totalMillis();
            assertThat(gan.get(StepProfile.Part.CRITIC_LOSS)).isPositive();
            assertThat(gan.get(StepProfile.Part.CRITIC_BACKWARD)).isPositive();
            assertThat(gan.get(StepProfile.Part.GENERATOR_ADVERSARIAL)).isPositive();
            // Every step's time is charged to some part, and nothing outside the steps is.
            assertThat(profile.totalMillisAllParts()).isBetween(0.8 * measured, measured);
        }
    }
}

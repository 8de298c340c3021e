package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.util.Seeds;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadRegistry;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.sketch.demo.DesignerData;
import dev.atelier.sketch.demo.Designers;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.TrainerSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A designer draws the same data and batches in a simulation (the demo's path) and as a deployed node. */
class DesignerSeedsTest {
    private static final String DESIGNER = "stella-stipple";
    private static final long SEED = 2;

    @Test
    void designerSeedIsKeyedByTheNameOnly() {
        assertThat(SketchFederation.designerSeed(SEED, DESIGNER)).isEqualTo(Seeds.derive(SEED, "batches", DESIGNER));
        assertThat(SketchFederation.designerSeed(SEED, DESIGNER))
                .isNotEqualTo(SketchFederation.designerSeed(SEED, "ada-contour"))
                .isNotEqualTo(SketchFederation.designerSeed(SEED + 1, DESIGNER));
    }

    @Test
    void simulationAndDeploymentGiveADesignerTheSameTrainerSeedAndPairs(@TempDir Path tmp) throws Exception {
        // Deployment: one node, named unlike the designer, drawing its default designer from the fixture.
        Config cfg = SketchWorkloadProviderTest.config(tmp)
                .with(SketchKeys.DESIGNER, DESIGNER)
                .with(SketchKeys.FASHION_MNIST, "fixture");
        Node node = WorkloadRegistry.get("sketch").createNode("node-7", null, null, cfg);
        SketchTrainer deployed = ((SketchWorkload) node.workload()).trainer();

        // Simulation: the demo's designers; this one is second in the federation (alone on its node).
        List<DesignerData> designers = Designers.build(
                Designers.profiles(null),
                FashionMnist.loadFixture().splits(100, 0).privateTrain(),
                SEED);
        DesignerData mine = designers.stream()
                .filter(d -> d.name().equals(DESIGNER))
                .findFirst()
                .orElseThrow();
        assertThat(designers.indexOf(mine)).isPositive();
        SketchFederation fed = SketchFederation.builder()
                .setEncoder(TestModels.encoderParams())
                .addDesigner(designers.get(0).name(), pairs(designers.get(0)))
                .addDesigner(DESIGNER, pairs(mine))
                .optRegime(Regime.LOCAL_ONLY)
                .optSchedule(new Schedule(0, 1, 1))
                .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4))
                .optSeed(SEED)
                // Deployed nodes always hold out every 10th pair for EVALUATE; with evaluation on
                // the simulation holds out the same pairs.
                .optEvaluateEvery(1)
                .build();
        try (FederationOutcome out = fed.run()) {
            SketchTrainer simulated = out.trainers().get(DESIGNER);
            long seed = simulated.settings().seed();
            assertThat(deployed.settings().seed())
                    .isEqualTo(seed)
                    .isEqualTo(SketchFederation.designerSeed(SEED, DESIGNER));
            assertThat(out.trainers().get(designers.get(0).name()).settings().seed())
                    .isNotEqualTo(seed);
            SketchPairs a = deployed.data();
            SketchPairs b = simulated.data();
            assertThat(a.size()).isEqualTo(b.size()).isEqualTo(54);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.garments().get(i)).isEqualTo(b.garments().get(i));
                assertThat(a.sketches().get(i)).isEqualTo(b.sketches().get(i));
            }
            // Same seed and data size: the same batch indices, step after step.
            SplittableRandom ra = new SplittableRandom(deployed.settings().seed());
            SplittableRandom rb = new SplittableRandom(seed);
            for (int step = 0; step < 5; step++) {
                assertThat(SketchTrainer.sampleBatch(ra, a.size(), 4))
                        .isEqualTo(SketchTrainer.sampleBatch(rb, b.size(), 4));
            }
        } finally {
            ((AutoCloseable) node).close();
        }
    }

    private static SketchPairs pairs(DesignerData d) {
        return SketchPairs.paired(d.garments(), d.sketches());
    }
}

package dev.atelier.sketch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.Safetensors;
import dev.atelier.core.testing.Prerequisite;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistResolver;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.ml.train.TrainSettings;
import dev.atelier.sketch.eval.EvaluatorCache;
import dev.atelier.sketch.eval.EvaluatorSettings;
import dev.atelier.sketch.fed.SketchWorkloadProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's public feature network and evaluator (default preset, seed 7, Debian's Fashion-MNIST)
 * and the designers' encoder ({@link SketchWorkloadProvider#ENCODER_TRAINING}) ship with Atelier: an empty cache gets them installed, not trained. After a change to their
 * settings, architecture or data, this fails until the new files are shipped (train them with
 * {@code atelier demo} into an empty cache and copy them into the {@code shipped/} resource folders).
 */
class ShippedNetworksTest {
    @Test
    void theDemosNetworksShipAndInstallIntoAnEmptyCache(@TempDir Path cache) throws Exception {
        Prerequisite.require(
                FashionMnistResolver.missing(FashionMnistResolver.SYSTEM_DIR).isEmpty(),
                "Fashion-MNIST not installed in " + FashionMnistResolver.SYSTEM_DIR
                        + " (apt-get install dataset-fashion-mnist)");
        DataSplits splits = FashionMnist.load(FashionMnistResolver.SYSTEM_DIR).splits();
        var budget = DemoPreset.STANDARD.budget();
        // SketchDemo's calls at its default seed.
        var net = PublicFeatureNetwork.getOrTrain(
                splits.publicTrain(),
                SketchDemo.subset(splits.test(), 2000),
                new TrainSettings(budget.publicNetSteps(), 64, 2e-3f, 0f, 7, true),
                cache);
        assertThat(net.cached())
                .as("public feature network installed, not trained")
                .isTrue();
        assertThat(net.accuracy()).isGreaterThan(0.85);
        var evaluator = EvaluatorCache.getOrTrain(
                splits.publicTrain(),
                splits.test(),
                EvaluatorSettings.defaults().withSteps(budget.evaluatorSteps()),
                cache,
                false);
        assertThat(evaluator.cached()).as("evaluator installed, not trained").isTrue();
        assertThat(evaluator.accuracy().style()).isGreaterThan(0.95);
        assertThat(Safetensors.read(evaluator.file()).names()).isNotEmpty();
        // The encoder of `sketch train`, nodes and the Studio (PublicEncoder).
        var encoder = PublicFeatureNetwork.getOrTrain(
                splits.publicTrain(), splits.test(), SketchWorkloadProvider.ENCODER_TRAINING, cache);
        assertThat(encoder.cached())
                .as("designer encoder installed, not trained")
                .isTrue();
        assertThat(encoder.accuracy()).isGreaterThan(0.85);
        assertThat(cache.toFile().list()).hasSize(3);
    }
}

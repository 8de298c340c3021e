package dev.atelier.ml.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.ml.data.FashionMnist;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The real classifier workload under SecAgg+, unchanged: the same global model as plain FedAvg up to quantisation. */
class ClassifierSecAggTest {
    @Test
    void secureAggregationOfTheClassifierMatchesPlainFedAvg() throws Exception {
        var splits = FashionMnist.loadFixture().splits(100, 0);
        var settings = new ClassifierSimulation.Settings(3, "iid", 1, 7, 50);
        Config train = Config.of(Map.of(TrainKeys.LOCAL_STEPS, 2, TrainKeys.BATCH_SIZE, 8));
        var plain =
                ClassifierSimulation.run(settings, splits, new FedAvg(Sampling.all(3), train), null, RunListener.NONE);
        var secure = ClassifierSimulation.run(
                settings,
                splits,
                new FedAvg(Sampling.all(3), train),
                null,
                RunListener.NONE,
                new PrivacyOptions(Optional.of(PrivacyOptions.SecAgg.defaults()), Optional.empty()));
        var rec = secure.result().rounds().get(0);
        assertThat(rec.aggregated()).as(rec.failures().toString()).isTrue();
        assertThat(rec.privacy().orElseThrow().contributors()).isEqualTo(3);
        var a = plain.result().global();
        var b = secure.result().global();
        assertThat(b.names()).isEqualTo(a.names());
        double step = 2 * PrivacyOptions.DEFAULT_CLIP_RANGE / PrivacyOptions.DEFAULT_QUANTIZATION_RANGE;
        double max = 0;
        for (String n : a.names()) {
            float[] x = a.get(n).toFloats();
            float[] y = b.get(n).toFloats();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        // at most one quantisation step per contributor, plus float32 rounding of the parameters
        assertThat(max).isLessThan(3 * step + 1e-5);
    }
}

package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricMeanTest {
    @Test
    void weightsByExamplesCountsZeroAsOneAndSkipsNonFiniteValues() {
        MetricMean m = new MetricMean();
        m.add(Map.of("loss", 1.0, "acc", 0.5), 3);
        m.add(Map.of("loss", 5.0, "acc", Double.NaN), 1);
        m.add(Map.of("loss", 9.0), 0); // weight 1, not ignored
        assertThat(m.mean()).containsExactly(Map.entry("acc", 0.5), Map.entry("loss", (3 * 1.0 + 5 + 9) / 5));
    }

    @Test
    void noRepliesGiveNoMetrics() {
        assertThat(new MetricMean().mean()).isEmpty();
    }
}

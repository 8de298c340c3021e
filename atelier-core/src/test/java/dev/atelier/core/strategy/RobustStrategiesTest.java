package dev.atelier.core.strategy;

import static dev.atelier.core.testing.Params.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.aggregate.CollectingAggregator;
import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.testing.Params;
import org.junit.jupiter.api.Test;

class RobustStrategiesTest {
    private static ParamSet fold(Strategy s, float... values) throws Exception {
        Aggregator agg = s.newAggregator(1);
        for (int i = 0; i < values.length; i++) {
            agg.accept(reply("n" + i, Params.vector(values[i], -values[i]), 1 + i));
        }
        return s.update(1, Params.vector(0, 0), agg.result());
    }

    private static Sampling sampling(int nodes, int minReplies) {
        return new Sampling(1.0, nodes, minReplies, 1.0);
    }

    @Test
    void fedMedian() throws Exception {
        FedMedian s = new FedMedian(sampling(5, 1), Config.empty());
        assertThat(s.newAggregator(1)).isInstanceOf(CollectingAggregator.class);
        assertThat(fold(s, 1, 2, 1000, 3, -7)).isEqualTo(Params.vector(2, -2));
        assertThat(s.name()).isEqualTo("fedmedian");
    }

    @Test
    void trimmedMean() throws Exception {
        TrimmedMean s = new TrimmedMean(sampling(5, 1), Config.empty(), 0.2);
        assertThat(fold(s, 1, 2, 1000, 3, -7)).isEqualTo(Params.vector(2, -2)); // trims -7 and 1000
        assertThat(fold(new TrimmedMean(sampling(5, 1), Config.empty(), 0.0), 1, 2, 3))
                .isEqualTo(Params.vector(2, -2));
        assertThatThrownBy(() -> new TrimmedMean(sampling(5, 1), Config.empty(), 0.5))
                .hasMessageContaining("[0, 0.5)");
        assertThatThrownBy(() -> new TrimmedMean(sampling(5, 1), Config.empty(), -0.1))
                .hasMessageContaining("[0, 0.5)");
    }

    @Test
    void krumPicksOneHonestReply() throws Exception {
        Krum s = new Krum(sampling(5, 5), Config.empty(), 1);
        ParamSet r = fold(s, 0, 1, 2, 3, 100);
        assertThat(r).isEqualTo(Params.vector(1, -1));
        assertThat(s.name()).isEqualTo("krum");
        assertThat(s.selected()).isEqualTo(1);
    }

    @Test
    void multiKrumAveragesTheSelectedByExamples() throws Exception {
        MultiKrum s = new MultiKrum(sampling(5, 5), Config.empty(), 1, 2);
        // selects indices 1 and 2 (values 1, 2; examples 2, 3): (2*1 + 3*2) / 5 = 1.6
        assertThat(fold(s, 0, 1, 2, 3, 100).get("w").toFloats()[0]).isEqualTo(1.6f);
    }

    @Test
    void krumConfigurationIsValidatedAgainstTheSampling() throws Exception {
        assertThatThrownBy(() -> new Krum(sampling(4, 4), Config.empty(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 2f+2=4")
                .hasMessageContaining("minReplies (now 4)");
        assertThatThrownBy(() -> new MultiKrum(sampling(6, 6), Config.empty(), 1, 6))
                .hasMessageContaining("minReplies - f = 5");
        assertThatThrownBy(() -> new MultiKrum(sampling(6, 6), Config.empty(), -1, 1))
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new MultiKrum(sampling(6, 6), Config.empty(), 1, 0))
                .hasMessageContaining("m >= 1");
    }

    @Test
    void krumAggregatorUsedWithTooFewRepliesSaysWhy() throws Exception {
        Aggregator agg = new Krum(sampling(5, 5), Config.empty(), 1).newAggregator(1);
        agg.accept(reply("a", Params.vector(1), 1));
        agg.accept(reply("b", Params.vector(2), 1));
        assertThatThrownBy(agg::result)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("krum(f=1, m=1)")
                .hasMessageContaining("more than 2f+2=4 updates, got 2");
    }
}

package dev.atelier.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import org.junit.jupiter.api.Test;

class ReplyMemoryBudgetTest {
    private static final Sampling TEN = new Sampling(1.0, 10, 10, 0.0);

    @Test
    void collectingStrategiesNeedFourBytesPerElementPerReply() {
        Strategy median = new FedMedian(TEN, Config.empty());
        assertThat(ReplyMemoryBudget.heldBytes(median, 10, 1000)).isEqualTo(40_000);
        new ReplyMemoryBudget(40_000).check(median, 10, 1000);
        assertThatThrownBy(() -> new ReplyMemoryBudget(39_999).check(median, 10, 1000))
                .hasMessage("strategy fedmedian holds every reply until the round ends: 10 replies x 1000 elements"
                        + " x 4 bytes = 0.0 MB, over the memory budget of 0.0 MB; raise the budget (and -Xmx),"
                        + " sample fewer nodes, or use a streaming strategy (fedavg, fedprox, fedadam, fedyogi)");
        // 100 replies of a 25M-element model (a 100 MB float32 model): 10 GB do not fit in 1 GB
        assertThatThrownBy(() -> ReplyMemoryBudget.ofMegabytes(1024)
                        .check(new TrimmedMean(TEN, Config.empty(), 0.1), 100, 25_000_000))
                .hasMessageContaining("strategy trimmedmean")
                .hasMessageContaining("= 9536.7 MB, over the memory budget of 1024.0 MB");
        assertThatThrownBy(() -> ReplyMemoryBudget.ofMegabytes(1).check(new Krum(TEN, Config.empty(), 1), 10, 30_000))
                .hasMessageContaining("strategy krum");
    }

    @Test
    void streamingStrategiesAlwaysFit() {
        for (Strategy s : new Strategy[] {
            new FedAvg(TEN, Config.empty()), new FedProx(TEN, Config.empty(), 0.1), new FedAdam(TEN, Config.empty())
        }) {
            assertThat(ReplyMemoryBudget.heldBytes(s, Integer.MAX_VALUE, Integer.MAX_VALUE))
                    .isZero();
            new ReplyMemoryBudget(1).check(s, Integer.MAX_VALUE, Integer.MAX_VALUE);
        }
    }

    @Test
    void hugeProductsSaturateInsteadOfOverflowing() {
        Strategy median = new FedMedian(TEN, Config.empty());
        assertThat(ReplyMemoryBudget.heldBytes(median, Integer.MAX_VALUE, Long.MAX_VALUE / 2))
                .isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() ->
                        new ReplyMemoryBudget(Long.MAX_VALUE - 1).check(median, Integer.MAX_VALUE, Long.MAX_VALUE / 2))
                .hasMessageContaining("more than 8 EB");
    }

    @Test
    void budgetsAreValidated() {
        assertThat(ReplyMemoryBudget.ofMegabytes(3).bytes()).isEqualTo(3L << 20);
        assertThat(ReplyMemoryBudget.ofHeap().bytes())
                .isEqualTo((long) (Runtime.getRuntime().maxMemory() * ReplyMemoryBudget.DEFAULT_HEAP_FRACTION));
        assertThatThrownBy(() -> ReplyMemoryBudget.ofMegabytes(0)).hasMessageContaining("> 0 MB");
        assertThatThrownBy(() -> ReplyMemoryBudget.ofHeap(1.5)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new ReplyMemoryBudget(-1)).hasMessageContaining("> 0 bytes");
    }
}

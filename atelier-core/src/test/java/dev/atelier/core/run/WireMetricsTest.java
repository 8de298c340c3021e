package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import org.junit.jupiter.api.Test;

/** Per-round bytes from the ledger: only the asked round, per node, both directions. */
class WireMetricsTest {
    @Test
    void sumsOneRoundPerNodeAndDirection() {
        WireLedger ledger = new WireLedger();
        ledger.record("a", 1, Direction.FROM_NODE, PayloadKind.COMPACT, 50);
        ledger.record("a", 1, Direction.FROM_NODE, PayloadKind.METRICS, 20);
        ledger.record("b", 1, Direction.FROM_NODE, PayloadKind.COMPACT, 40);
        ledger.record("a", 1, Direction.TO_NODE, PayloadKind.CONTROL, 300);
        ledger.record("b", 1, Direction.TO_NODE, PayloadKind.CONTROL, 100);
        ledger.record("a", 2, Direction.FROM_NODE, PayloadKind.COMPACT, 999);
        var m = new WireMetrics(ledger).evaluate(1, null);
        assertThat(m)
                .containsEntry(WireMetrics.UP_MAX, 70.0)
                .containsEntry(WireMetrics.UP_TOTAL, 110.0)
                .containsEntry(WireMetrics.DOWN_MEAN, 200.0)
                .containsEntry(WireMetrics.DOWN_TOTAL, 400.0);
        assertThat(new WireMetrics(ledger).evaluate(3, null))
                .containsEntry(WireMetrics.UP_MAX, 0.0)
                .containsEntry(WireMetrics.DOWN_MEAN, 0.0);
    }
}

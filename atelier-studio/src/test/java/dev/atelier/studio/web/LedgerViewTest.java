package dev.atelier.studio.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.transport.SentMessage;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.node.OutboundLedger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-round split of the node ledger into critic, style card, images and the rest, and ε. */
class LedgerViewTest {
    private static OutboundLedger.Entry entry(
            int round,
            String call,
            Map<PayloadKind, Long> bytes,
            List<SentMessage.TensorBytes> t,
            Map<String, Double> m) {
        return new OutboundLedger.Entry(Instant.EPOCH, new SentMessage("n", round, call, 1, bytes, t, m));
    }

    @Test
    void tensorsAreSplitByNameAndAnythingElseCountsAsImages() {
        var rounds = LedgerView.rounds(List.of(
                entry(0, SentMessage.REGISTER, Map.of(PayloadKind.CONTROL, 30L), List.of(), Map.of()),
                entry(
                        1,
                        SentMessage.PUSH_REPLY,
                        Map.of(PayloadKind.PARAMETERS, 1200L, PayloadKind.METRICS, 20L, PayloadKind.CONTROL, 50L),
                        List.of(
                                new SentMessage.TensorBytes("disc.conv1.weight", 800),
                                new SentMessage.TensorBytes("style.s1.mean", 100)),
                        Map.of("loss", 1.0)),
                entry(1, SentMessage.CONTROL_CALLS, Map.of(PayloadKind.CONTROL, 12L), List.of(), Map.of()),
                entry(
                        2,
                        SentMessage.PUSH_REPLY,
                        Map.of(PayloadKind.PARAMETERS, 2000L),
                        List.of(
                                new SentMessage.TensorBytes("disc.conv1.weight", 800),
                                new SentMessage.TensorBytes("garment.pixels", 784)),
                        Map.of(LedgerView.EPSILON, 1.25, LedgerView.DELTA, 1e-5))));
        assertThat(rounds).extracting(LedgerView.Round::round).containsExactly(0, 1, 2);
        LedgerView.Round one = rounds.get(1);
        assertThat(one.critic()).isEqualTo(1100); // 800 of tensors + the payload header
        assertThat(one.style()).isEqualTo(100);
        assertThat(one.images()).isZero();
        assertThat(one.control()).isEqualTo(62);
        assertThat(one.epsilon()).isEmpty();
        LedgerView.Round two = rounds.get(2);
        assertThat(two.images()).as("a tensor outside critic and style card").isEqualTo(784);
        assertThat(two.critic()).isEqualTo(2000 - 784);
        assertThat(two.epsilon()).hasValue(1.25);
        assertThat(two.names()).containsExactly("disc.conv1.weight", "garment.pixels");
        String html = LedgerView.table(rounds);
        assertThat(html)
                .contains("<td class=\"images\" data-bytes=\"784\">784 B</td>")
                .contains("ε = 1.25 at δ = 1.0e-05")
                .contains("DP off");
    }
}

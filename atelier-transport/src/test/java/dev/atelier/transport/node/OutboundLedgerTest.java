package dev.atelier.transport.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.transport.SentMessage;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's outbound.jsonl: round trip, control sums per round, bounded size, damaged lines. */
class OutboundLedgerTest {
    @TempDir
    Path dir;

    private static SentMessage upload(int round) {
        return new SentMessage(
                "n1",
                round,
                SentMessage.PUSH_REPLY,
                3,
                Map.of(PayloadKind.PARAMETERS, 1000L, PayloadKind.METRICS, 12L, PayloadKind.CONTROL, 40L),
                List.of(new SentMessage.TensorBytes("disc.w", 900)),
                Map.of("loss", 0.5, "dp_sgd_epsilon", Double.POSITIVE_INFINITY));
    }

    @Test
    void entriesRoundTripAndHeartbeatsAreSummedPerRound() throws Exception {
        List<SentMessage> told = new ArrayList<>();
        OutboundLedger l = new OutboundLedger(dir, new NodeListener() {
            @Override
            public void onSent(SentMessage message) {
                told.add(message);
            }
        });
        l.control("n1", 0, 1, 10);
        l.control("n1", 0, 1, 10);
        l.roundStarted("n1", 1); // round 0's control sum is complete
        l.control("n1", 1, 1, 7);
        l.record(upload(1)); // writes round 1's control first
        var read = OutboundLedger.read(dir, 100).stream()
                .map(OutboundLedger.Entry::message)
                .toList();
        assertThat(read).isEqualTo(told);
        assertThat(read)
                .extracting(SentMessage::call, SentMessage::round, SentMessage::messages, SentMessage::total)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(SentMessage.CONTROL_CALLS, 0, 2, 20L),
                        org.assertj.core.groups.Tuple.tuple(SentMessage.CONTROL_CALLS, 1, 1, 7L),
                        org.assertj.core.groups.Tuple.tuple(SentMessage.PUSH_REPLY, 1, 3, 1052L));
        assertThat(read.get(2)).isEqualTo(upload(1));
    }

    @Test
    void theFileIsBoundedAndDamagedLinesAreSkipped() throws Exception {
        long max = 2000;
        OutboundLedger l = new OutboundLedger(dir, NodeListener.NONE, max);
        for (int r = 1; r <= 40; r++) {
            l.record(upload(r));
        }
        long total = Files.size(dir.resolve(OutboundLedger.FILE)) + Files.size(dir.resolve(OutboundLedger.OLD));
        long line = OutboundLedger.toJson(upload(1)).length() + 1;
        assertThat(total).isLessThanOrEqualTo(2 * (max + line));
        var kept = OutboundLedger.read(dir, 1000);
        assertThat(kept).extracting(e -> e.message().round()).last().isEqualTo(40);
        assertThat(kept).extracting(e -> e.message().round()).isSorted();
        Files.writeString(dir.resolve(OutboundLedger.FILE), "{\"round\":\"x\n{cut", StandardOpenOption.APPEND);
        assertThat(OutboundLedger.read(dir, 1000)).hasSameSizeAs(kept);
        assertThat(OutboundLedger.read(dir, 3))
                .extracting(e -> e.message().round())
                .containsExactly(38, 39, 40);
    }
}

package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Failure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleRunListenerTest {
    @Test
    void printsWaitsTheFederatedEvaluationAndItsFailures() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleRunListener l = new ConsoleRunListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), "sim");
        l.onRoundWaiting(3, 1, 1, 2);
        l.onRoundEnd(
                new RoundRecord(
                        3,
                        2,
                        2,
                        List.of(),
                        true,
                        Map.of("loss", 0.5),
                        Map.of(),
                        1.3,
                        Optional.of(new FederatedEvaluation(
                                2,
                                1,
                                Map.of("accuracy", 0.75),
                                40,
                                List.of(new Failure("n2", Failure.Kind.ERROR, "no held-out images")))),
                        1),
                5,
                10);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "sim round 3 waiting for nodes: 1 of 2 available at the deadline (attempt 1); trying the round"
                                + " again",
                        "sim round 3/5 | replies 2/2 | fit loss 0.5000 | federated eval 1/2 accuracy 0.7500 | 1.3s |"
                                + " ETA 10s",
                        "  n2 ERROR (evaluate): no held-out images");
    }

    @Test
    void printsThePrivacyOfTheRound() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleRunListener l = new ConsoleRunListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), "");
        RoundPrivacy p = new RoundPrivacy(
                "secagg+dp",
                9,
                2,
                Optional.empty(),
                Optional.of(1.25),
                Optional.of(1e-5),
                Optional.of(0.9),
                Optional.of(0.03));
        l.onRoundEnd(
                new RoundRecord(
                        1, 12, 9, List.of(), true, Map.of(), Map.of(), 2.0, Optional.empty(), 0, Optional.of(p)),
                5,
                8);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("round 1/5 | replies 9/12 | secagg+dp: epsilon 1.250 (delta 1e-05), sigma 0.900, SNR"
                        + " 0.0300, 9 contributors, 2 dropped after sharing keys | 2.0s | ETA 8s");
    }
}

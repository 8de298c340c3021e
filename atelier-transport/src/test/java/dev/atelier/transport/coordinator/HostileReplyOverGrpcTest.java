package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.util.Cancellation;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.proto.PushResult.Outcome;
import dev.atelier.transport.proto.ReplyFrame;
import dev.atelier.transport.proto.ReplyHeader;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.RawClient;
import dev.atelier.transport.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The run's reply checks reached over gRPC: a forged round and hostile error text. */
class HostileReplyOverGrpcTest {
    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    private static final Config SHAPE = Config.of(Map.of("rows", 16, "cols", 16));

    @TempDir
    Path tmp;

    private GrpcTransport transport;
    private RawClient raw;
    private final ParamSet model = LinearWorkload.initial(SHAPE);

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), "raw");
        transport = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("hostile", "linear", Map.of()))
                .setWorkDir(tmp.resolve("coord"))
                .optHeartbeat(Duration.ofMillis(300))
                .optLivenessTimeout(Duration.ofSeconds(5))
                .build()
                .start();
        raw = new RawClient(pki.bundle("raw"), transport.port());
        raw.register();
    }

    @AfterEach
    void stop() {
        raw.close();
        transport.close();
    }

    /** One round over gRPC whose only node answers with the header rewritten by {@code forge}. */
    private record Outcomes(RoundRecord round, PushResult told) {}

    private Outcomes playOneRound(UnaryOperator<ReplyHeader> forge) throws Exception {
        var run = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return Run.builder()
                                .setConfig(RunConfig.of("hostile", 1, 1).withRoundTimeout(Duration.ofSeconds(20)))
                                .setStrategy(new FedAvg(Sampling.all(1), Config.empty()))
                                .setTransport(transport)
                                .setInitial(model)
                                .build()
                                .execute();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                rounds);
        RawClient.Pulled p = raw.pull(10_000);
        ParamSet updated = new LinearWorkload("raw", SHAPE)
                .handle(Instruction.train("hostile", 1, "raw", Config.empty(), model), Cancellation.none())
                .params();
        List<ReplyFrame> frames =
                new ArrayList<>(RawClient.frames(p.header(), updated, 100, 1 << 16, tmp.resolve("out")));
        frames.set(
                0,
                frames.get(0).toBuilder()
                        .setHeader(forge.apply(frames.get(0).getHeader()))
                        .build());
        PushResult told = raw.push(frames);
        Run.Result r = run.get(30, TimeUnit.SECONDS);
        return new Outcomes(r.rounds().get(0), told);
    }

    @Test
    void aReplyClaimingAForeignRoundIsRejectedAndNotAuditedUnderThatRound() throws Exception {
        Outcomes o = playOneRound(h -> h.toBuilder().setRound(424242).build());
        // Refused at the header (ReplyHeaderCheck), before any payload; the run records the same reason.
        assertThat(o.told().getOutcome()).isEqualTo(Outcome.REJECTED);
        String why = o.told().getReason();
        assertThat(why).contains("reply claims round 424242").contains("is for round 1");
        assertThat(o.round().aggregated()).isFalse();
        assertThat(o.round().failures())
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo(why));
        var rounds = transport.ledger().snapshot().keySet().stream()
                .filter(k -> k.direction() == WireLedger.Direction.FROM_NODE)
                .map(WireLedger.Key::round)
                .distinct()
                .toList();
        assertThat(rounds).contains(1).doesNotContain(424242); // 0 is traffic outside rounds (register, pulls)
    }

    @Test
    void aNodesErrorTextIsOneSafeLineOnBothSides() throws Exception {
        String forged = "oops\n12:00:00 INFO coordinator: round 1 aggregated\u001b[2J" + "A".repeat(100_000);
        Outcomes o = playOneRound(h -> h.toBuilder().setError(forged).build());
        assertThat(o.told().getOutcome()).isEqualTo(Outcome.ERROR_RECORDED);
        assertThat(o.told().getReason())
                .startsWith("error recorded: oops\\n12:00:00 INFO")
                .doesNotContain("\n", "\u001b")
                .hasSizeLessThan(600);
        Failure f = o.round().failures().get(0);
        assertThat(f.kind()).isEqualTo(Failure.Kind.ERROR);
        assertThat(f.reason())
                .startsWith("oops\\n12:00:00")
                .doesNotContain("\n", "\u001b")
                .hasSizeLessThan(600);
    }
}

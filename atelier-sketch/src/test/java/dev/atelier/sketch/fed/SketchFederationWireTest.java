package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What crosses the wire in a federated run, proven on the encoded bytes the transport counts. */
class SketchFederationWireTest {
    private static final Map<String, List<byte[]>> SENT = new LinkedHashMap<>();
    private static FederationOutcome outcome;

    @BeforeAll
    static void runFederation() throws Exception {
        outcome = SketchFederation.builder()
                .setEncoder(TestModels.encoderParams())
                .addDesigner("ada", TestModels.designer(Styles.CONTOUR, 0, 12))
                .addDesigner("hugo", TestModels.designer(Styles.HATCH, 50, 20))
                .addDesigner("chloe", TestModels.designer(Styles.CHALK, 100, 16))
                .optSchedule(new Schedule(1, 2, 1))
                .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4))
                .optSeed(3)
                .optShareStyleCards(Set.of("ada", "hugo"))
                // Encode exactly as the in-process transport does (it sends nothing for an empty set), so the
                // bytes can be matched to its ledger.
                .optWireAudit((designer, params) -> {
                    List<byte[]> sent = SENT.computeIfAbsent(designer, d -> new ArrayList<>());
                    if (!params.isEmpty()) {
                        sent.add(Safetensors.encode(params));
                    }
                })
                .build()
                .run();
    }

    @AfterAll
    static void close() {
        outcome.close();
    }

    @Test
    void auditedPayloadsAreExactlyTheBytesTheTransportSent() {
        WireLedger ledger = outcome.ledger();
        for (String designer : List.of("ada", "hugo", "chloe")) {
            long counted = ledger.snapshot().entrySet().stream()
                    .filter(e -> e.getKey().nodeId().equals(designer)
                            && e.getKey().direction() == Direction.FROM_NODE
                            && e.getKey().kind() == PayloadKind.PARAMETERS)
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            long audited = SENT.get(designer).stream().mapToLong(b -> b.length).sum();
            assertThat(audited).as(designer).isEqualTo(counted).isPositive();
        }
    }

    @Test
    void noBatchNormAndNoGeneratorParameterLeavesANodeButEverySharedCriticParameterDoes() throws Exception {
        SketchTrainer ada = outcome.trainers().get("ada");
        List<String> critic = ada.model().discriminatorParams().names().stream().toList();
        List<String> nonBn = critic.stream().filter(n -> !n.contains(".bn.")).toList();
        assertThat(critic).anyMatch(n -> n.contains(".bn."));
        int trainingPayloads = 0;
        for (var e : SENT.entrySet()) {
            for (byte[] wire : e.getValue()) {
                ParamSet sent = Safetensors.decode(wire).params();
                assertThat(sent.names())
                        .noneMatch(n -> n.contains(".bn."))
                        .noneMatch(n -> n.startsWith("gen."))
                        .noneMatch(n -> n.startsWith("encoder."));
                if (sent.names().stream().anyMatch(n -> n.startsWith("disc."))) {
                    assertThat(sent.names()).containsExactlyElementsOf(nonBn);
                    trainingPayloads++;
                } else {
                    assertThat(sent.names()).allMatch(n -> n.startsWith("style."));
                }
            }
        }
        assertThat(trainingPayloads).as("3 designers x 2 rounds").isEqualTo(6);
        assertThat(outcome.sharedCritic().names()).containsExactlyElementsOf(nonBn);
    }

    @Test
    void theRawReplyHoldsBatchNormSoTheFilterIsWhatKeepsItLocal() {
        ParamSet raw = outcome.trainers().get("hugo").model().discriminatorParams();
        assertThat(SketchSharing.outbound(false).dropped(raw)).isNotEmpty().allMatch(n -> n.contains(".bn."));
        assertThat(SketchSharing.outbound(false)
                        .dropped(outcome.trainers().get("hugo").model().generatorParams()))
                .hasSize(
                        outcome.trainers().get("hugo").model().generatorParams().size());
    }

    @Test
    void onlyOptedInDesignersStyleCardsLeaveAndAreAveragedByExamples() throws Exception {
        long cards = SENT.values().stream()
                .flatMap(List::stream)
                .filter(b -> {
                    try {
                        return Safetensors.decode(b).params().names().stream().allMatch(n -> n.startsWith("style."));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .count();
        assertThat(cards).isEqualTo(2);
        assertThat(SENT.get("chloe")).hasSize(2);
        var expected = outcome.trainers()
                .get("ada")
                .ownStyleCard()
                .blend(outcome.trainers().get("hugo").ownStyleCard(), 12.0 / 32);
        float[] got = outcome.federationCard().mean(3);
        float[] want = expected.mean(3);
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i])
                    .isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-5f + 1e-5f * Math.abs(want[i])));
        }
        assertThat(outcome.blendedCard("chloe", 1.0))
                .isEqualTo(outcome.trainers().get("chloe").ownStyleCard());
    }

    @Test
    void globalCriticIsTheExampleWeightedMeanAndBatchNormStaysLocal() {
        Map<String, Integer> sizes = Map.of("ada", 12, "hugo", 20, "chloe", 16);
        ParamSet global = outcome.sharedCritic();
        String name = "disc.stage2.conv.weight";
        float[] mean = new float[global.get(name).toFloats().length];
        for (var e : outcome.trainers().entrySet()) {
            float[] v =
                    e.getValue().model().sharedDiscriminatorParams().get(name).toFloats();
            for (int i = 0; i < v.length; i++) {
                mean[i] += v[i] * sizes.get(e.getKey()) / 48f;
            }
        }
        float[] g = global.get(name).toFloats();
        for (int i = 0; i < g.length; i++) {
            assertThat(g[i]).isCloseTo(mean[i], org.assertj.core.api.Assertions.within(1e-5f));
        }
        String bn = "disc.stage1.bn.runningMean";
        assertThat(outcome.trainers().get("ada").model().discriminatorParams().get(bn))
                .isNotEqualTo(outcome.trainers()
                        .get("hugo")
                        .model()
                        .discriminatorParams()
                        .get(bn));
        assertThat(outcome.rounds()).hasSize(2);
        assertThat(outcome.rounds().get(1).perDesigner().keySet()).containsExactly("ada", "hugo", "chloe");
    }
}

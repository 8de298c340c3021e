package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggStage;
import dev.atelier.core.run.RoundPrivacy;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The federated critic under real SecAgg+ ({@code optSecureAggregation}) with a designer dropping
 * out after sharing her keys: no critic tensor leaves any node (only masked int32 vectors), the
 * round still aggregates, and the global critic is the example-weighted mean of the two survivors'
 * critics of the same (deterministic) plain run, within quantisation error.
 */
class SecureCriticFederationTest {
    private static final Map<String, Integer> SIZES = Map.of("ada", 12, "hugo", 20, "chloe", 16);

    private static SketchFederation.Builder federation(Map<String, List<ParamSet>> sent) {
        return SketchFederation.builder()
                .setEncoder(TestModels.encoderParams())
                .addDesigner("ada", TestModels.designer(Styles.CONTOUR, 0, SIZES.get("ada")))
                .addDesigner("hugo", TestModels.designer(Styles.HATCH, 50, SIZES.get("hugo")))
                .addDesigner("chloe", TestModels.designer(Styles.CHALK, 100, SIZES.get("chloe")))
                .optSchedule(new Schedule(1, 1, 1))
                .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4))
                .optSeed(3)
                .optWireAudit((designer, params) ->
                        sent.computeIfAbsent(designer, d -> new ArrayList<>()).add(params));
    }

    @Test
    void theCoordinatorSeesOnlyMaskedVectorsAndGetsTheSurvivorsMeanCritic() throws Exception {
        Map<String, List<ParamSet>> plainSent = new ConcurrentHashMap<>();
        try (FederationOutcome plain = federation(plainSent).build().run()) {
            assertThat(plain.rounds()).hasSize(1);
        }
        Map<String, List<ParamSet>> sent = new ConcurrentHashMap<>();
        try (FederationOutcome secure = federation(sent)
                .optSecureAggregation(PrivacyOptions.SecAgg.defaults())
                .optDropouts(new ScriptedDropouts(
                        List.of(new ScriptedDropouts.Drop("chloe", 1, SecAggStage.COLLECT_MASKED_VECTORS))))
                .build()
                .run()) {
            int masked = 0;
            for (var e : sent.entrySet()) {
                for (ParamSet p : e.getValue()) {
                    assertThat(p.names()).as(e.getKey()).noneMatch(n -> n.startsWith("disc."));
                    if (p.contains(SecAggKeys.MASKED_TENSOR)) {
                        assertThat(p.get(SecAggKeys.MASKED_TENSOR).dtype()).isEqualTo(DType.I32);
                        masked++;
                    }
                }
            }
            assertThat(masked)
                    .as("ada's and hugo's masked critics; chloe dropped")
                    .isEqualTo(2);
            RoundPrivacy p = secure.rounds().get(0).privacy();
            assertThat(p.mode()).isEqualTo("secagg");
            assertThat(p.contributors()).isEqualTo(2);
            assertThat(p.dropped()).isEqualTo(1);

            ParamSet ada = plainSent.get("ada").get(0);
            ParamSet hugo = plainSent.get("hugo").get(0);
            double wa = SIZES.get("ada");
            double wh = SIZES.get("hugo");
            ParamSet global = secure.sharedCritic();
            assertThat(global.names()).containsExactlyInAnyOrderElementsOf(ada.names());
            double step = 2 * PrivacyOptions.DEFAULT_CLIP_RANGE / PrivacyOptions.DEFAULT_QUANTIZATION_RANGE;
            for (String name : ada.names()) {
                float[] a = floats(ada.get(name));
                float[] h = floats(hugo.get(name));
                float[] g = floats(global.get(name));
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) g[i]).as(name).isCloseTo((wa * a[i] + wh * h[i]) / (wa + wh), within(3 * step));
                }
            }
        }
    }

    /** What {@code atelier demo --privacy} runs: SecAgg+ with dropouts, per-sketch DP-SGD, secure style cards. */
    @Test
    void withDpSgdAndSecureCardsOnlyMaskedVectorsLeaveAndEveryRoundSurvivesItsDropout() throws Exception {
        Map<String, List<ParamSet>> sent = new ConcurrentHashMap<>();
        try (FederationOutcome out = federation(sent)
                .optSchedule(new Schedule(1, 2, 1))
                .optSecureAggregation(PrivacyOptions.SecAgg.defaults())
                .optDropouts(new ScriptedDropouts(List.of(
                        new ScriptedDropouts.Drop("hugo", 1, SecAggStage.UNMASK),
                        new ScriptedDropouts.Drop("chloe", 2, SecAggStage.COLLECT_MASKED_VECTORS))))
                .optCriticDp(dev.atelier.sketch.privacy.DpSgdSettings.forTarget(1.0, 8, 1e-5, 1))
                .optShareStyleCards(SIZES.keySet())
                .optSecureStyleCards(true)
                .build()
                .run()) {
            int masked = 0;
            for (var e : sent.entrySet()) {
                for (ParamSet p : e.getValue()) {
                    assertThat(p.names())
                            .as(e.getKey())
                            .noneMatch(n -> n.startsWith("disc.") || n.startsWith("style."));
                    if (p.contains(SecAggKeys.MASKED_TENSOR)) {
                        masked++;
                    }
                }
            }
            // round 1: all three masked critics (hugo drops after sending his); round 2: two; cards: three
            assertThat(masked).isEqualTo(3 + 2 + 3);
            assertThat(out.rounds()).extracting(r -> r.privacy().contributors()).containsExactly(3, 2);
            assertThat(out.rounds()).extracting(r -> r.privacy().dropped()).containsExactly(0, 1);
            // the designers' training is timed inside the round, so the protocol's share is the rest
            assertThat(out.rounds())
                    .allSatisfy(
                            r -> assertThat(r.trainingSeconds()).isPositive().isLessThan(r.seconds()));
            assertThat(out.federationCard()).isNotNull();
            for (var t : out.trainers().values()) {
                var dp = t.criticPrivacy().orElseThrow();
                assertThat(dp.steps()).isEqualTo(2);
                assertThat(dp.spent().epsilon()).isPositive().isLessThanOrEqualTo(8.0);
            }
        }
    }

    @Test
    void secureAggregationOfTheCriticNeedsThreeDesignersAndTheFederatedRegime() {
        var two = SketchFederation.builder()
                .setEncoder(TestModels.encoderParams())
                .addDesigner("ada", TestModels.designer(Styles.CONTOUR, 0, 8))
                .addDesigner("hugo", TestModels.designer(Styles.HATCH, 50, 8))
                .optSecureAggregation(PrivacyOptions.SecAgg.defaults());
        assertThatThrownBy(two::build).hasMessageContaining("at least 3 designers");
        var local = federation(new ConcurrentHashMap<>())
                .optRegime(Regime.LOCAL_ONLY)
                .optSecureAggregation(PrivacyOptions.SecAgg.defaults());
        assertThatThrownBy(local::build).hasMessageContaining("federated regime");
        var noSecAgg = federation(new ConcurrentHashMap<>())
                .optDropouts(new ScriptedDropouts(List.of(new ScriptedDropouts.Drop("ada", 1, SecAggStage.UNMASK))));
        assertThatThrownBy(noSecAgg::build).hasMessageContaining("need secure aggregation");
    }

    private static float[] floats(Tensor t) {
        return t.toFloats();
    }
}

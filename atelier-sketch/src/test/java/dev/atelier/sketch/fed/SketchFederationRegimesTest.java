package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SketchFederationRegimesTest {
    /** A generator weight that every local step updates. */
    private static final String GEN_PROBE = firstGeneratorWeight();

    /** The probed generator weight of designer {@code d} after the run. */
    private static float[] probe(FederationOutcome outcome, String d) {
        return outcome.trainers()
                .get(d)
                .model()
                .generatorParams()
                .get(GEN_PROBE)
                .toFloats();
    }

    private static String firstGeneratorWeight() {
        try (var gan = dev.atelier.sketch.model.SketchGan.create(
                TestModels.encoderParams(), dev.atelier.sketch.model.SketchGanConfig.defaults(), 0)) {
            return gan.generatorParams().names().stream()
                    .filter(n -> n.endsWith("weight"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    static SketchFederation.Builder twoDesigners(Regime regime, Schedule schedule) {
        return SketchFederation.builder()
                .setEncoder(TestModels.encoderParams())
                .addDesigner("bram", TestModels.designer(Styles.BOLD, 0, 8))
                .addDesigner("stella", TestModels.designer(Styles.STIPPLE, 40, 8))
                .optRegime(regime)
                .optSchedule(schedule)
                .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4))
                .optSeed(5);
    }

    @Test
    void localOnlySendsNothingAndReportsEveryStep() throws Exception {
        List<Long> progress = new ArrayList<>();
        SketchFederation fed = twoDesigners(Regime.LOCAL_ONLY, new Schedule(1, 2, 2))
                .optListener(new FederationListener() {
                    @Override
                    public void onStep(String designer, long done, long total, StepMetrics m) {
                        progress.add(done);
                        assertThat(total).isEqualTo(10);
                    }
                })
                .build();
        assertThat(fed.totalSteps()).isEqualTo(2 * (1 + 2 * 2));
        try (FederationOutcome out = fed.run()) {
            assertThat(progress).hasSize(10).last().isEqualTo(10L);
            assertThat(out.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS))
                    .isZero();
            assertThat(out.sharedCritic().isEmpty()).isTrue();
            assertThat(out.federationCard()).isNull();
            assertThat(out.rounds()).hasSize(2);
            assertThat(out.trainers().get("bram").steps()).isEqualTo(5);
            // every designer's model ends with her tone curve, fitted at home
            assertThat(out.trainers().values())
                    .allSatisfy(t -> assertThat(t.model().toneCurve()).isNotNull());
        }
    }

    @Test
    void centralizedHandsOneCriticFromDesignerToDesigner() throws Exception {
        try (FederationOutcome out =
                twoDesigners(Regime.CENTRALIZED, new Schedule(0, 1, 1)).build().run()) {
            // The last designer trained the central critic last: its whole critic is the result.
            assertThat(out.trainers().get("stella").model().discriminatorParams())
                    .isEqualTo(out.sharedCritic());
            assertThat(out.trainers().get("bram").model().discriminatorParams()).isNotEqualTo(out.sharedCritic());
            assertThat(out.ledger().total(Direction.TO_NODE, PayloadKind.PARAMETERS))
                    .isZero();
        }
    }

    @Test
    void fedProxAddsANonZeroProximalTermInTheFederatedRegime() throws Exception {
        try (FederationOutcome out = twoDesigners(Regime.FEDERATED, new Schedule(0, 1, 2))
                .optProximalMu(0.5)
                .build()
                .run()) {
            // Two local steps per round: the second step sees drift from the round's global critic.
            for (RoundSummary r : out.rounds()) {
                assertThat(r.perDesigner().values()).allMatch(m -> m.prox() > 0);
            }
            assertThat(out.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS))
                    .isPositive();
        }
        Schedule one = new Schedule(0, 1, 1);
        assertThatThrownBy(() ->
                        twoDesigners(Regime.FEDERATED, one).optProximalMu(-1).build())
                .hasMessageContaining("mu");
        assertThatThrownBy(() ->
                        twoDesigners(Regime.FEDERATED, one).addDesigner("bram", TestModels.designer(Styles.BOLD, 0, 2)))
                .hasMessageContaining("duplicate");
    }

    @Test
    void criticShrinkageMixesByHerPairCountAndEqualsThatMix() throws Exception {
        // Both designers hold 8 pairs: kappa 8 gives each m = 8 / (8 + 8) = 0.5.
        Schedule schedule = new Schedule(0, 2, 2);
        try (FederationOutcome shrunk = twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticShrinkage(8)
                        .build()
                        .run();
                FederationOutcome half = twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticMix(0.5)
                        .build()
                        .run();
                FederationOutcome fed =
                        twoDesigners(Regime.FEDERATED, schedule).build().run()) {
            for (String d : List.of("bram", "stella")) {
                float[] h = probe(half, d);
                assertThat(probe(shrunk, d)).containsExactly(h, org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(probe(fed, d)).isNotEqualTo(h);
            }
        }
        assertThat(SketchWorkload.shrinkageMix(15, 60)).isEqualTo(0.2);
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticShrinkage(8)
                        .optCriticMix(0.5)
                        .build())
                .hasMessageContaining("shrinkage");
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticShrinkage(-1)
                        .build())
                .hasMessageContaining("shrinkage");
    }

    @Test
    void criticMixZeroIgnoresTheFederationAndEqualsLocalOnly() throws Exception {
        Schedule schedule = new Schedule(0, 2, 2);
        try (FederationOutcome local =
                        twoDesigners(Regime.LOCAL_ONLY, schedule).build().run();
                FederationOutcome mixed = twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticMix(0)
                        .build()
                        .run();
                FederationOutcome fed =
                        twoDesigners(Regime.FEDERATED, schedule).build().run()) {
            for (String d : List.of("bram", "stella")) {
                float[] l = probe(local, d);
                assertThat(probe(mixed, d)).containsExactly(l, org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(probe(fed, d)).isNotEqualTo(l);
            }
        }
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticMix(1.5)
                        .build())
                .hasMessageContaining("mix");
    }

    @Test
    void personalRoundsShareOnlyTheFirstRoundsThenTrainEachCriticAlone() throws Exception {
        Schedule schedule = new Schedule(0, 3, 1);
        try (FederationOutcome all =
                        twoDesigners(Regime.FEDERATED, schedule).build().run();
                FederationOutcome personal = twoDesigners(Regime.FEDERATED, schedule)
                        .optPersonalRounds(2)
                        .build()
                        .run()) {
            long sharedAll = all.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS);
            long sharedPersonal = personal.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS);
            // One shared round of three: a third of the critic bytes leave the nodes.
            assertThat(sharedPersonal).isPositive();
            assertThat(sharedPersonal * 3).isEqualTo(sharedAll);
            assertThat(personal.rounds()).extracting(RoundSummary::round).containsExactly(1, 2, 3);
            assertThat(personal.trainers().get("bram").steps()).isEqualTo(3);
            // The final global critic is round 1's: each designer's own critic moved on from it.
            assertThat(personal.trainers().get("bram").model().sharedDiscriminatorParams())
                    .isNotEqualTo(personal.sharedCritic());
            assertThat(personal.sharedCritic()).isNotEqualTo(all.sharedCritic());
        }
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, schedule)
                        .optPersonalRounds(3)
                        .build())
                .hasMessageContaining("personal rounds must be in [0, rounds - 1] = [0, 2], got 3");
    }

    @Test
    void aServerStrategyReplacesFedAvgOverTheCritic() throws Exception {
        Schedule schedule = new Schedule(0, 2, 1);
        try (FederationOutcome avg =
                        twoDesigners(Regime.FEDERATED, schedule).build().run();
                FederationOutcome adam = twoDesigners(Regime.FEDERATED, schedule)
                        .optServerStrategy(dev.atelier.core.strategy.StrategyRegistry.parse("fedadam:eta=0.01"))
                        .build()
                        .run()) {
            assertThat(adam.sharedCritic().names()).isEqualTo(avg.sharedCritic().names());
            assertThat(adam.sharedCritic()).isNotEqualTo(avg.sharedCritic());
        }
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, schedule)
                        .optServerStrategy(dev.atelier.core.strategy.StrategyRegistry.parse("fedadam"))
                        .optProximalMu(0.1)
                        .build())
                .hasMessageContaining("not both");
    }

    @Test
    void equalCriticWeightsAverageTheDesignersAlikeInsteadOfByPairs() throws Exception {
        for (boolean equal : new boolean[] {false, true}) {
            java.util.Map<String, ParamSet> sent = new java.util.concurrent.ConcurrentHashMap<>();
            try (FederationOutcome out = SketchFederation.builder()
                    .setEncoder(TestModels.encoderParams())
                    .addDesigner("bram", TestModels.designer(Styles.BOLD, 0, 12))
                    .addDesigner("stella", TestModels.designer(Styles.STIPPLE, 40, 4))
                    .optSchedule(new Schedule(0, 1, 1))
                    .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4))
                    .optSeed(5)
                    .optEqualCriticWeights(equal)
                    .optWireAudit(sent::put)
                    .build()
                    .run()) {
                double wBram = equal ? 0.5 : 12 / 16.0;
                for (String name : out.sharedCritic().names()) {
                    float[] g = out.sharedCritic().get(name).toFloats();
                    float[] b = sent.get("bram").get(name).toFloats();
                    float[] st = sent.get("stella").get(name).toFloats();
                    for (int i = 0; i < g.length; i++) {
                        assertThat(g[i])
                                .as(name)
                                .isCloseTo(
                                        (float) (wBram * b[i] + (1 - wBram) * st[i]),
                                        org.assertj.core.data.Offset.offset(1e-6f));
                    }
                }
            }
        }
    }

    @Test
    void personalCriticLayersNeitherLeaveTheNodeNorComeFromTheGlobalCritic() throws Exception {
        java.util.Map<String, List<ParamSet>> sent = new java.util.concurrent.ConcurrentHashMap<>();
        try (FederationOutcome out = twoDesigners(Regime.FEDERATED, new Schedule(0, 2, 1))
                .optPersonalCritic(List.of("disc.head.**"))
                .optWireAudit((d, p) ->
                        sent.computeIfAbsent(d, k -> new ArrayList<>()).add(p))
                .build()
                .run()) {
            assertThat(sent.get("bram")).hasSize(2);
            for (List<ParamSet> replies : sent.values()) {
                for (ParamSet p : replies) {
                    assertThat(p.names()).isNotEmpty().noneMatch(n -> n.startsWith("disc.head."));
                }
            }
            assertThat(out.sharedCritic().names()).isNotEmpty().noneMatch(n -> n.startsWith("disc.head."));
        }
        assertThatThrownBy(() ->
                        twoDesigners(Regime.FEDERATED, new Schedule(0, 1, 1)).optPersonalCritic(List.of("gen.**")))
                .hasMessageContaining("got 'gen.**'");
    }

    @Test
    void criticAdaptationStepsTrainOnlyTheCriticBeforeTheRoundsGanSteps() throws Exception {
        Schedule schedule = new Schedule(0, 2, 1);
        java.util.Map<String, List<ParamSet>> plainSent = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, List<ParamSet>> adaptSent = new java.util.concurrent.ConcurrentHashMap<>();
        try (FederationOutcome plain = twoDesigners(Regime.FEDERATED, schedule)
                        .optWireAudit((d, p) -> plainSent
                                .computeIfAbsent(d, k -> new ArrayList<>())
                                .add(p))
                        .build()
                        .run();
                FederationOutcome adapted = twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticAdaptSteps(3)
                        .optWireAudit((d, p) -> adaptSent
                                .computeIfAbsent(d, k -> new ArrayList<>())
                                .add(p))
                        .build()
                        .run()) {
            // Critic-only steps are not GAN steps: the generator took its 2 × 1 steps in both runs ...
            assertThat(adapted.trainers().get("bram").steps()).isEqualTo(2);
            assertThat(plain.trainers().get("bram").steps()).isEqualTo(2);
            // ... but against a critic adapted to her sketches, so the same names carry other values.
            ParamSet a = adaptSent.get("stella").get(0);
            ParamSet p = plainSent.get("stella").get(0);
            assertThat(a.names()).isEqualTo(p.names());
            assertThat(a).isNotEqualTo(p);
            assertThat(adapted.trainers()
                            .get("stella")
                            .model()
                            .generatorParams()
                            .get(GEN_PROBE))
                    .isNotEqualTo(plain.trainers()
                            .get("stella")
                            .model()
                            .generatorParams()
                            .get(GEN_PROBE));
        }
        assertThatThrownBy(() -> twoDesigners(Regime.FEDERATED, schedule)
                        .optCriticAdaptSteps(2)
                        .optProximalMu(0.1)
                        .build())
                .hasMessageContaining("0 with FedProx");
    }

    @Test
    void sharedBatchNormTravelsAndIsAveragedOnlyWhenAskedFor() throws Exception {
        java.util.Map<String, List<ParamSet>> sent = new java.util.concurrent.ConcurrentHashMap<>();
        try (FederationOutcome out = twoDesigners(Regime.FEDERATED, new Schedule(0, 1, 1))
                .optShareBatchNorm(true)
                .optWireAudit((d, p) ->
                        sent.computeIfAbsent(d, k -> new ArrayList<>()).add(p))
                .build()
                .run()) {
            for (List<ParamSet> replies : sent.values()) {
                assertThat(replies.get(0).names()).contains("disc.stage1.bn.runningMean", "disc.stage1.bn.gamma");
            }
            // FedAvg by pairs (8 each): the global running mean is the designers' mean.
            float[] a =
                    sent.get("bram").get(0).get("disc.stage1.bn.runningMean").toFloats();
            float[] b =
                    sent.get("stella").get(0).get("disc.stage1.bn.runningMean").toFloats();
            float[] g = out.sharedCritic().get("disc.stage1.bn.runningMean").toFloats();
            assertThat(a).isNotEqualTo(b);
            for (int i = 0; i < g.length; i++) {
                assertThat(g[i]).isCloseTo((a[i] + b[i]) / 2, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        try (FederationOutcome plain =
                twoDesigners(Regime.FEDERATED, new Schedule(0, 1, 1)).build().run()) {
            assertThat(plain.sharedCritic().names()).isNotEmpty().noneMatch(n -> n.contains(".bn."));
        }
    }

    @Test
    void mixCriticBlendsEveryGlobalTensorWithTheOwnOne() {
        ParamSet global = ParamSet.builder()
                .putF32("disc.w", new long[] {2}, new float[] {1, 3})
                .build();
        ParamSet own = ParamSet.builder()
                .putF32("disc.w", new long[] {2}, new float[] {5, 7})
                .putF32("disc.bn.gamma", new long[] {1}, new float[] {9})
                .build();
        ParamSet mixed = SketchWorkload.mixCritic(global, own, 0.25);
        assertThat(mixed.names()).containsExactly("disc.w");
        assertThat(mixed.get("disc.w").toFloats()).containsExactly(4f, 6f);
        ParamSet wrongShape = ParamSet.builder()
                .putF32("disc.w", new long[] {1}, new float[] {5})
                .build();
        assertThatThrownBy(() -> SketchWorkload.mixCritic(global, wrongShape, 0.5))
                .hasMessageContaining("disc.w");
    }

    @Test
    void withEvaluationDesignersHoldOutATenthAndTheRunRecordsTheirHeldOutScores(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        var dir = new dev.atelier.core.run.RunDirectory(tmp.resolve("fe"));
        try (FederationOutcome out = SketchFederation.builder()
                .setEncoder(TestModels.encoderParams())
                .addDesigner("bram", TestModels.designer(Styles.BOLD, 0, 20))
                .addDesigner("stella", TestModels.designer(Styles.STIPPLE, 40, 20))
                .optSchedule(new Schedule(0, 1, 1))
                .optTrainerSettings(TrainerSettings.defaults(0).withBatchSize(4))
                .optSeed(5)
                .optEvaluateEvery(1)
                .optRunDirectory(dir)
                .build()
                .run()) {
            assertThat(out.trainers().get("bram").data().size()).isEqualTo(18);
            var fe = dir.readMetrics().get(0).federatedEval().orElseThrow();
            assertThat(fe.sampled()).isEqualTo(2);
            assertThat(fe.replies()).isEqualTo(2);
            assertThat(fe.examples()).isEqualTo(4);
            var metrics = fe.metrics();
            assertThat(metrics).containsOnlyKeys("l1", "ssim");
            assertThat(metrics.get("l1")).isBetween(0.0, 1.0);
            assertThat(metrics.get("ssim")).isBetween(-1.0, 1.0);
        }
    }
}

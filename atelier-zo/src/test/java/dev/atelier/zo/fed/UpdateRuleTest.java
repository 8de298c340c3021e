package dev.atelier.zo.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import dev.atelier.zo.train.TrainableScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replayed update rule's options (learning-rate decay per round, several perturbations per
 * step, a trainable scope): every party computes the same coefficients from the round index and
 * perturbs the same tensors, so two stores and the coordinator still end bit-identical.
 */
class UpdateRuleTest {
    @TempDir
    Path tmp;

    @Test
    void learningRateDecaysPerRoundAndPerturbationsShareIt() {
        ZoFedSettings s = new ZoFedSettings(4, 2, 1e-2, 1e-3, 100, 0.5, 3, TrainableScope.ALL);
        assertThat(s.lrAt(1)).isEqualTo(1e-2);
        assertThat(s.lrAt(3)).isEqualTo(1e-2 * StrictMath.pow(0.5, 2)).isEqualTo(2.5e-3);
        assertThat(s.replayLr(3)).isEqualTo(2.5e-3 / 3);
        assertThat(s.seedsPerRound()).isEqualTo(12);
        ZoFedSettings constant = new ZoFedSettings(4, 2, 1e-2, 1e-3, 100);
        assertThat(constant.lrAt(7)).isEqualTo(1e-2);
        assertThat(constant.replayLr(7)).isEqualTo(1e-2);
        assertThat(ZoFedSettings.read(Config.of(Map.of(
                        ZoFedSettings.LR_DECAY,
                        0.7,
                        ZoFedSettings.PERTURBATIONS,
                        2,
                        ZoFedSettings.TRAINABLE,
                        "*ln_f.*"))))
                .satisfies(r -> {
                    assertThat(r.lrDecay()).isEqualTo(0.7);
                    assertThat(r.perturbations()).isEqualTo(2);
                    assertThat(r.scope()).isEqualTo(TrainableScope.parse("*ln_f.*"));
                });
    }

    @Test
    void badUpdateRulesAreRefusedWithOneLine() {
        assertThatThrownBy(() -> new ZoFedSettings(4, 2, 1e-2, 1e-3, 100, 0, 1, TrainableScope.ALL))
                .hasMessageContaining("zo.lr_decay must be in (0, 1]");
        assertThatThrownBy(() -> new ZoFedSettings(4, 2, 1e-2, 1e-3, 100, 1.5, 1, TrainableScope.ALL))
                .hasMessageContaining("zo.lr_decay");
        assertThatThrownBy(() -> new ZoFedSettings(4, 2, 1e-2, 1e-3, 100, 1, 0, TrainableScope.ALL))
                .hasMessageContaining("zo.perturbations must be in [1, 64]");
        assertThatThrownBy(() -> new ZoFedSettings(ScalarPairs.MAX_PAIRS, 2, 1e-2, 1e-3, 100, 1, 2, TrainableScope.ALL))
                .hasMessageContaining("exceeds the");
        assertThatThrownBy(() -> new ZoFedSettings(4, 2, 1e-2, 1e-3, 100).lrAt(0))
                .hasMessageContaining("rounds start at 1");
        assertThatThrownBy(() -> TrainableScope.parse("*ln_f.*,,x")).hasMessageContaining("empty entry");
    }

    @Test
    void scopeGlobsMatchWholeNames() {
        TrainableScope s = TrainableScope.parse(" *ln_f.* , *h.1.* ");
        assertThat(s.test("transformer.ln_f.weight")).isTrue();
        assertThat(s.test("ln_f.bias")).isTrue();
        assertThat(s.test("transformer.h.1.attn.c_attn.weight")).isTrue();
        assertThat(s.test("transformer.h.0.ln_1.weight")).isFalse();
        assertThat(s.test("transformer.h.10.mlp.c_fc.weight")).isFalse(); // "h.1." is literal, dots too
        assertThat(s.test("transformer.wte.weight")).isFalse();
        assertThat(TrainableScope.parse("").test("anything")).isTrue();
        assertThat(TrainableScope.parse("*").all()).isTrue();
    }

    @Test
    void twoStoresAndTheCoordinatorStayBitIdenticalUnderDecayPerturbationsAndScope() throws Exception {
        Path model = FedFixtures.model(tmp.resolve("model"));
        ParamSet initial = new ZoProvider().initialParameters(FedFixtures.workload(model));
        List<Node> nodes = FedFixtures.nodes(tmp, model, 2);
        InProcessTransport t = new InProcessTransport(nodes);
        Config train = Config.of(Map.of(
                TrainKeys.LOCAL_STEPS,
                3,
                TrainKeys.BATCH_SIZE,
                2,
                TrainKeys.LEARNING_RATE,
                2e-2,
                ZoFedSettings.LR_DECAY,
                0.5,
                ZoFedSettings.PERTURBATIONS,
                2,
                ZoFedSettings.TRAINABLE,
                "*ln_f.*,*h.1.*"));
        FedKSeed strategy = new FedKSeed(Sampling.all(2), train, 64);

        Run.Result r = Run.builder()
                .setConfig(new RunConfig("zo-rule", 3, 11, Duration.ofMinutes(2), 1, 1, Map.of()))
                .setStrategy(strategy)
                .setTransport(t)
                .setInitial(initial)
                .optListener(RunListener.NONE)
                .build()
                .execute();

        assertThat(r.rounds()).hasSize(3).allSatisfy(rec -> {
            assertThat(rec.replies()).isEqualTo(2);
            assertThat(rec.failures()).isEmpty();
            assertThat(rec.federatedEval().orElseThrow().replies()).isEqualTo(2);
        });
        int[] global = FedFixtures.bits(r.global());
        for (Node n : nodes) {
            assertThat(FedFixtures.bits(FedFixtures.client(n).model())).isEqualTo(global);
        }
        // 2 stores x 3 steps x 2 perturbations: 6 distinct seeds per store, 6..12 per round (the
        // stores' draws from the pool may share indices, whose scalars are then merged)
        assertThat(strategy.log().between(0, 3))
                .hasSize(3)
                .allSatisfy(u -> assertThat(u.size()).isBetween(6, 12));
        // only the scoped tensors moved
        TrainableScope scope = TrainableScope.parse("*ln_f.*,*h.1.*");
        boolean moved = false;
        for (var e : initial.asMap().entrySet()) {
            Tensor after = r.global().get(e.getKey());
            boolean same = java.util.Arrays.equals(e.getValue().toFloats(), after.toFloats());
            if (scope.test(e.getKey())) {
                moved |= !same;
            } else {
                assertThat(same).as(e.getKey() + " is outside the scope").isTrue();
            }
        }
        assertThat(moved).isTrue();

        // the coordinator's global model is the replay of its history with lr·0.5^(r−1)/2 per pair
        ParamSet replayed = initial;
        SeedPool pool = SeedPool.forRun(11, 64);
        for (RoundUpdate u : strategy.log().between(0, 3)) {
            replayed = Replay.advance(
                    replayed,
                    null,
                    pool,
                    u,
                    2e-2 * StrictMath.pow(0.5, u.round() - 1) / 2,
                    new UpdateScope(scope, null));
        }
        assertThat(FedFixtures.bits(replayed)).isEqualTo(global);
    }

    @Test
    void rowListsParseAndUnite() {
        TrainableScope s = TrainableScope.parse("*wte.weight[7-9, 2], *ln_f.*, wte.weight[3]");
        assertThat(s.test("transformer.wte.weight")).isTrue();
        assertThat(s.rows("transformer.wte.weight")).containsExactly(2, 7, 8, 9);
        assertThat(s.rows("wte.weight")).containsExactly(2, 3, 7, 8, 9); // both row globs match
        assertThat(s.rows("transformer.ln_f.weight")).isNull(); // the whole tensor
        assertThat(TrainableScope.parse("wte.weight[1],wte.*").rows("wte.weight"))
                .isNull();
        assertThatThrownBy(() -> TrainableScope.parse("wte.weight[1,x]")).hasMessageContaining("'x' is not a row");
        assertThatThrownBy(() -> TrainableScope.parse("wte.weight[5-2]")).hasMessageContaining("ascending range");
        assertThatThrownBy(() -> TrainableScope.parse("wte.weight[1")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> TrainableScope.parse("wte[1].weight")).hasMessageContaining("at the end");
        assertThatThrownBy(() -> TrainableScope.parse("[1]")).hasMessageContaining("names no tensor");
        assertThatThrownBy(() -> TrainableScope.parse("w[0-70000]")).hasMessageContaining("more than 65536 rows");
    }

    /**
     * A row-restricted scope (the label rows of a tied head, docs/zo.md "Trainable scope"): two
     * stores and the coordinator end bit-identical, only the named rows move, and the coordinator's
     * model equals the replay of its history.
     */
    @Test
    void rowScopedFederationStaysBitIdenticalAndMovesOnlyItsRows() throws Exception {
        Path model = FedFixtures.model(tmp.resolve("model"));
        ParamSet initial = new ZoProvider().initialParameters(FedFixtures.workload(model));
        List<Node> nodes = FedFixtures.nodes(tmp, model, 2);
        String rows = "*wte.weight[1,5-7],*ln_f.weight";
        Config train = Config.of(Map.of(
                TrainKeys.LOCAL_STEPS,
                3,
                TrainKeys.BATCH_SIZE,
                2,
                TrainKeys.LEARNING_RATE,
                5e-2,
                ZoFedSettings.TRAINABLE,
                rows));
        FedKSeed strategy = new FedKSeed(Sampling.all(2), train, 64);
        Run.Result r = Run.builder()
                .setConfig(new RunConfig("zo-rows", 2, 13, Duration.ofMinutes(2), 1, 1, Map.of()))
                .setStrategy(strategy)
                .setTransport(new InProcessTransport(nodes))
                .setInitial(initial)
                .optListener(RunListener.NONE)
                .build()
                .execute();
        int[] global = FedFixtures.bits(r.global());
        for (Node n : nodes) {
            assertThat(FedFixtures.bits(FedFixtures.client(n).model())).isEqualTo(global);
        }
        TrainableScope scope = TrainableScope.parse(rows);
        String wte = initial.asMap().keySet().stream()
                .filter(k -> k.endsWith("wte.weight"))
                .findFirst()
                .orElseThrow();
        float[] before = initial.get(wte).toFloats();
        float[] after = r.global().get(wte).toFloats();
        int hidden = Math.toIntExact(initial.get(wte).shape()[1]);
        java.util.Set<Integer> named = java.util.Set.of(1, 5, 6, 7);
        for (int row = 0; row < before.length / hidden; row++) {
            boolean same = java.util.Arrays.equals(
                    before, row * hidden, (row + 1) * hidden, after, row * hidden, (row + 1) * hidden);
            assertThat(same).as("row " + row).isEqualTo(!named.contains(row));
        }
        for (var e : initial.asMap().entrySet()) {
            if (!scope.test(e.getKey())) {
                assertThat(r.global().get(e.getKey()).toFloats())
                        .isEqualTo(e.getValue().toFloats());
            }
        }
        ParamSet replayed = initial;
        SeedPool pool = SeedPool.forRun(13, 64);
        for (RoundUpdate u : strategy.log().between(0, 2)) {
            replayed = Replay.advance(replayed, null, pool, u, 5e-2, new UpdateScope(scope, null));
        }
        assertThat(FedFixtures.bits(replayed)).isEqualTo(global);
    }
}

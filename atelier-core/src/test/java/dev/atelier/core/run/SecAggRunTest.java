package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.AesCtrPrg;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RdpAccountant;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggNode;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.FedMedian;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.NodeMiddleware;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Secure aggregation and DP-FedAvg inside {@link Run}, over the in-process transport. */
class SecAggRunTest {
    private static final String IDS = "abcdefghijkl"; // 12 nodes, in the order the transport runs them

    /** Node i shifts every parameter by (i + 1) / 10 and reports i + 1 examples. */
    private static float shift(int i) {
        return (i + 1) / 10f;
    }

    /** Fails instructions of one stage ("train" or a SecAgg wire name) at the nodes in {@code who}. */
    private static NodeMiddleware dropAt(String stage, Set<String> who) {
        return (ins, cancel, next) -> {
            String s = ins.kind() == TaskKind.TRAIN ? "train" : ins.config().getString(SecAggKeys.STAGE, "");
            if (s.equals(stage) && who.contains(ins.nodeId())) {
                throw new IllegalStateException("node " + ins.nodeId() + " killed at " + stage);
            }
            return next.handle(ins, cancel);
        };
    }

    private static List<Node> nodes(NodeMiddleware outer) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < IDS.length(); i++) {
            String id = String.valueOf(IDS.charAt(i));
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            out.add(new Node(id, List.of(outer, new SecAggNode(() -> seeded(seed))), Workloads.shift(shift(i), i + 1)));
        }
        return out;
    }

    private static SecureRandom seeded(byte[] seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static Run.Result run(Strategy s, List<Node> nodes, PrivacyOptions p, Duration timeout, ParamSet initial)
            throws Exception {
        return Run.builder()
                .setConfig(RunConfig.of("secagg-run", 1, 5L).withRoundTimeout(timeout))
                .setStrategy(s)
                .setTransport(new InProcessTransport(nodes))
                .setInitial(initial)
                .optPrivacy(p)
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .build()
                .execute();
    }

    private static PrivacyOptions secAgg(int shares, int threshold) {
        return new PrivacyOptions(
                Optional.of(new PrivacyOptions.SecAgg(shares, threshold, 8.0, 1L << 22)), Optional.empty());
    }

    /** Example-weighted mean shift over the nodes not in {@code out}. */
    private static double expectedShift(Set<String> out) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < IDS.length(); i++) {
            if (!out.contains(String.valueOf(IDS.charAt(i)))) {
                num += shift(i) * (i + 1);
                den += i + 1;
            }
        }
        return num / den;
    }

    private static void assertShiftedBy(ParamSet global, double shift) {
        float[] before = Params.flat(Params.small());
        float[] after = Params.flat(global);
        double step = 16.0 / (1 << 22); // one quantisation step per node at most
        for (int i = 0; i < before.length; i++) {
            assertThat((double) after[i] - before[i]).isCloseTo(shift, within(12 * step + 1e-6));
        }
    }

    @Test
    void secureAggregationGivesPlainFedAvgWithinQuantisationError() throws Exception {
        Run.Result r = run(
                new FedAvg(Sampling.all(12), Config.empty()),
                nodes((ins, c, next) -> next.handle(ins, c)),
                secAgg(7, 3),
                Duration.ofMinutes(1),
                Params.small());
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).isTrue();
        assertThat(rec.failures()).isEmpty();
        assertThat(rec.replies()).isEqualTo(12);
        assertThat(rec.privacy()).get().satisfies(p -> {
            assertThat(p.mode()).isEqualTo("secagg");
            assertThat(p.contributors()).isEqualTo(12);
            assertThat(p.epsilon()).isEmpty();
        });
        assertShiftedBy(r.global(), expectedShift(Set.of()));
        // fit metrics still arrive (example-weighted loss = the weighted shift)
        assertThat(rec.fit().get("loss")).isCloseTo(expectedShift(Set.of()), within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"train", "secagg.setup", "secagg.share_keys", "secagg.collect_masked_vectors", "secagg.unmask"})
    void fourOfTwelveDroppingAtAnyStageStillGiveTheExactMeanOfTheContributors(String stage) throws Exception {
        Set<String> killed = Set.of("b", "e", "h", "k");
        Run.Result r = run(
                new FedAvg(new Sampling(1.0, 12, 1, 0.5), Config.empty()),
                nodes(dropAt(stage, killed)),
                secAgg(7, 3),
                Duration.ofMinutes(1),
                Params.small());
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).as(rec.failures().toString()).isTrue();
        assertThat(rec.failures()).extracting(Failure::nodeId).containsExactlyInAnyOrderElementsOf(killed);
        assertThat(rec.failures()).allSatisfy(f -> assertThat(f.reason()).contains("killed at " + stage));
        boolean afterMasking = stage.equals("secagg.unmask");
        RoundPrivacy p = rec.privacy().orElseThrow();
        assertThat(p.contributors()).isEqualTo(afterMasking ? 12 : 8);
        // dropped after sharing keys: their pairwise masks were rebuilt from shares
        assertThat(p.dropped()).isEqualTo(stage.equals("secagg.collect_masked_vectors") ? 4 : 0);
        assertShiftedBy(r.global(), expectedShift(afterMasking ? Set.of() : killed));
    }

    @Test
    void aSilentNodeAtTheCollectStageIsADropoutAfterItsDeadline() throws Exception {
        NodeMiddleware silent = (ins, cancel, next) -> {
            if (ins.nodeId().equals("l")
                    && ins.config().getString(SecAggKeys.STAGE, "").equals("secagg.collect_masked_vectors")) {
                Thread.sleep(1500);
            }
            return next.handle(ins, cancel);
        };
        Run.Result r = run(
                new FedAvg(Sampling.all(12), Config.empty()),
                nodes(silent),
                secAgg(7, 3),
                Duration.ofSeconds(1),
                Params.small());
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).isTrue();
        assertThat(rec.failures()).singleElement().satisfies(f -> {
            assertThat(f.nodeId()).isEqualTo("l");
            assertThat(f.kind()).isEqualTo(Failure.Kind.TIMEOUT);
        });
        assertThat(rec.privacy().orElseThrow().dropped()).isEqualTo(1);
        assertShiftedBy(r.global(), expectedShift(Set.of("l")));
    }

    @Test
    void tooManyDropoutsAbortTheRoundWithAReasonAndKeepTheModel() throws Exception {
        Run.Result r = run(
                new FedAvg(new Sampling(1.0, 12, 1, 1.0), Config.empty()),
                nodes(dropAt(
                        "secagg.collect_masked_vectors", Set.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"))),
                secAgg(7, 3),
                Duration.ofMinutes(1),
                Params.small());
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).isFalse();
        assertThat(r.global()).isEqualTo(Params.small());
        RoundPrivacy p = rec.privacy().orElseThrow();
        assertThat(p.aborted()).get().asString().contains("threshold 3");
        assertThat(rec.failures())
                .anySatisfy(f -> assertThat(f.reason()).startsWith("SecAgg round aborted, global model kept"));
    }

    @Test
    void robustStrategiesWithSecureAggregationAreAConfigurationError() {
        assertThatThrownBy(() -> run(
                        new FedMedian(Sampling.all(12), Config.empty()),
                        nodes((ins, c, next) -> next.handle(ins, c)),
                        secAgg(7, 3),
                        Duration.ofMinutes(1),
                        Params.small()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strategy fedmedian needs every node's individual update")
                .hasMessageContaining("secure aggregation");
    }

    @Test
    void distributedDiscreteNoiseHasTheVarianceOfTheAccountedMechanism() throws Exception {
        int d = 2000;
        ParamSet zeros = Params.vector(new float[d]);
        double clip = 1.0;
        double z = 1.0;
        PrivacyOptions p = new PrivacyOptions(
                Optional.of(new PrivacyOptions.SecAgg(7, 4, 8.0, 1L << 22)),
                Optional.of(new PrivacyOptions.Dp(clip, z, 0, 1e-5)));
        Run.Result r = run(
                new FedAvg(Sampling.all(12), Config.empty()),
                nodes((ins, c, next) -> next.handle(ins, c)),
                p,
                Duration.ofMinutes(1),
                zeros);
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).as(rec.failures().toString()).isTrue();
        // every node's update is +shift on all coordinates, clipped to norm 1: 1/sqrt(d) per coordinate
        double perNode = clip / Math.sqrt(d);
        float[] mean = Params.flat(r.global());
        double s = 0;
        double s2 = 0;
        for (float m : mean) {
            double sum = m * 12.0; // q = 1, N = 12: the fixed denominator is 12
            s += sum;
            s2 += sum * sum;
        }
        double avg = s / d;
        double std = Math.sqrt(s2 / d - avg * avg);
        // 12 contributors, each adding variance (zC)^2 / t with t = 4: std = zC sqrt(3) (applied z is 1)
        assertThat(avg).isCloseTo(12 * perNode, within(4 * z * clip * Math.sqrt(3) / Math.sqrt(d)));
        assertThat(std).isCloseTo(z * clip * Math.sqrt(3), within(0.1 * z * clip * Math.sqrt(3)));
        RoundPrivacy priv = rec.privacy().orElseThrow();
        assertThat(priv.mode()).isEqualTo("secagg+dp");
        assertThat(priv.sigma()).contains(1.0);
        // accounted with the rounding-inflated sensitivity: z / (1 + sqrt(d) / 2^21)
        double accounted = 1.0 / (1 + Math.sqrt(d) / (1 << 21));
        assertThat(priv.epsilon().orElseThrow())
                .isCloseTo(
                        RdpAccountant.create()
                                .compose(1.0, accounted, 1)
                                .spent(1e-5)
                                .epsilon(),
                        within(1e-9));
        assertThat(priv.snr().orElseThrow()).isBetween(0.0, 1.0);
    }

    @Test
    void centralDpClipsAtTheCoordinatorNoisesTheSumAndCountsEpsilonEveryRound() throws Exception {
        List<Node> plain = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            plain.add(new Node("n" + i, Workloads.shift(1, 10 + i)));
        }
        PrivacyOptions p = new PrivacyOptions(Optional.empty(), Optional.of(new PrivacyOptions.Dp(0.3, 0.5, 0, 1e-5)));
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("dp-run", 3, 5L))
                .setStrategy(new FedAvg(new Sampling(1.0, 1, 1, 0.5), Config.empty()))
                .setTransport(new InProcessTransport(plain))
                .setInitial(Params.small())
                .optPrivacy(p)
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .build()
                .execute();
        assertThat(r.rounds()).hasSize(3);
        for (int k = 0; k < 3; k++) {
            RoundPrivacy priv = r.rounds().get(k).privacy().orElseThrow();
            assertThat(priv.mode()).isEqualTo("central-dp");
            assertThat(priv.epsilon().orElseThrow())
                    .isCloseTo(
                            RdpAccountant.create()
                                    .compose(1.0, 0.5, k + 1)
                                    .spent(1e-5)
                                    .epsilon(),
                            within(1e-9));
            assertThat(priv.snr().orElseThrow()).isGreaterThan(0);
        }
        // each update (norm 3 = sqrt(9) * 1) is clipped to 0.3: 0.1 per coordinate; noise std 0.15 / 50 on the mean
        float[] before = Params.flat(Params.small());
        float[] after = Params.flat(r.global());
        for (int i = 0; i < before.length; i++) {
            assertThat((double) after[i] - before[i]).isCloseTo(0.3, within(5 * Math.sqrt(3) * 0.15 / 50 + 1e-4));
        }
    }

    @Test
    void aResumedDpRunCountsTheRoundsAlreadyPlayed() throws Exception {
        List<Node> plain = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            plain.add(new Node("n" + i, Workloads.shift(1, 10)));
        }
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("dp-resume", 4, 5L))
                .setStrategy(new FedAvg(new Sampling(0.5, 1, 1, 1.0), Config.empty()))
                .setTransport(new InProcessTransport(plain))
                .setInitial(Params.small())
                .optPrivacy(new PrivacyOptions(Optional.empty(), Optional.of(new PrivacyOptions.Dp(0.3, 1.1, 0, 1e-5))))
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .optResumeAfter(2)
                .build()
                .execute();
        assertThat(r.rounds()).extracting(RoundRecord::round).containsExactly(3, 4);
        assertThat(r.rounds().get(0).privacy().orElseThrow().epsilon().orElseThrow())
                .isCloseTo(
                        RdpAccountant.create().compose(0.5, 1.1, 3).spent(1e-5).epsilon(), within(1e-9));
    }
}

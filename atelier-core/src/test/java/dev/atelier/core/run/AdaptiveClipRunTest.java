package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.privacy.AdaptiveClipNorm;
import dev.atelier.core.privacy.AesCtrPrg;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RdpAccountant;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggNode;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Adaptive clipping (Andrew et al. 2019) inside {@link Run}: nodes with known update norms, the
 * clip norm must move to the target quantile of those norms; epsilon must account both the update
 * and the count release; under SecAgg the bit travels in the masked vector and survives dropouts.
 */
class AdaptiveClipRunTest {
    /** Params.small() has 9 elements: a node shifting every one by s has update norm 3 s. */
    private static final double SQRT_D = 3;

    /** Node i of n shifts by (i + 1) / n: norms uniform on (0, 3], so the gamma-quantile is about 3 gamma. */
    private static float shift(int i, int n) {
        return (i + 1) / (float) n;
    }

    /** Fraction of the n nodes' norms at most c. */
    private static double fractionWithin(double c, int n) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (SQRT_D * shift(i, n) <= c) {
                k++;
            }
        }
        return k / (double) n;
    }

    private static PrivacyOptions.Dp adaptiveDp(double c0, double z, double gamma, double eta, double sigmaB) {
        return new PrivacyOptions.Dp(c0, z, 0, 1e-5).withAdaptive(new PrivacyOptions.AdaptiveClip(gamma, eta, sigmaB));
    }

    @Test
    void centralDpClipNormConvergesToTheTargetQuantileOfKnownNorms() throws Exception {
        int n = 200;
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(new Node("n" + i, Workloads.shift(shift(i, n), 10)));
        }
        double gamma = 0.3;
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("adaptive-central", 40, 5L))
                .setStrategy(new FedAvg(new Sampling(1.0, 1, 1, 0.5), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(Params.small())
                .optPrivacy(new PrivacyOptions(Optional.empty(), Optional.of(adaptiveDp(0.1, 0.8, gamma, 0.5, 10))))
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .build()
                .execute();
        assertThat(r.rounds()).hasSize(40);
        RoundPrivacy first = r.rounds().get(0).privacy().orElseThrow();
        assertThat(first.clipNorm()).contains(0.1);
        // C = 0.1 clips every node (b = 0): C grows by exp(eta gamma) up to the count noise (std 10 / 200)
        assertThat(first.nextClipNorm().orElseThrow()).isCloseTo(0.1 * Math.exp(0.5 * gamma), within(0.1 * 0.05));
        // each round uses the clip norm the previous one chose
        for (int k = 1; k < 40; k++) {
            assertThat(r.rounds().get(k).privacy().orElseThrow().clipNorm())
                    .isEqualTo(r.rounds().get(k - 1).privacy().orElseThrow().nextClipNorm());
        }
        // after convergence C sits at the 0.3-quantile of the norms (0.9): the fraction within C is gamma
        double sum = 0;
        for (int k = 30; k < 40; k++) {
            double c = r.rounds().get(k).privacy().orElseThrow().clipNorm().orElseThrow();
            assertThat(fractionWithin(c, n)).isBetween(gamma - 0.1, gamma + 0.1);
            sum += c;
        }
        assertThat(sum / 10).isCloseTo(SQRT_D * gamma, within(0.15));
        // epsilon composes one Gaussian of z = (z_d^-2 + (2 sigma_b)^-2)^-1/2 per round (Theorem 1)
        double z = 1 / Math.sqrt(1 / 0.64 + 1 / 400.0);
        assertThat(r.rounds().get(39).privacy().orElseThrow().epsilon().orElseThrow())
                .isCloseTo(
                        RdpAccountant.create().compose(1.0, z, 40).spent(1e-5).epsilon(), within(1e-9));
        // DP rounds publish no training metrics (the noise does not cover them)
        assertThat(r.rounds().get(0).fit()).isEmpty();
    }

    @Test
    void aTargetEpsilonPaysForTheCountWithMoreUpdateNoise() throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            nodes.add(new Node("n" + i, Workloads.shift(0.1f, 10)));
        }
        PrivacyOptions.Dp dp =
                new PrivacyOptions.Dp(1.0, 0, 8, 1e-5).withAdaptive(PrivacyOptions.AdaptiveClip.defaults(2));
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("adaptive-target", 3, 5L))
                .setStrategy(new FedAvg(new Sampling(0.5, 1, 1, 1.0), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(Params.small())
                .optPrivacy(new PrivacyOptions(Optional.empty(), Optional.of(dp)))
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .build()
                .execute();
        RoundPrivacy last = r.rounds().get(2).privacy().orElseThrow();
        assertThat(last.epsilon().orElseThrow()).isLessThanOrEqualTo(8).isGreaterThan(7.9);
        // the applied update multiplier is z_d = (z^-2 - (2 sigma_b)^-2)^-1/2 > z
        double zd = last.sigma().orElseThrow();
        double z = 1 / Math.sqrt(1 / (zd * zd) + 1 / 16.0);
        assertThat(AdaptiveClipNorm.updateNoiseMultiplier(z, 2)).isCloseTo(zd, within(1e-9));
        assertThat(last.epsilon().orElseThrow())
                .isCloseTo(RdpAccountant.create().compose(0.5, z, 3).spent(1e-5).epsilon(), within(1e-9));
    }

    @Test
    void aCountNoiseTooSmallForTheTargetIsAConfigurationError() {
        PrivacyOptions.Dp dp =
                new PrivacyOptions.Dp(1.0, 0, 1, 1e-5).withAdaptive(PrivacyOptions.AdaptiveClip.defaults(0.5));
        assertThatThrownBy(() -> Run.builder()
                        .setConfig(RunConfig.of("adaptive-bad", 10, 5L))
                        .setStrategy(new FedAvg(new Sampling(1.0, 1, 1, 1.0), Config.empty()))
                        .setTransport(new InProcessTransport(List.of(new Node("a", Workloads.shift(1, 1)))))
                        .setInitial(Params.small())
                        .optPrivacy(new PrivacyOptions(Optional.empty(), Optional.of(dp)))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dp_clip_count_stddev must exceed");
        assertThatThrownBy(() -> new PrivacyOptions.AdaptiveClip(0.5, 0.2, 0))
                .hasMessageContaining("dp_clip_count_stddev");
        assertThatThrownBy(() -> new PrivacyOptions.AdaptiveClip(1.0, 0.2, 1)).hasMessageContaining("quantile");
        assertThatThrownBy(() -> new PrivacyOptions.AdaptiveClip(0.5, -1, 1)).hasMessageContaining("learning_rate");
    }

    // ---- under secure aggregation -------------------------------------------------------------

    private static final int N = 12;

    private static SecureRandom seeded(int i) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(new byte[] {(byte) i, 7});
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Records every reply as it leaves the node and kills nodes in {@code dying} at the collect stage. */
    private static NodeMiddleware wire(ConcurrentLinkedQueue<Reply> leaving, Set<String> dying) {
        return (ins, cancel, next) -> {
            if (ins.kind() == TaskKind.SECAGG
                    && ins.config().getString(SecAggKeys.STAGE, "").equals("secagg.collect_masked_vectors")
                    && dying.contains(ins.nodeId())) {
                throw new IllegalStateException("killed at collect");
            }
            Reply r = next.handle(ins, cancel);
            leaving.add(r);
            return r;
        };
    }

    @Test
    void underSecAggTheBitTravelsInTheMaskedSumAndCNeverSeesAnIndividualBitOrCount() throws Exception {
        ConcurrentLinkedQueue<Reply> leaving = new ConcurrentLinkedQueue<>();
        Set<String> dying = Set.of("n3", "n7", "n10");
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            int k = i;
            nodes.add(new Node(
                    "n" + i,
                    List.of(wire(leaving, dying), new SecAggNode(() -> seeded(k))),
                    Workloads.shift(shift(i, N), 5 + i)));
        }
        double c0 = 0.3;
        PrivacyOptions p = new PrivacyOptions(
                Optional.of(new PrivacyOptions.SecAgg(7, 4, 8.0, 1L << 22)),
                Optional.of(adaptiveDp(c0, 0.5, 0.5, 0.5, 1)));
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("adaptive-secagg", 12, 5L).withRoundTimeout(Duration.ofMinutes(1)))
                .setStrategy(new FedAvg(new Sampling(1.0, 1, 1, 0.5), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(Params.small())
                .optPrivacy(p)
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .build()
                .execute();
        assertThat(r.rounds()).hasSize(12);
        for (RoundRecord rec : r.rounds()) {
            assertThat(rec.aggregated()).as(rec.failures().toString()).isTrue();
            assertThat(rec.privacy().orElseThrow().contributors()).isEqualTo(9);
            assertThat(rec.privacy().orElseThrow().dropped()).isEqualTo(3);
        }
        // round 1: C = 0.3; of the 9 contributors only n0 (norm 0.25) is within it, so the clean
        // centred count is 1/2 - 8/2; the noisy one is read back from the clip step
        RoundPrivacy first = r.rounds().get(0).privacy().orElseThrow();
        double bHat = 0.5 - Math.log(first.nextClipNorm().orElseThrow() / c0) / 0.5;
        double noisyCentred = (bHat - 0.5) * N; // m = q N = 12
        double truth = 1 - 9 / 2.0; // n0 (norm 0.25) within C, the other 8 contributors clipped
        // noise shares: variance sigma_b^2 / t from each of 9 survivors, t = 4: std 1.5
        assertThat(noisyCentred).isCloseTo(truth, within(6 * 1.5));
        // C rises towards the median norm (1.5 over all 12; the survivors' median is similar)
        double last = r.rounds().get(11).privacy().orElseThrow().clipNorm().orElseThrow();
        assertThat(last).isGreaterThan(3 * c0);
        assertThat(fractionWithin(last, N)).isBetween(0.2, 0.8);
        // what left the nodes: training replies carry no parameters, one example and no metrics under
        // DP; masked vectors are d + 1 = 10 int32s (the bit is the extra coordinate, masked)
        for (Reply out : leaving) {
            if (out.params().contains(SecAggKeys.MASKED_TENSOR)) {
                assertThat(out.params().get(SecAggKeys.MASKED_TENSOR).numElements())
                        .isEqualTo(10);
            } else {
                assertThat(out.params().isEmpty()).isTrue();
                assertThat(out.metrics()).isEmpty();
                assertThat(out.numExamples()).isEqualTo(1);
            }
        }
        // accounting: update multiplier 0.5 inflated by rounding, combined with the count (2 sigma_b = 2)
        double zd = 0.5 / (1 + SQRT_D / (1 << 21));
        double z = 1 / Math.sqrt(1 / (zd * zd) + 1 / 4.0);
        assertThat(r.rounds().get(11).privacy().orElseThrow().epsilon().orElseThrow())
                .isCloseTo(
                        RdpAccountant.create().compose(1.0, z, 12).spent(1e-5).epsilon(), within(1e-9));
    }

    @Test
    void aResumedAdaptiveRunContinuesFromTheLastClipNorm(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            nodes.add(new Node("n" + i, Workloads.shift(shift(i, 50), 10)));
        }
        PrivacyOptions p = new PrivacyOptions(Optional.empty(), Optional.of(adaptiveDp(0.2, 1.0, 0.5, 0.2, 3)));
        RunDirectory rd = new RunDirectory(dir);
        Run.Result first = Run.builder()
                .setConfig(RunConfig.of("adaptive-resume", 2, 5L))
                .setStrategy(new FedAvg(new Sampling(1.0, 1, 1, 0.5), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(Params.small())
                .optDirectory(rd)
                .optPrivacy(p)
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .build()
                .execute();
        double next =
                first.rounds().get(1).privacy().orElseThrow().nextClipNorm().orElseThrow();
        assertThat(next).isNotEqualTo(0.2);
        Run.Result resumed = Run.builder()
                .setConfig(RunConfig.of("adaptive-resume", 3, 5L))
                .setStrategy(new FedAvg(new Sampling(1.0, 1, 1, 0.5), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(first.global())
                .optDirectory(rd)
                .optPrivacy(p)
                .optPrivacyBits(new AesCtrPrg(new byte[32]))
                .optResumeAfter(2)
                .build()
                .execute();
        assertThat(resumed.rounds().get(0).privacy().orElseThrow().clipNorm()).contains(next);
    }
}

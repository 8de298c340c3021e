package dev.atelier.cli.classifier;

import dev.atelier.cli.common.DataOptions;
import dev.atelier.cli.common.RunsDirOption;
import dev.atelier.cli.common.StrategySpecConverter;
import dev.atelier.core.message.Config;
import dev.atelier.core.run.ConsoleRunListener;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.StrategySpec;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.ml.classifier.ClassifierSimulation;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code atelier simulate classifier}: the federated Fashion-MNIST classifier over virtual nodes. */
@Command(
        name = "classifier",
        mixinStandardHelpOptions = true,
        description = "Federated Fashion-MNIST classifier over virtual nodes in this JVM; writes runs/<run-id>/.")
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--nodes", defaultValue = "8", description = "Virtual nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--partition",
            defaultValue = "dirichlet:0.5",
            description = "iid | dirichlet:ALPHA | shards:K | unequal:SIGMA (default: ${DEFAULT-VALUE}).")
    String partition;

    @Option(names = "--rounds", defaultValue = "20", description = "Federated rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--strategy",
            defaultValue = "fedavg",
            converter = StrategySpecConverter.class,
            description = "Strategy spec NAME[:KEY=VALUE,...]: fedavg, fedprox:mu=0.01, fedadam:eta=0.1, fedyogi,"
                    + " fedmedian, trimmedmean:beta=0.1, krum:f=1, multikrum:f=1,m=3; a wrong spec lists every"
                    + " parameter and default (default: ${DEFAULT-VALUE}).")
    StrategySpec strategy;

    @Option(names = "--local-steps", description = "Local optimizer steps per round (default: 50, quick: 20).")
    Integer localSteps;

    @Option(names = "--batch-size", defaultValue = "32", description = "Local batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--lr",
            defaultValue = "0.001",
            description = "Local Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--fraction",
            defaultValue = "1.0",
            description = "Share of nodes sampled per round (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed for partitioning, sampling and init (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-size", description = "Test images evaluated per round (default: 10000, quick: 1000).")
    Integer evalSize;

    @Option(
            names = "--evaluate-every",
            defaultValue = "0",
            description = "Federated evaluation every N rounds: nodes score the new global model on their held-out"
                    + " tenth of their images (0 = off, the default; nodes then train on all their images).")
    int evaluateEvery;

    @Option(
            names = "--secagg",
            description = "Secure aggregation (SecAgg+): the coordinator only learns the sum of the updates.")
    boolean secAgg;

    @Option(
            names = "--secagg-num-shares",
            defaultValue = "2147483647",
            description = "SecAgg share holders per node including itself, odd >= 3 (default: all nodes).")
    int secAggShares;

    @Option(
            names = "--secagg-threshold",
            defaultValue = "0",
            description = "SecAgg shares needed to rebuild a secret (default 0: a majority of the share holders).")
    int secAggThreshold;

    @Option(
            names = "--dp-clip",
            defaultValue = "0",
            description = "DP-FedAvg (user level): L2 clip norm of a node's update; 0 = off (default).")
    double dpClip;

    @Option(
            names = "--dp-noise",
            defaultValue = "0",
            description = "DP-FedAvg noise multiplier z (noise std = z x clip); or give --target-epsilon.")
    double dpNoise;

    @Option(
            names = "--target-epsilon",
            defaultValue = "0",
            description = "DP-FedAvg: pick the noise multiplier so that --rounds rounds spend at most this epsilon.")
    double targetEpsilon;

    @Option(names = "--dp-delta", defaultValue = "1e-5", description = "DP-FedAvg delta (default: ${DEFAULT-VALUE}).")
    double dpDelta;

    @Option(
            names = "--dp-adaptive-clip",
            description = "DP-FedAvg adaptive clipping (Andrew et al. 2019): --dp-clip is the first round's C, which"
                    + " then follows --dp-clip-target-quantile of the node update norms; needs --dp-clip-count-stddev.")
    boolean dpAdaptiveClip;

    @Option(
            names = "--dp-clip-target-quantile",
            paramLabel = "GAMMA",
            description = "Adaptive clipping: quantile of the update norms C follows, in (0, 1) (default 0.5).")
    Double dpClipQuantile;

    @Option(
            names = "--dp-clip-learning-rate",
            paramLabel = "ETA",
            description = "Adaptive clipping: C <- C exp(-ETA (b - GAMMA)) per round (default 0.2).")
    Double dpClipLearningRate;

    @Option(
            names = "--dp-clip-count-stddev",
            paramLabel = "SIGMA_B",
            description = "Adaptive clipping: noise std on the count of unclipped nodes (required; Andrew et al."
                    + " use expected nodes per round / 20; must exceed z / 2).")
    Double dpClipCountStddev;

    /** The DP-FedAvg settings of the options, or empty; every misuse is a one-line error. */
    java.util.Optional<dev.atelier.core.privacy.PrivacyOptions.Dp> dp() {
        boolean adaptiveKeys = dpClipQuantile != null || dpClipLearningRate != null || dpClipCountStddev != null;
        if (adaptiveKeys && !dpAdaptiveClip) {
            throw new IllegalArgumentException("--dp-clip-target-quantile, --dp-clip-learning-rate and"
                    + " --dp-clip-count-stddev need --dp-adaptive-clip");
        }
        if (dpClip <= 0) {
            if (dpNoise > 0 || targetEpsilon > 0 || dpAdaptiveClip) {
                throw new IllegalArgumentException(
                        "--dp-noise, --target-epsilon and --dp-adaptive-clip need --dp-clip > 0");
            }
            return java.util.Optional.empty();
        }
        if (dpAdaptiveClip && dpClipCountStddev == null) {
            throw new IllegalArgumentException("--dp-adaptive-clip needs --dp-clip-count-stddev (the noise on the"
                    + " unclipped count; Andrew et al. use expected nodes per round / 20)");
        }
        try {
            var dp = new dev.atelier.core.privacy.PrivacyOptions.Dp(dpClip, dpNoise, targetEpsilon, dpDelta);
            return java.util.Optional.of(
                    dpAdaptiveClip
                            ? dp.withAdaptive(new dev.atelier.core.privacy.PrivacyOptions.AdaptiveClip(
                                    dpClipQuantile == null ? 0.5 : dpClipQuantile,
                                    dpClipLearningRate == null ? 0.2 : dpClipLearningRate,
                                    dpClipCountStddev))
                            : dp);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DP-FedAvg: " + e.getMessage(), e);
        }
    }

    private static <T> T secAggWrapped(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--secagg: " + e.getMessage(), e);
        }
    }

    @Option(names = "--quick", description = "Smaller local work and evaluation, for a smoke test in about a minute.")
    boolean quick;

    @Mixin
    RunsDirOption runs;

    @Override
    public Integer call() throws Exception {
        // Options first: a misuse costs no data loading.
        var dpSettings = dp();
        var privacy = secAggWrapped(() -> new dev.atelier.core.privacy.PrivacyOptions(
                secAgg
                        ? java.util.Optional.of(new dev.atelier.core.privacy.PrivacyOptions.SecAgg(
                                secAggShares,
                                secAggThreshold,
                                dev.atelier.core.privacy.PrivacyOptions.DEFAULT_CLIP_RANGE,
                                dev.atelier.core.privacy.PrivacyOptions.DEFAULT_QUANTIZATION_RANGE))
                        : java.util.Optional.empty(),
                dpSettings));
        int steps = localSteps != null ? localSteps : quick ? 20 : 50;
        int eval = evalSize != null ? evalSize : quick ? 1000 : 10_000;
        Config train = Config.of(
                Map.of(TrainKeys.LOCAL_STEPS, steps, TrainKeys.BATCH_SIZE, batchSize, TrainKeys.LEARNING_RATE, lr));
        // DP rounds sample nodes by Poisson sampling, so a round's size varies: any reply counts.
        int min = dpClip > 0 ? 1 : Math.max(1, (int) Math.ceil(fraction * nodes));
        var strat = strategy.create(new Sampling(fraction, nodes, min, 0.5), train);
        if ((secAgg || dpSettings.isPresent()) && strat.holdsEveryReply()) {
            throw new IllegalArgumentException("--strategy " + strat.name() + " needs every node's individual update,"
                    + " which " + (secAgg ? "--secagg" : "DP-FedAvg (--dp-clip)") + " does not give the coordinator:"
                    + " use fedavg, fedprox, fedadam, fedyogi or fedopt");
        }
        var splits = data.load().splits();
        RunDirectory dir = new RunDirectory(runs.next("classifier-" + strat.name()));
        System.err.printf(
                Locale.ROOT,
                "simulating %d nodes, %s, %s, %d rounds x %d local steps -> %s%n",
                nodes,
                partition,
                strat.name(),
                rounds,
                steps,
                dir.path());
        var outcome = ClassifierSimulation.run(
                new ClassifierSimulation.Settings(nodes, partition, rounds, seed, eval, evaluateEvery),
                splits,
                strat,
                dir,
                new ConsoleRunListener(System.out, ""),
                privacy);
        System.out.println("partition (examples per node and label):");
        System.out.println(outcome.partitionTable());
        var last = outcome.result().rounds().get(outcome.result().rounds().size() - 1);
        System.out.printf(
                Locale.ROOT,
                "final test accuracy %.4f after %d rounds; run written to %s%n",
                last.eval().getOrDefault("test_accuracy", Double.NaN),
                last.round(),
                dir.path());
        last.privacy().ifPresent(p -> System.out.println("privacy " + p.summary()));
        return 0;
    }
}

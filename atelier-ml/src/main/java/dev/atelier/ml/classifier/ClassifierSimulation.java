package dev.atelier.ml.classifier;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.Evaluator;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.DatasetViews;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.data.Partition;
import dev.atelier.ml.data.Partitioner;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.ml.train.SupervisedTrainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The federated classifier over virtual nodes in one JVM: private split partitioned over
 * {@code nodes}, one {@link ClassifierWorkload} per node built as deployed nodes are
 * ({@link ClassifierProvider#node}), the core {@link Run} over the
 * {@link InProcessTransport}, and the global model evaluated on the test set after every round.
 * With {@code evaluateEvery > 0} nodes also run the federated evaluation phase on their held-out
 * images (every 10th of their partition, see {@link dev.atelier.ml.data.HoldOut}, which they then
 * do not train on); with it off they train on their whole partition.
 */
public final class ClassifierSimulation {
    private ClassifierSimulation() {}

    /**
     * @param nodes     number of virtual nodes
     * @param partition partitioner spec ({@code iid}, {@code dirichlet:0.5}, ...)
     * @param evalSize  test images used for the per-round accuracy (all when >= test size)
     * @param evaluateEvery federated evaluation every this many rounds; 0 = off
     */
    public record Settings(int nodes, String partition, int rounds, long seed, int evalSize, int evaluateEvery) {
        public Settings {
            if (evaluateEvery < 0) {
                throw new IllegalArgumentException("evaluateEvery must be >= 0 (0 = off), got " + evaluateEvery);
            }
        }

        /** Without federated evaluation. */
        public Settings(int nodes, String partition, int rounds, long seed, int evalSize) {
            this(nodes, partition, rounds, seed, evalSize, 0);
        }
    }

    /** The run result plus the partition description for reports. */
    public record Outcome(Run.Result result, String partitionTable) {}

    public static Outcome run(Settings s, DataSplits data, Strategy strategy, RunDirectory dir, RunListener listener)
            throws IOException, InterruptedException {
        return run(s, data, strategy, dir, listener, dev.atelier.core.privacy.PrivacyOptions.none());
    }

    /**
     * As {@link #run(Settings, DataSplits, Strategy, RunDirectory, RunListener)} with secure
     * aggregation and/or DP-FedAvg turned on by {@code privacy}; every node carries the
     * {@link dev.atelier.core.privacy.secagg.SecAggNode} middleware, as deployed nodes do.
     */
    public static Outcome run(
            Settings s,
            DataSplits data,
            Strategy strategy,
            RunDirectory dir,
            RunListener listener,
            dev.atelier.core.privacy.PrivacyOptions privacy)
            throws IOException, InterruptedException {
        Partitioner partitioner = Partitioner.parse(s.partition());
        ImageDataset priv = data.privateTrain();
        Partition partition = partitioner.partition(priv.labels(), s.nodes(), s.seed());
        String table = partition.describe(priv.labels(), priv.classNames()).toTable();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < s.nodes(); i++) {
                String id = String.format("node-%02d", i + 1);
                ImageDataset own = priv.subset(partition.indices(i));
                ClassifierWorkload w = s.evaluateEvery() > 0
                        ? ClassifierWorkload.withHeldOut(id, own, s.seed())
                        : new ClassifierWorkload(id, own, own.subset(new int[0]), s.seed());
                nodes.add(ClassifierProvider.node(id, w).withOuter(new dev.atelier.core.privacy.secagg.SecAggNode()));
            }
            ImageDataset test =
                    data.test().size() > s.evalSize() ? data.test().subset(range(s.evalSize())) : data.test();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("workload", "classifier");
            details.put("nodes", s.nodes());
            details.put("partition", partitioner.spec());
            details.put("partition_sizes", partition.sizes());
            details.put("eval_images", test.size());
            details.put(
                    "held_out_per_node",
                    nodes.stream()
                            .map(n -> ((ClassifierWorkload) n.workload()).heldOutSize())
                            .toList());
            RunConfig config = RunConfig.of(
                            dir == null ? "sim" : dir.path().getFileName().toString(), s.rounds(), s.seed())
                    .withDetails(details)
                    .withEvaluateEvery(s.evaluateEvery());
            try (NDManager evalManager = NDManager.newBaseManager();
                    InProcessTransport transport = new InProcessTransport(nodes)) {
                FeatureNet evalNet = ClassifierWorkload.newModel(evalManager, s.seed());
                Evaluator evaluator = (round, global) -> {
                    BlockParams.load(evalNet, ClassifierWorkload.PREFIX, global);
                    return Map.of(
                            "test_accuracy",
                            SupervisedTrainer.accuracy(
                                    evalNet, evalManager, DatasetViews.images(test), test.labels(), 500));
                };
                ParamSet initial = ClassifierWorkload.initialParameters(s.seed());
                Run.Result result = Run.builder()
                        .setConfig(config)
                        .setStrategy(strategy)
                        .setTransport(transport)
                        .setInitial(initial)
                        .optDirectory(dir)
                        .optEvaluator(evaluator)
                        .optListener(listener)
                        .optPrivacy(privacy)
                        .build()
                        .execute();
                return new Outcome(result, table);
            }
        } finally {
            nodes.forEach(Node::close);
        }
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}

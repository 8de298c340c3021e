package dev.atelier.ml.classifier;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistResolver;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.data.ImageFolderLoader;
import dev.atelier.ml.data.Partitioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code classifier} workload for deployed nodes.
 *
 * <p>A node's data is, in order: a labelled image folder ({@code DIR/<label>/*.png}) when
 * {@code dataDir} holds no Fashion-MNIST files; otherwise Fashion-MNIST from {@code dataDir} (or the
 * standard search when null), of which the node takes partition {@value #NODE_INDEX} of
 * {@value #NODES} under {@value #PARTITION} (default {@code iid}) of the private split — the same
 * partition every node computes from the shared seed, so nodes hold disjoint data. Of that data
 * the node holds out every 10th image ({@link dev.atelier.ml.data.HoldOut}) for the EVALUATE task
 * and trains on the rest.
 *
 * <p>Every parameter is shared, so the node has no middleware; {@link #node} is the one place
 * that says so, used by deployed nodes and by {@link ClassifierSimulation} alike.
 */
public final class ClassifierProvider implements WorkloadProvider {
    public static final String SEED = "seed";
    public static final String NODES = "nodes";
    public static final String NODE_INDEX = "node_index";
    public static final String PARTITION = "partition";
    /**
     * Declared class names of a node's own image folders, comma-separated, index = label (default
     * the Fashion-MNIST classes; at most the model's 10 outputs). Labels come from this list, never
     * from which folders a node happens to have.
     */
    public static final String CLASSES = "classes";

    @Override
    public String name() {
        return "classifier";
    }

    @Override
    public ParamSet initialParameters(Config config) {
        return ClassifierWorkload.initialParameters(config.getLong(SEED, 42));
    }

    @Override
    public Node createNode(String nodeId, Path dataDir, Path stateDir, Config config) {
        long seed = config.getLong(SEED, 42);
        ImageDataset data;
        if (dataDir != null
                && Files.isDirectory(dataDir)
                && FashionMnistResolver.missing(dataDir).size() == 4) {
            data = ImageFolderLoader.of(28, 28).loadLabelled(dataDir, classes(config));
        } else {
            ImageDataset priv = FashionMnist.load(dataDir).splits().privateTrain();
            int nodes = config.getInt(NODES, 1);
            int index = config.getInt(NODE_INDEX, 0);
            if (index < 0 || index >= nodes) {
                throw new IllegalArgumentException("node_index " + index + " is outside 0.." + (nodes - 1));
            }
            var partition =
                    Partitioner.parse(config.getString(PARTITION, "iid")).partition(priv.labels(), nodes, seed);
            data = priv.subset(partition.indices(index));
        }
        return node(nodeId, ClassifierWorkload.withHeldOut(nodeId, data, seed));
    }

    /** The declared classes ({@link #CLASSES}). */
    static List<String> classes(Config config) {
        if (!config.has(CLASSES)) {
            return FashionMnist.CLASS_NAMES;
        }
        List<String> c = java.util.Arrays.stream(config.getString(CLASSES, "").split(","))
                .map(String::strip)
                .toList();
        if (c.isEmpty()
                || c.size() > 10
                || c.stream().anyMatch(String::isEmpty)
                || new java.util.HashSet<>(c).size() != c.size()) {
            throw new IllegalArgumentException("'" + CLASSES + "' must list 1 to 10 distinct non-empty class names"
                    + " separated by commas, got '" + config.getString(CLASSES, "") + "'");
        }
        return c;
    }

    /** A classifier node as both transports run it: the workload, no middleware (everything is shared). */
    public static Node node(String nodeId, ClassifierWorkload workload) {
        return new Node(nodeId, List.of(), workload);
    }
}

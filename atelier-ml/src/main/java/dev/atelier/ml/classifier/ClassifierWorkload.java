package dev.atelier.ml.classifier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.util.Seeds;
import dev.atelier.core.workload.Workload;
import dev.atelier.ml.data.DatasetViews;
import dev.atelier.ml.data.HoldOut;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.ml.train.SupervisedTrainer;
import dev.atelier.ml.train.TrainSettings;
import java.util.Map;

/**
 * A node training the {@link FeatureNet} garment classifier on its own images: the workload that
 * proves the federated core end to end. Every parameter (BatchNorm included) is shared under the
 * prefix {@value #PREFIX}.
 *
 * <p>Train instructions read {@link TrainKeys#LOCAL_STEPS} (default 50), {@link TrainKeys#BATCH_SIZE}
 * (32), {@link TrainKeys#LEARNING_RATE} (1e-3) and {@link TrainKeys#PROXIMAL_MU} (0) and train on
 * the node's training images only. Evaluate instructions score the received global model on the
 * node's held-out images ({@link HoldOut}: every 10th of its images, never trained on) and reply
 * {@code loss} (mean cross-entropy) and {@code accuracy} with the held-out count as the example
 * count; a node with no held-out images fails the task with that reason. Local steps stop early,
 * between steps, once the instruction's {@link Cancellation} is cancelled. Owns native memory:
 * {@link #close()}.
 */
public final class ClassifierWorkload implements Workload, AutoCloseable {
    public static final String PREFIX = "net";
    private final String nodeId;
    private final ImageDataset data;
    private final ImageDataset heldOut;
    private final long seed;
    private final NDManager manager;
    private final FeatureNet net;

    /**
     * @param data    the node's images; {@link HoldOut} sets every 10th aside for evaluation and
     *                the rest train
     * @param seed    the federation's seed (the same on every node): it initialises the model, and the
     *                batches of round r come from {@code Seeds.derive(Seeds.derive(seed, "batches", nodeId),
     *                "round", r)}, so a node draws the same batches in simulation and deployment
     */
    public static ClassifierWorkload withHeldOut(String nodeId, ImageDataset data, long seed) {
        return new ClassifierWorkload(
                nodeId,
                data.subset(HoldOut.trainPositions(data.size())),
                data.subset(HoldOut.heldOutPositions(data.size())),
                seed);
    }

    /**
     * @param data    images the node trains on
     * @param heldOut images it evaluates on (never trained on); may be empty
     */
    public ClassifierWorkload(String nodeId, ImageDataset data, ImageDataset heldOut, long seed) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("node " + nodeId + " has no training images");
        }
        this.nodeId = nodeId;
        this.data = data;
        this.heldOut = heldOut;
        this.seed = seed;
        this.manager = NDManager.newBaseManager();
        this.net = newModel(manager, seed);
    }

    /** A freshly initialized classifier; identical for equal seeds. */
    public static FeatureNet newModel(NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        FeatureNet net = new FeatureNet(10);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, FeatureNet.SIZE, FeatureNet.SIZE));
        return net;
    }

    /** The initial global parameters for {@code seed}. */
    public static ParamSet initialParameters(long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            return BlockParams.toParamSet(newModel(m, seed), PREFIX);
        }
    }

    @Override
    public Reply handle(Instruction ins, Cancellation cancel) {
        BlockParams.load(net, PREFIX, ins.params());
        Config c = ins.config();
        return switch (ins.kind()) {
            case TRAIN -> {
                TrainSettings s = new TrainSettings(
                        c.getInt(TrainKeys.LOCAL_STEPS, 50),
                        c.getInt(TrainKeys.BATCH_SIZE, 32),
                        (float) c.getDouble(TrainKeys.LEARNING_RATE, 1e-3),
                        (float) c.getDouble(TrainKeys.PROXIMAL_MU, 0),
                        Seeds.derive(Seeds.derive(seed, "batches", nodeId), "round", Integer.toString(ins.round())));
                var r = SupervisedTrainer.train(
                        net, manager, DatasetViews.images(data), data.labels(), s, null, cancel);
                yield new Reply(
                        nodeId,
                        ins.round(),
                        BlockParams.toParamSet(net, PREFIX),
                        data.size(),
                        Map.of("loss", r.loss(), "accuracy", r.accuracy()),
                        null);
            }
            case EVALUATE -> evaluate(ins);
            case ANALYTICS ->
                throw new IllegalArgumentException("the classifier workload does not run analytics tasks");
            case SECAGG ->
                throw new IllegalArgumentException("secure aggregation stage reached the workload: the node"
                        + " runs without the SecAggNode middleware");
        };
    }

    private Reply evaluate(Instruction ins) {
        if (heldOut.size() == 0) {
            throw new IllegalStateException("node " + nodeId + " has no held-out images to evaluate on (it holds "
                    + data.size() + " training images; one in " + HoldOut.EVERY + " is held out)");
        }
        var r = SupervisedTrainer.evaluate(net, manager, DatasetViews.images(heldOut), heldOut.labels(), 256);
        return new Reply(
                nodeId,
                ins.round(),
                ParamSet.empty(),
                heldOut.size(),
                Map.of("loss", r.loss(), "accuracy", r.accuracy()),
                null);
    }

    /** Images this node trains on. */
    public int trainingSize() {
        return data.size();
    }

    /** Images this node evaluates on. */
    public int heldOutSize() {
        return heldOut.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.atelier.sketch.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.ml.train.TrainSettings;
import dev.atelier.sketch.folder.Canvas;
import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.local.PublicEncoder;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.privacy.CriticDpSgd;
import dev.atelier.sketch.privacy.DpSgdSettings;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sketch} workload for deployments ({@code --workload sketch}): the coordinator's initial
 * global model is the shared critic; a node trains one designer's GAN.
 *
 * <p>Node config ({@link SketchKeys}): {@code encoder} (public feature network safetensors, prefix
 * {@code net}; when absent it is trained on the public Fashion-MNIST split and cached, as
 * {@code PublicFeatureNetwork} does), {@code seed}, {@code canvas} (the models' side in px, default
 * 32; nodes then need a data folder), {@code warmup_steps}, {@code gan_batch_size},
 * {@code share_style_card}, the per-sketch DP-SGD keys {@code dp_sgd_*} ({@link DpSgdSettings}),
 * and for nodes without a data folder {@code designer} (a default
 * profile name) and {@code fashion_mnist} (folder or {@code fixture}). Data folder layout: see
 * {@link DesignerSources}; garments are read in Fashion-MNIST polarity unless
 * {@code invert_images=true}. A paired data set of 10 or more pairs holds out every 10th pair for
 * the EVALUATE task ({@link LocalHoldOut}) and trains on the rest. A node whose state folder
 * already holds a {@code model.safetensors} starts from it, without the generator warm-up
 * ({@link SavedNodeModel}): a restarted node, or a designer's own trained model. Every sketch node, deployed or
 * simulated, is built by {@link #node}: the workload behind {@link SketchSharing}'s middleware.
 */
public final class SketchWorkloadProvider implements WorkloadProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SketchWorkloadProvider.class);
    /** Settings used when the node must train the public feature network itself. */
    public static final TrainSettings ENCODER_TRAINING = new TrainSettings(1500, 64, 2e-3f, 0f, 0, true);

    @Override
    public String name() {
        return "sketch";
    }

    @Override
    public ParamSet initialParameters(Config config) {
        // The critic reads Gram matrices, so its shape does not depend on the canvas; reading the
        // key here still refuses a bad canvas when the coordinator starts, before any node joins.
        return SketchGan.initialSharedDiscriminator(
                FeatureNet.CHANNELS.length, modelConfig(config), config.getLong(SketchKeys.SEED, 0));
    }

    @Override
    public Node createNode(String nodeId, Path dataDir, Path stateDir, Config config) throws IOException {
        long seed = config.getLong(SketchKeys.SEED, 0);
        SketchGanConfig modelConfig = modelConfig(config);
        String designer = config.getString(SketchKeys.DESIGNER, nodeId);
        FashionMnistData fashion = null;
        SketchPairs data;
        if (dataDir != null) {
            data = DesignerSources.fromFolder(
                    dataDir,
                    FolderOptions.defaults()
                            .withInvert(config.getBoolean(SketchKeys.INVERT_IMAGES, false))
                            .withUnpaired(config.getBoolean(SketchKeys.UNPAIRED, false))
                            .withUnsketched(config.getBoolean(SketchKeys.UNSKETCHED, false))
                            .withCanvas(modelConfig.canvas()));
        } else if (modelConfig.canvas() != Canvas.SIDE) {
            throw new IllegalArgumentException("config '" + SketchKeys.CANVAS + "' is " + modelConfig.canvas()
                    + " but node " + nodeId + " has no data folder: the default designers are drawn from 28 px"
                    + " Fashion-MNIST garments on the " + Canvas.SIDE + " px canvas; give it --data DIR");
        } else {
            fashion = fashionMnist(config);
            data = DesignerSources.defaultDesigner(designer, splits(fashion, config), seed);
        }
        LocalHoldOut.Split split = LocalHoldOut.split(data);
        data = split.train();
        // A model already in the state folder (her own, or this node's last round) is trained on.
        SketchGan model = SavedNodeModel.load(stateDir, modelConfig, initialParameters(config))
                .orElse(null);
        boolean resumed = model != null;
        if (!resumed) {
            String encoderFile = config.getString(SketchKeys.ENCODER, "");
            FashionMnistData loaded = fashion;
            ParamSet encoder = PublicEncoder.resolve(
                    encoderFile.isEmpty() ? null : Path.of(encoderFile),
                    () -> splits(loaded == null ? fashionMnist(config) : loaded, config));
            model = SketchGan.create(encoder, modelConfig, seed);
        } else {
            LOG.info(
                    "designer {}: starting from the model in {} (its own encoder; no generator warm-up)",
                    designer,
                    stateDir.toAbsolutePath());
        }
        TrainerSettings settings = TrainerSettings.defaults(SketchFederation.designerSeed(seed, designer))
                .withBatchSize(config.getInt(SketchKeys.GAN_BATCH_SIZE, 16));
        SketchPairs trainData = data;
        SketchTrainer trainer = SketchTrainer.builder()
                .setModel(model)
                .setData(data)
                .optSettings(settings)
                .optCriticDp(DpSgdSettings.read(config)
                        .map(dp -> CriticDpSgd.plan(dp, trainData.size(), settings.batchSize(), RandomBits.secure()))
                        .orElse(null))
                .build();
        if (stateDir != null) {
            LOG.info(
                    "designer {}: the model ({} px canvas) is saved after every round as the model directory {}"
                            + " (atelier generate --model {})",
                    designer,
                    modelConfig.canvas(),
                    stateDir.toAbsolutePath(),
                    stateDir);
        }
        SketchWorkload w = new SketchWorkload(
                designer,
                trainer,
                resumed ? 0 : config.getInt(SketchKeys.WARMUP_STEPS, SketchKeys.DEFAULT_WARMUP_STEPS),
                stateDir,
                split.heldOut());
        return node(nodeId, w, config.getBoolean(SketchKeys.SHARE_STYLE_CARD, false));
    }

    /**
     * Before registering: trains (first run) or loads the public feature network a node uses when
     * the run names no {@code encoder} file, from Fashion-MNIST in the usual places, into the cache
     * {@link #createNode} reads it from; so a first run's ~1 min of training no longer happens
     * after the node registered, while round 1 waits. Unused (and only this once) when the run does
     * name an encoder file. Skipped when the state folder holds a model to start from
     * ({@link SavedNodeModel}): that model brings its own encoder.
     */
    @Override
    public void prepareNode(Path dataDir, Path stateDir) throws IOException {
        if (SavedNodeModel.exists(stateDir)) {
            LOG.info("a model to start from is in {}: no public feature network needed", stateDir);
            return;
        }
        PublicEncoder.resolve((Path) null, (String) null);
    }

    /**
     * A designer's node as both transports run it: {@code workload} behind
     * {@link SketchSharing#middleware} (only the shared critic enters; the critic without BatchNorm,
     * and the style card when {@code shareStyleCard}, leave). Closing the node closes the workload.
     */
    public static Node node(String nodeId, SketchWorkload workload, boolean shareStyleCard) {
        return node(nodeId, workload, shareStyleCard, false);
    }

    /** As {@link #node(String, SketchWorkload, boolean)}, sharing the critic's BatchNorm too when {@code shareBatchNorm}. */
    public static Node node(String nodeId, SketchWorkload workload, boolean shareStyleCard, boolean shareBatchNorm) {
        return new Node(nodeId, List.of(SketchSharing.middleware(shareStyleCard, shareBatchNorm)), workload);
    }

    /** The designers' architecture: the defaults on the run's {@link SketchKeys#CANVAS}. */
    private static SketchGanConfig modelConfig(Config config) {
        return SketchGanConfig.defaults().withCanvas(SketchKeys.canvas(config));
    }

    private static FashionMnistData fashionMnist(Config config) {
        String source = config.getString(SketchKeys.FASHION_MNIST, "");
        if (source.equals("fixture")) {
            return FashionMnist.loadFixture();
        }
        return FashionMnist.load(source.isEmpty() ? null : Path.of(source));
    }

    private static DataSplits splits(FashionMnistData data, Config config) {
        // The fixture is too small for the default 10 000-image public split.
        return config.getString(SketchKeys.FASHION_MNIST, "").equals("fixture") ? data.splits(100, 0) : data.splits();
    }
}

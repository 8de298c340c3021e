package dev.atelier.ml.features;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.util.Progress;
import dev.atelier.core.util.ShippedFiles;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.DatasetViews;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.ml.train.SupervisedTrainer;
import dev.atelier.ml.train.TrainSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The <em>public feature network</em>: the {@link FeatureNet} classifier trained centrally on the
 * public split only, then frozen. The sketch workload uses it as its encoder (the role ImageNet
 * VGG-16 plays in FedGAI); nodes never train it, so no private data shapes it.
 *
 * <p>Cached as safetensors under {@code <cacheDir>/public-feature-net-<key>.safetensors}, where the
 * key hashes the settings and the public images, so a changed split or setting retrains.
 */
public final class PublicFeatureNetwork {
    /** Bump when {@link FeatureNet}'s architecture changes so stale caches are not loaded. */
    static final String ARCH_VERSION = "featurenet-v1";

    /**
     * Where Atelier ships trained networks ({@link ShippedFiles}): the demo's, trained once by this
     * code, so every machine encodes with the same weights.
     */
    public static final String SHIPPED = "/dev/atelier/ml/shipped/";

    private PublicFeatureNetwork() {}

    /** Result: parameters (prefix {@code net}), test accuracy measured after training, and whether it came from cache. */
    public record Trained(ParamSet params, double accuracy, boolean cached, Path file) {}

    /** Default cache folder: {@code ~/.atelier/cache}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".atelier", "cache");
    }

    /**
     * Loads the cached network for these inputs or trains it (with a progress line) and caches it.
     *
     * @param test images used only to report accuracy
     */
    public static Trained getOrTrain(ImageDataset publicTrain, ImageDataset test, TrainSettings settings, Path cacheDir)
            throws IOException {
        String key = cacheKey(publicTrain, settings);
        String name = "public-feature-net-" + key + ".safetensors";
        Path file = cacheDir.resolve(name);
        if (!Files.isRegularFile(file) && ShippedFiles.install(PublicFeatureNetwork.class, SHIPPED + name, file)) {
            System.err.println("public feature network " + key + ": installed into " + file
                    + " from the copy shipped with Atelier (same data and settings)");
        }
        if (Files.isRegularFile(file)) {
            try {
                var c = Safetensors.readWithMetadata(file);
                return new Trained(
                        c.params(), Double.parseDouble(c.metadata().getOrDefault("test_accuracy", "NaN")), true, file);
            } catch (IOException | RuntimeException e) {
                System.err.println(
                        "warning: ignoring unreadable cache " + file + " (" + e.getMessage() + "); retraining");
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureNet net = ClassifierWorkload.newModel(m, settings.seed());
            Progress p = Progress.start(
                    "public feature network (" + publicTrain.size() + " public images)", settings.steps());
            var r = SupervisedTrainer.train(
                    net, m, DatasetViews.images(publicTrain), publicTrain.labels(), settings, step -> p.step());
            double acc = SupervisedTrainer.accuracy(net, m, DatasetViews.images(test), test.labels(), 500);
            p.finish(String.format("loss %.3f, test accuracy %.3f", r.loss(), acc));
            ParamSet params = BlockParams.toParamSet(net, ClassifierWorkload.PREFIX);
            Safetensors.write(
                    params,
                    Map.of(
                            "format",
                            "atelier-public-feature-net-v1",
                            "test_accuracy",
                            Double.toString(acc),
                            "arch",
                            ARCH_VERSION),
                    file);
            return new Trained(params, acc, false, file);
        }
    }

    static String cacheKey(ImageDataset data, TrainSettings s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((ARCH_VERSION + "|" + s).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < data.size(); i++) {
                md.update(data.rawImage(i));
                md.update((byte) data.label(i));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

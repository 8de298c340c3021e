package dev.atelier.sketch.local;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.sketch.fed.SketchWorkloadProvider;
import dev.atelier.sketch.model.SketchEncoders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The frozen encoder of a designer's fresh model: a given public feature network file, or the one
 * trained on Fashion-MNIST's public split and cached under {@code ~/.atelier/cache} (as a sketch
 * node does, with {@link SketchWorkloadProvider#ENCODER_TRAINING}). Stateless.
 */
public final class PublicEncoder {
    private PublicEncoder() {}

    /**
     * @param file a safetensors file with prefix {@code net} (a public feature network) or a
     *     torchvision VGG-16 state dict ({@code features.N.weight}, the paper's encoder), or null to
     *     train/cache a feature network
     * @param fashionMnist Fashion-MNIST folder, {@code "fixture"} (tests), or null for the usual places
     */
    public static ParamSet resolve(Path file, String fashionMnist) throws IOException {
        boolean fixture = "fixture".equals(fashionMnist);
        return resolve(file, () -> {
            FashionMnistData data = fixture
                    ? FashionMnist.loadFixture()
                    : FashionMnist.load(fashionMnist == null ? null : Path.of(fashionMnist));
            return fixture ? data.splits(100, 0) : data.splits();
        });
    }

    /**
     * @param file a safetensors file with prefix {@code net}, or null to train/cache one
     * @param splits the Fashion-MNIST splits the cached network is keyed by and trained on; read only
     *     when {@code file} is null
     */
    public static ParamSet resolve(Path file, Supplier<DataSplits> splits) throws IOException {
        if (file != null) {
            ParamSet p = Safetensors.read(file);
            if (!SketchEncoders.isFeatureNet(p) && !SketchEncoders.isTorchvisionVgg(p)) {
                throw new IOException(file + " is neither a public feature network (no 'net.head.weight') nor a"
                        + " torchvision VGG-16 state dict (no 'features.0.weight'); pass the file PublicFeatureNetwork"
                        + " caches, e.g. ~/.atelier/cache/public-feature-net-*.safetensors, or torchvision's"
                        + " vgg16().state_dict() saved as safetensors");
            }
            return p;
        }
        DataSplits s = splits.get();
        return PublicFeatureNetwork.getOrTrain(
                        s.publicTrain(),
                        s.test(),
                        SketchWorkloadProvider.ENCODER_TRAINING,
                        PublicFeatureNetwork.defaultCacheDir())
                .params();
    }
}

package dev.atelier.sketch.local;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.sketch.fed.SketchWorkloadProvider;
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
     * @param file a safetensors file with prefix {@code net}, or null to train/cache one
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
            if (!p.contains("net.head.weight")) {
                throw new IOException(file + " is not a public feature network (no 'net.head.weight'); pass the"
                        + " file PublicFeatureNetwork caches, e.g. ~/.atelier/cache/public-feature-net-*.safetensors");
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

package dev.atelier.sketch.model;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared fixtures for the sketch model, trainer and federation tests: a seeded (untrained)
 * public-feature-network stand-in, and designer data rendered from the committed Fashion-MNIST
 * fixture. An untrained FeatureNet is a fixed random multi-scale encoder, enough to test wiring,
 * gradients and learning; the real public network only changes the weights.
 */
public final class TestModels {
    private static ParamSet encoder;

    private TestModels() {}

    /** FeatureNet weights under the prefix {@code net}, as {@code PublicFeatureNetwork} returns them. */
    public static synchronized ParamSet encoderParams() {
        if (encoder == null) {
            try (NDManager m = NDManager.newBaseManager()) {
                encoder = BlockParams.toParamSet(ClassifierWorkload.newModel(m, 11), "net");
            }
        }
        return encoder;
    }

    /** A fresh model on the test encoder with a style card computed from {@code sketches}. */
    public static SketchGan model(SketchGanConfig config, long seed, List<float[]> sketches) {
        SketchGan gan = SketchGan.create(encoderParams(), config, seed);
        gan.setStyleCard(gan.computeStyleCard(sketches));
        return gan;
    }

    /** Fixture garments {@code from .. from+n-1} (28×28) drawn in {@code style}: paired data. */
    public static SketchPairs designer(Styles style, int from, int n) {
        ImageDataset train = FashionMnist.loadFixture().train();
        List<float[]> garments = new ArrayList<>();
        List<float[]> sketches = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            float[] g = train.image(i % train.size());
            garments.add(g);
            sketches.add(style.render(g));
        }
        return SketchPairs.paired(garments, sketches);
    }
}

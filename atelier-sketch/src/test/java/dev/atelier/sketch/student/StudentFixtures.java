package dev.atelier.sketch.student;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.style.Styles;
import java.util.ArrayList;
import java.util.List;

/** Small, seeded teachers and garments for the student tests. */
final class StudentFixtures {
    private static ImageDataset fixtureTrain;

    private StudentFixtures() {}

    /** A FeatureNet with seeded random weights under the prefix {@code net}, as an encoder stand-in. */
    static ParamSet randomFeatureNet(long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            FeatureNet net = new FeatureNet(10);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, FeatureNet.SIZE, FeatureNet.SIZE));
            return BlockParams.toParamSet(net, "net");
        }
    }

    static synchronized ImageDataset train() {
        if (fixtureTrain == null) {
            fixtureTrain = FashionMnist.loadFixture().train();
        }
        return fixtureTrain;
    }

    /** Fixture garments {@code from .. from+n-1} (28×28 in [0,1]). */
    static List<float[]> garments(int from, int n) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(train().image(i));
        }
        return out;
    }

    /** A teacher on a random FeatureNet encoder, with a contour-style card from the first 64 fixture garments. */
    static SketchGan teacher(long seed) {
        SketchGan gan = SketchGan.create(randomFeatureNet(seed), SketchGanConfig.defaults(), seed);
        try {
            List<float[]> sketches =
                    garments(0, 64).stream().map(Styles.CONTOUR::render).toList();
            gan.setStyleCard(gan.computeStyleCard(sketches));
            return gan;
        } catch (RuntimeException e) {
            gan.close();
            throw e;
        }
    }
}

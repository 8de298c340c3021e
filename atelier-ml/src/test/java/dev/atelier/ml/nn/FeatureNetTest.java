package dev.atelier.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.ml.train.SupervisedTrainer;
import dev.atelier.ml.train.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureNetTest {

    static FeatureNet newNet(NDManager m) {
        Engine.getInstance().setRandomSeed(7);
        FeatureNet net = new FeatureNet(10);
        net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 32, 32));
        return net;
    }

    @Test
    void featuresHaveFourScalesBeforePooling() {
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureNet net = newNet(m);
            NDList f = net.features(new ParameterStore(m, false), m.zeros(new Shape(3, 1, 32, 32)), false);
            assertThat(f).hasSize(4);
            assertThat(f.get(0).getShape()).isEqualTo(new Shape(3, 16, 32, 32));
            assertThat(f.get(3).getShape()).isEqualTo(new Shape(3, 128, 4, 4));
            assertThat(FeatureNet.embedding(f).getShape()).isEqualTo(new Shape(3, 128));
        }
    }

    @Test
    void paramSetNamesAreHierarchicalAndRoundTrip() {
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureNet net = newNet(m);
            ParamSet p = BlockParams.toParamSet(net, "net");
            assertThat(p.names())
                    .contains(
                            "net.stage1.conv.weight",
                            "net.stage1.bn.gamma",
                            "net.stage1.bn.runningMean",
                            "net.head.weight");
            assertThat(p.get("net.stage2.conv.weight").shape()).containsExactly(32, 16, 3, 3);
            ParamSet.Builder zeros = ParamSet.builder();
            p.asMap().forEach((k, t) -> zeros.put(k, Tensor.zeros(t.shape())));
            assertThat(BlockParams.load(net, "net", zeros.build())).isEqualTo(p.size());
            assertThat(BlockParams.toParamSet(net, "net").get("net.head.weight").toFloats())
                    .containsOnly(0f);
            assertThatThrownBy(() -> BlockParams.load(
                            net,
                            "net",
                            ParamSet.builder()
                                    .put("net.head.weight", Tensor.zeros(3, 3))
                                    .build()))
                    .hasMessageContaining("net.head.weight")
                    .hasMessageContaining("shape");
        }
    }

    @Test
    void trainingLowersLossOnASeparableToyProblem() {
        // Two classes: bright top half vs bright bottom half.
        SplittableRandom r = new SplittableRandom(1);
        List<float[]> imgs = new ArrayList<>();
        int[] labels = new int[200];
        for (int i = 0; i < 200; i++) {
            float[] img = new float[28 * 28];
            labels[i] = i % 2;
            for (int p = 0; p < img.length; p++) {
                boolean top = p < img.length / 2;
                img[p] = (float) ((top == (labels[i] == 0) ? 0.8 : 0.1) + 0.1 * r.nextDouble());
            }
            imgs.add(img);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureNet net = newNet(m);
            double before = SupervisedTrainer.accuracy(net, m, imgs, labels, 50);
            var res = SupervisedTrainer.train(net, m, imgs, labels, new TrainSettings(30, 16, 1e-2f, 0f, 3), null);
            double after = SupervisedTrainer.accuracy(net, m, imgs, labels, 50);
            assertThat(res.examples()).isEqualTo(30 * 16);
            assertThat(after).isGreaterThan(0.95).isGreaterThanOrEqualTo(before);
        }
    }
}

package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;

/**
 * The default encoder: Atelier's <em>public feature network</em> ({@link FeatureNet} trained on the
 * public split only, see {@code PublicFeatureNetwork}), frozen. Scales: {@code [B,16,32,32]},
 * {@code [B,32,16,16]}, {@code [B,64,8,8]}, {@code [B,128,4,4]}; about 98 k weights.
 */
public final class FeatureNetEncoder implements SketchEncoder {
    public static final String KIND = "featurenet";
    private final FeatureNet net;
    private final ParameterStore store;

    /**
     * @param manager owner of the weights
     * @param params  FeatureNet weights under {@code prefix} (e.g. {@code net} as cached by
     *                {@code PublicFeatureNetwork}, or {@value SketchGan#ENCODER} in a checkpoint)
     */
    public FeatureNetEncoder(NDManager manager, ParamSet params, String prefix) {
        String head = prefix + ".head.weight";
        if (!params.contains(head)) {
            throw new IllegalArgumentException(
                    "not a FeatureNet parameter set: '" + head + "' is missing (" + params.size() + " tensors given)");
        }
        ParamSet own = params.select(n -> n.startsWith(prefix + "."));
        net = new FeatureNet((int) own.get(head).shape()[0]);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, FeatureNet.SIZE, FeatureNet.SIZE));
        int expected = BlockParams.parameters(net, prefix).size();
        int loaded = BlockParams.load(net, prefix, own);
        if (loaded != expected) {
            throw new IllegalArgumentException("FeatureNet parameter set under '" + prefix + "' has " + loaded
                    + " of the " + expected + " tensors the network needs");
        }
        net.freezeParameters(true);
        store = new ParameterStore(manager, false);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] channels() {
        return FeatureNet.CHANNELS.clone();
    }

    @Override
    public NDList features(NDArray x) {
        return net.features(store, x, false);
    }

    @Override
    public ParamSet parameters() {
        return BlockParams.toParamSet(net, SketchGan.ENCODER);
    }
}

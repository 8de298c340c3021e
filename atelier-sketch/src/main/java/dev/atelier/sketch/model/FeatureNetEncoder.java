package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.ConvBnAct;
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
    private final ConvBnAct[] stages;

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
        stages = stages(net);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] channels() {
        return FeatureNet.CHANNELS.clone();
    }

    /**
     * The network's stage outputs, with every 3×3 convolution padded by replicating the edge
     * pixels instead of with zeros: each stage runs on its input extended by 1 px of its own edge
     * and the outer ring of its output is cropped, which is exactly a replicate-padded convolution
     * (BatchNorm and ReLU are per pixel). Zero is mid-grey in [-1,1], so zero padding made a false
     * edge at the canvas border of a garment's black ground or a sketch's paper; the learned
     * kernels are not mirror-symmetric, the left border looked like a garment outline, and the
     * generator drew a dark vertical line along the left border of every sketch (issue 10: with the
     * features mirrored, the line moved to the right border). Costs 13–125% more per stage
     * (the 4×4 stage most): a batch of 8 at 32 px, forward and backward, measured 18.5 instead of
     * 10.2 ms of CPU, about 8 ms more per GAN step (≈ 10%).
     */
    @Override
    public NDList features(NDArray x) {
        NDList out = new NDList(stages.length);
        NDArray h = x;
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            NDArray wide = stages[i]
                    .forward(store, new NDList(EdgePad.replicate(h, 1)), false)
                    .singletonOrThrow();
            h = EdgePad.crop(wide, 1);
            out.add(h);
        }
        return out;
    }

    /** The network's {@code stage1..stageK} children, in order. */
    private static ConvBnAct[] stages(FeatureNet net) {
        ConvBnAct[] out = new ConvBnAct[FeatureNet.CHANNELS.length];
        for (var child : net.getChildren()) {
            for (int i = 0; i < out.length; i++) {
                // DJL keys children as "<index><name>", e.g. "01stage1"
                if (child.getKey().endsWith("stage" + (i + 1))) {
                    out[i] = (ConvBnAct) child.getValue();
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new IllegalStateException("FeatureNet has no child stage" + (i + 1));
            }
        }
        return out;
    }

    @Override
    public ParamSet parameters() {
        return BlockParams.toParamSet(net, SketchGan.ENCODER);
    }
}

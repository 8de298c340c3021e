package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.ConvBnAct;
import dev.atelier.ml.nn.FeatureNet;
import java.util.Map;

/**
 * The default encoder: Atelier's <em>public feature network</em> ({@link FeatureNet} trained on the
 * public split only, see {@code PublicFeatureNetwork}), frozen. Scales: {@code [B,16,32,32]},
 * {@code [B,32,16,16]}, {@code [B,64,8,8]}, {@code [B,128,4,4]}; about 98 k weights.
 */
public final class FeatureNetEncoder implements SketchEncoder {
    public static final String KIND = "featurenet";
    private final FeatureNet net;
    private final Stage[] stages;

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
     * pixels instead of with zeros: each stage is {@code ReLU(BN(conv3×3(EdgePad(h, 1))))} with an
     * unpadded convolution and BatchNorm in inference mode, computed from the stage's own frozen
     * weights. Zero is mid-grey in [-1,1], so zero padding made a false edge at the canvas border
     * of a garment's black ground or a sketch's paper; the learned kernels are not mirror-symmetric,
     * the left border looked like a garment outline, and the generator drew a dark vertical line
     * along the left border of every sketch (issue 10: with the features mirrored, the line moved
     * to the right border). Equal to running the stage block on the map extended by 1 px of its
     * edge and cropping the outer ring (the first form of this fix, 1.8× the zero-padded cost with
     * gradient); pinned by {@code EdgePadTest}.
     */
    @Override
    public NDList features(NDArray x) {
        NDList out = new NDList(stages.length);
        NDArray h = x;
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            h = stages[i].apply(EdgePad.replicate(h, 1));
            out.add(h);
        }
        return out;
    }

    /**
     * One frozen {@code conv3×3 → BatchNorm → ReLU} stage as plain ops on its weights (the block's
     * own forward pads with zeros). Epsilon is DJL's BatchNorm default, which {@link ConvBnAct}
     * keeps.
     */
    private record Stage(NDArray weight, NDArray bias, NDArray mean, NDArray var, NDArray gamma, NDArray beta) {
        private static final float BN_EPSILON = 1e-5f;
        private static final Shape ONE = new Shape(1, 1);
        private static final Shape NONE = new Shape(0, 0);

        /** {@code padded [B, C_in, H+2, W+2]} → {@code [B, C_out, H, W]}. */
        NDArray apply(NDArray padded) {
            NDArray c = Conv2d.conv2d(padded, weight, bias, ONE, NONE, ONE, 1).singletonOrThrow();
            NDArray n = BatchNorm.batchNorm(c, mean, var, gamma, beta, 1, 0.9f, BN_EPSILON, false)
                    .singletonOrThrow();
            return Activation.relu(n);
        }
    }

    /** The network's {@code stage1..stageK} weights, in order, checked to be stride-1 3×3 ReLU stages. */
    private static Stage[] stages(FeatureNet net) {
        Map<String, Parameter> p = BlockParams.parameters(net, "net");
        Stage[] out = new Stage[FeatureNet.CHANNELS.length];
        for (int i = 0; i < out.length; i++) {
            String s = "net.stage" + (i + 1) + ".";
            NDArray w = array(p, s + "conv.weight");
            if (w.getShape().dimension() != 4
                    || w.getShape().get(2) != 3
                    || w.getShape().get(3) != 3) {
                throw new IllegalStateException("FeatureNet stage" + (i + 1) + " is not a 3x3 conv: " + w.getShape());
            }
            out[i] = new Stage(
                    w,
                    array(p, s + "conv.bias"),
                    array(p, s + "bn.runningMean"),
                    array(p, s + "bn.runningVar"),
                    array(p, s + "bn.gamma"),
                    array(p, s + "bn.beta"));
        }
        return out;
    }

    private static NDArray array(Map<String, Parameter> params, String name) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new IllegalStateException("FeatureNet has no parameter " + name);
        }
        return p.getArray();
    }

    @Override
    public ParamSet parameters() {
        return BlockParams.toParamSet(net, SketchGan.ENCODER);
    }
}

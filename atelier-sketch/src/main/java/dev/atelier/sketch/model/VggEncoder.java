package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import dev.atelier.ml.nn.layers.Arrays4d;
import dev.atelier.ml.nn.layers.Scalars;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The paper's encoder: the first {@code blocks} blocks of torchvision's VGG-16 {@code features},
 * loaded from a user-supplied safetensors file (names {@code features.<i>.weight [out,in,3,3]} and
 * {@code features.<i>.bias [out]}, as exported from {@code torchvision.models.vgg16().features};
 * other tensors, such as the classifier's or block 5's, are ignored). Verified equal to torchvision
 * 0.14's forward on a randomly initialised VGG-16 ({@code VggEncoderTorchvisionTest}).
 *
 * <p>Layout per block (conv indices): 1 = {0, 2} → 64 ch, 2 = {5, 7} → 128, 3 = {10, 12, 14} → 256,
 * 4 = {17, 19, 21} → 512; each conv 3×3 padding 1 + ReLU, features taken before each 2×2 max pool.
 * At 32×32 the scales are {@code [B,64,32,32], [B,128,16,16], [B,256,8,8], [B,512,4,4]} (on an
 * N px canvas N, N/2, N/4, N/8). The
 * grayscale input in [-1,1] is mapped to [0,1], replicated to RGB and standardised with ImageNet's
 * channel mean/std, as VGG expects. Weights are plain arrays without gradient (frozen). Much heavier
 * than the default {@link FeatureNetEncoder}: the four blocks cost about 285 M MACs per image, FeatureNet 3.7 M.
 */
public final class VggEncoder implements SketchEncoder {
    public static final String KIND = "vgg16";
    static final int[][] CONVS = {{0, 2}, {5, 7}, {10, 12, 14}, {17, 19, 21}};
    static final int[] CHANNELS = {64, 128, 256, 512};
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private final int blocks;
    private final List<NDArray[]> layers = new ArrayList<>();
    private final NDArray mean;
    private final NDArray std;

    private VggEncoder(NDManager manager, ParamSet weights, String prefix, int blocks, String source) {
        if (blocks < 2 || blocks > CONVS.length) {
            throw new IllegalArgumentException("VGG-16 encoder blocks must be 2.." + CONVS.length + ", got " + blocks);
        }
        this.blocks = blocks;
        long in = 3;
        for (int b = 0; b < blocks; b++) {
            for (int conv : CONVS[b]) {
                long out = CHANNELS[b];
                Tensor w = require(
                        weights, prefix + "features." + conv + ".weight", new long[] {out, in, 3, 3}, b, source);
                Tensor bias = require(weights, prefix + "features." + conv + ".bias", new long[] {out}, b, source);
                layers.add(new NDArray[] {
                    manager.create(w.toFloats(), new Shape(w.shape())), manager.create(bias.toFloats(), new Shape(out))
                });
                in = out;
            }
        }
        mean = manager.create(MEAN, new Shape(1, 3, 1, 1));
        std = manager.create(STD, new Shape(1, 3, 1, 1));
    }

    /**
     * Loads the first {@code blocks} (2..4) VGG-16 blocks from a safetensors file.
     *
     * @throws IllegalArgumentException naming the file and the missing or mis-shaped tensor
     */
    public static VggEncoder load(NDManager manager, Path safetensors, int blocks) throws IOException {
        return new VggEncoder(manager, Safetensors.read(safetensors), "", blocks, safetensors.toString());
    }

    /** The first {@code blocks} blocks from torchvision-named tensors already read (e.g. by {@code sketch train --encoder}). */
    public static VggEncoder of(NDManager manager, ParamSet torchvisionWeights, int blocks, String source) {
        return new VggEncoder(manager, torchvisionWeights, "", blocks, source);
    }

    /** Rebuilds from a checkpoint's {@code encoder.features.*} tensors; the block count is inferred. */
    static VggEncoder fromCheckpoint(NDManager manager, ParamSet params) {
        String prefix = SketchGan.ENCODER + ".";
        int blocks = 0;
        while (blocks < CONVS.length && params.contains(prefix + "features." + CONVS[blocks][0] + ".weight")) {
            blocks++;
        }
        return new VggEncoder(manager, params, prefix, blocks, "checkpoint");
    }

    private static Tensor require(ParamSet p, String name, long[] shape, int block, String source) {
        if (!p.contains(name)) {
            throw new IllegalArgumentException(
                    source + ": VGG-16 weights lack '" + name + "' (needed for block " + (block + 1)
                            + "); expected torchvision vgg16().features tensors such as features.0.weight [64,3,3,3]");
        }
        Tensor t = p.get(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(source + ": '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape) + " for VGG-16 block " + (block + 1));
        }
        return t;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int[] channels() {
        return Arrays.copyOf(CHANNELS, blocks);
    }

    @Override
    public NDList features(NDArray x) {
        Arrays4d.require4d(x, "VGG encoder");
        NDArray h = Scalars.mul(x.add(1f), 0.5f).repeat(1, 3).sub(mean).div(std);
        NDList out = new NDList(blocks);
        int layer = 0;
        for (int b = 0; b < blocks; b++) {
            if (b > 0) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            for (int i = 0; i < CONVS[b].length; i++, layer++) {
                NDArray[] wb = layers.get(layer);
                h = Activation.relu(Conv2d.conv2d(h, wb[0], wb[1], new Shape(1, 1), new Shape(1, 1))
                        .singletonOrThrow());
            }
            out.add(h);
        }
        return out;
    }

    @Override
    public ParamSet parameters() {
        ParamSet.Builder b = ParamSet.builder();
        int layer = 0;
        for (int block = 0; block < blocks; block++) {
            for (int conv : CONVS[block]) {
                NDArray[] wb = layers.get(layer++);
                String base = SketchGan.ENCODER + ".features." + conv;
                b.putF32(base + ".weight", wb[0].getShape().getShape(), wb[0].toFloatArray());
                b.putF32(base + ".bias", wb[1].getShape().getShape(), wb[1].toFloatArray());
            }
        }
        return b.build();
    }
}

package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.ConvBnAct;
import dev.atelier.ml.nn.layers.SpectralNormConv2d;
import java.util.ArrayList;
import java.util.List;

/**
 * FedGAI's style critic: it judges a sketch only by its style statistics, the Gram matrices of its
 * encoder features, so what it learns (and what the federation shares) is style, not content.
 *
 * <pre>
 *   input   [B, K, S, S]   the K scales' normalised Gram matrices resized to S×S ({@link GramMatrix#stack})
 *   h_i     = stage_i(h_{i-1})         stride 2, conv-BN-LeakyReLU          [B, D_i, S/2^i, S/2^i]
 *   feature = mean over space of h_last                                     [B, D_last]  (FedDecorr acts here)
 *   score   = conv1×1(h_last)                                              [B, 1, S/2^n, S/2^n]  (hinge loss)
 *           (+ &lt;e, h_last&gt; per position with {@link SketchGanConfig#criticProjection()})
 * </pre>
 * The projection (Miyato &amp; Koyama 2018, one class per node): the designer's own vector {@code e}
 * (child {@value #DESIGNER}, a bias-free 1×1 conv starting at zero, so the critic starts as the plain
 * one) lets her critic keep its own decision on the features the federation learns from everyone;
 * {@link SketchGan#SHARED_DISC} never shares it.
 * Forward returns {@code NDList(score, feature)}. Children {@code stage<i>} ({@link ConvBnAct}: {@code conv},
 * BN child {@code bn}) and {@code head}; under the prefix {@value SketchGan#DISC} the shared set is
 * {@code include disc.**} + {@code exclude **.bn.**}.
 */
public final class StyleDiscriminator extends AbstractBlock {
    private final List<ConvBnAct> stages = new ArrayList<>();
    /** Child name of the personal designer projection. */
    public static final String DESIGNER = "designer";

    private final Block head;
    private final Block designer;

    public StyleDiscriminator(SketchGanConfig config) {
        int[] ch = config.discChannels();
        for (int i = 0; i < ch.length; i++) {
            stages.add(addChildBlock("stage" + (i + 1), criticStage(ch[i], config)));
        }
        Shape k = new Shape(1, 1);
        head = addChildBlock(
                "head",
                config.spectralNorm()
                        ? SpectralNormConv2d.builder()
                                .setFilters(1)
                                .setKernelShape(k)
                                .build()
                        : Conv2d.builder().setFilters(1).setKernelShape(k).build());
        if (config.criticProjection()) {
            designer = addChildBlock(
                    DESIGNER,
                    Conv2d.builder()
                            .setFilters(1)
                            .setKernelShape(k)
                            .optBias(false)
                            .build());
            designer.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, ai.djl.nn.Parameter.Type.WEIGHT);
        } else {
            designer = null;
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        for (ConvBnAct s : stages) {
            h = s.forward(ps, new NDList(h), training).singletonOrThrow();
        }
        Shape s = h.getShape();
        NDArray feature = h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        NDArray score = head.forward(ps, new NDList(h), training).singletonOrThrow();
        if (designer != null) {
            score = score.add(designer.forward(ps, new NDList(h), training).singletonOrThrow());
        }
        return new NDList(score, feature);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape h = inputShapes[0];
        for (ConvBnAct s : stages) {
            h = s.getOutputShapes(new Shape[] {h})[0];
        }
        return new Shape[] {new Shape(h.get(0), 1, h.get(2), h.get(3)), new Shape(h.get(0), h.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape h = inputShapes[0];
        for (ConvBnAct s : stages) {
            s.initialize(manager, dataType, h);
            h = s.getOutputShapes(new Shape[] {h})[0];
        }
        head.initialize(manager, dataType, h);
        if (designer != null) {
            designer.initialize(manager, dataType, h);
        }
    }

    /**
     * {@code LeakyReLU(BN(conv3×3 stride 2))}, the conv spectrally normalised or plain. Children
     * {@code conv} and {@code bn}, so the sharing rule {@code exclude **.bn.**} keeps exactly the
     * BatchNorm part local.
     */
    private static ConvBnAct criticStage(int filters, SketchGanConfig config) {
        Block conv = config.spectralNorm()
                ? SpectralNormConv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(3, 3))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .build()
                : ConvBnAct.conv(filters, 3, 2);
        return new ConvBnAct(conv, config.leakySlope());
    }
}

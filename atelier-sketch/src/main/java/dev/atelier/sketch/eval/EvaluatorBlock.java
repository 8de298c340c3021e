package dev.atelier.sketch.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.ConvBnAct;
import dev.atelier.ml.nn.ConvStages;

/**
 * The sketch evaluator's network as a DJL block (untrained; {@link EvaluatorCache} trains and caches
 * it, {@link SketchEvaluator} runs it): the stage layout of {@link dev.atelier.ml.nn.FeatureNet} (the GAN's
 * encoder) in a separate class with two classification heads, trained from scratch on different data
 * and targets, so it shares no weights with anything used in a training loss.
 *
 * <p>Four 3×3 {@link ConvBnAct} (ReLU) stages of {@value #W1}, {@value #W2}, {@value #W3},
 * {@value #EMBEDDING} channels at 32, 16, 8, 4 px, 2×2 max pooling between them, global average pooling
 * to the {@value #EMBEDDING}-d <em>embedding</em> (the FSD/KID feature space), then two linear heads:
 * style ({@value #STYLES} styles + {@link #NONE} = "none of them") and garment category
 * ({@value #GARMENTS} classes). Pooling after a full-resolution stage keeps 1 px stroke texture
 * (stipple dots, hatching, grid) visible to the style head.
 *
 * <p>Input {@code [B, 1, 32, 32]} sketches mapped from [0,1] to [-1,1]
 * ({@link dev.atelier.ml.nn.Images#batch}). Output of {@code forward}: {@code [styleLogits [B,9],
 * garmentLogits [B,10], embedding [B,128]]}. About 0.10 M parameters and 3.7 M multiply-adds per
 * sketch: a wider variant (24-48-96) was 0.4 points better on style and 5 on garment on the fixture
 * but twice as slow, and evaluating a demo run embeds ~8 000 sketches.
 */
public final class EvaluatorBlock extends AbstractBlock {
    static final int W1 = 16;
    static final int W2 = 32;
    static final int W3 = 64;
    public static final int EMBEDDING = 128;
    /** Number of designer styles. */
    public static final int STYLES = 8;
    /** Index of the style head's extra "not a sketch in any of the styles" class ({@link NonSketches}). */
    public static final int NONE = STYLES;
    /** Outputs of the style head: the 8 styles, then {@link #NONE}. */
    public static final int STYLE_CLASSES = STYLES + 1;

    public static final int GARMENTS = 10;
    public static final int SIZE = 32;
    private static final int[] CHANNELS = {W1, W2, W3, EMBEDDING};
    private final ConvBnAct[] stages = new ConvBnAct[CHANNELS.length];
    private final Linear styleHead;
    private final Linear garmentHead;

    public EvaluatorBlock() {
        for (int i = 0; i < stages.length; i++) {
            stages[i] = addChildBlock("stage" + (i + 1), ConvBnAct.relu(CHANNELS[i], 3));
        }
        styleHead =
                addChildBlock("style", Linear.builder().setUnits(STYLE_CLASSES).build());
        garmentHead =
                addChildBlock("garment", Linear.builder().setUnits(GARMENTS).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList features = ConvStages.forward(stages, ps, inputs.singletonOrThrow(), training);
        NDArray emb = ConvStages.globalAverage(features.get(features.size() - 1));
        NDArray style = styleHead.forward(ps, new NDList(emb), training).singletonOrThrow();
        NDArray garment = garmentHead.forward(ps, new NDList(emb), training).singletonOrThrow();
        return new NDList(style, garment, emb);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, STYLE_CLASSES), new Shape(b, GARMENTS), new Shape(b, EMBEDDING)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        ConvStages.initialize(stages, CHANNELS, manager, dataType, inputShapes[0]);
        long b = inputShapes[0].get(0);
        styleHead.initialize(manager, dataType, new Shape(b, EMBEDDING));
        garmentHead.initialize(manager, dataType, new Shape(b, EMBEDDING));
    }
}

package dev.atelier.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A small VGG-style CNN for 32×32 grayscale garments: four {@link ConvBnAct} stages of
 * {@code 16, 32, 64, 128} channels with 2×2 max pooling between them, global average pooling and
 * a linear head over {@code numClasses}.
 *
 * <p>Used three ways: as the federated classifier, as the frozen <em>public feature network</em>
 * (the sketch GAN's encoder, in the role VGG-16 plays in FedGAI) and as the evaluator's backbone.
 * Input {@code [B, 1, 32, 32]} scaled to {@code [-1, 1]}; {@link #features} returns the stage
 * outputs before each pooling: {@code [B,16,32,32], [B,32,16,16], [B,64,8,8], [B,128,4,4]}.
 */
public final class FeatureNet extends AbstractBlock {
    public static final int[] CHANNELS = {16, 32, 64, 128};
    public static final int SIZE = 32;
    private final ConvBnAct[] stages = new ConvBnAct[CHANNELS.length];
    private final Linear head;

    public FeatureNet(int numClasses) {
        for (int i = 0; i < stages.length; i++) {
            stages[i] = addChildBlock("stage" + (i + 1), ConvBnAct.relu(CHANNELS[i], 3));
        }
        head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
    }

    /** Stage outputs before each pooling, coarsest last. */
    public NDList features(ParameterStore ps, NDArray x, boolean training) {
        return ConvStages.forward(stages, ps, x, training);
    }

    /** Global-average-pooled last stage, {@code [B, 128]}: the embedding used for semantic losses. */
    public static NDArray embedding(NDList features) {
        return ConvStages.globalAverage(features.get(features.size() - 1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray emb = embedding(features(ps, inputs.singletonOrThrow(), training));
        return head.forward(ps, new NDList(emb), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {
            new Shape(inputShapes[0].get(0), head.getOutputShapes(new Shape[] {new Shape(1, CHANNELS[3])})[0].get(1))
        };
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        ConvStages.initialize(stages, CHANNELS, manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), CHANNELS[3]));
    }
}

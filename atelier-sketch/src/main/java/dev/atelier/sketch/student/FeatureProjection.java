package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Per-scale 1×1 projections from the student decoder's widths to the teacher's, so feature
 * distillation can compare {@code P_s(d_s^student) [B, T_s, H, W]} with {@code d_s^teacher}
 * (FitNets' "regressor", Romero et al., "FitNets: Hints for Thin Deep Nets", ICLR 2015). A scale
 * whose widths already agree is compared directly (identity). Used only while distilling; not part
 * of the deployed student. Children {@code s<i>} (1×1 conv with bias) for each scale i (1 = finest)
 * that needs one.
 */
public final class FeatureProjection extends AbstractBlock {
    private final Conv2d[] convs;

    /**
     * @param studentWidths student decoder widths per scale, finest first
     * @param teacherWidths teacher decoder widths per scale, finest first
     */
    public FeatureProjection(int[] studentWidths, int[] teacherWidths) {
        if (studentWidths.length != teacherWidths.length) {
            throw new IllegalArgumentException(
                    "student has " + studentWidths.length + " scales, teacher " + teacherWidths.length);
        }
        convs = new Conv2d[studentWidths.length];
        for (int s = 0; s < convs.length; s++) {
            if (studentWidths[s] != teacherWidths[s]) {
                convs[s] = addChildBlock(
                        "s" + (s + 1),
                        Conv2d.builder()
                                .setFilters(teacherWidths[s])
                                .setKernelShape(new Shape(1, 1))
                                .build());
            }
        }
    }

    /** {@code P_s(x)} for scale {@code s} (0 = finest): the 1×1 conv, or {@code x} itself when widths agree. */
    public NDArray project(ParameterStore ps, int s, NDArray x, boolean training) {
        return convs[s] == null
                ? x
                : convs[s].forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Inputs: one student feature per scale, finest first; outputs their projections in the same order. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList(inputs.size());
        for (int s = 0; s < inputs.size(); s++) {
            out.add(project(ps, s, inputs.get(s), training));
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[inputShapes.length];
        for (int s = 0; s < out.length; s++) {
            out[s] = convs[s] == null ? inputShapes[s] : convs[s].getOutputShapes(new Shape[] {inputShapes[s]})[0];
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int s = 0; s < convs.length; s++) {
            if (convs[s] != null) {
                convs[s].initialize(manager, dataType, inputShapes[s]);
            }
        }
    }
}

package dev.atelier.sketch.student;

import ai.djl.ndarray.types.Shape;

/**
 * The analytic cost of one layer for one example.
 *
 * @param path    hierarchical name, as in parameter names (e.g. {@code student.block1.conv.dw})
 * @param kind    {@code conv}, {@code conv(groups=G)} or {@code linear}
 * @param input   the layer's input shape without the batch axis, e.g. {@code (12, 32, 32)}
 * @param output  the layer's output shape without the batch axis
 * @param macs    multiply-accumulates per example
 * @param weights number of the layer's parameters (weight and bias)
 */
public record LayerCost(String path, String kind, Shape input, Shape output, long macs, long weights) {}

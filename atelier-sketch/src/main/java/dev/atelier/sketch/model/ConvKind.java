package dev.atelier.sketch.model;

import ai.djl.nn.Block;
import dev.atelier.ml.nn.ConvBnAct;

/**
 * How the MRFM decoder builds its {@code k×k} convolutions: full convolutions for the teacher
 * ({@link #STANDARD}), depthwise-separable ones for the edge student. Parameter names are the same
 * either way ({@code conv}, {@code bn}, ...), so one decoder serves both.
 */
@FunctionalInterface
public interface ConvKind {
    /** Full {@code k×k} convolutions (stride 1, same padding). */
    ConvKind STANDARD = (in, out, k) -> ConvBnAct.conv(out, k, 1);

    /** A {@code k×k}, stride-1, same-padded convolution from {@code in} to {@code out} channels. */
    Block conv(int in, int out, int kernel);

    /** {@code conv → BatchNorm → LeakyReLU(slope)} around {@link #conv}. */
    default ConvBnAct convBnAct(int in, int out, int kernel, float slope) {
        return new ConvBnAct(conv(in, out, kernel), slope);
    }
}

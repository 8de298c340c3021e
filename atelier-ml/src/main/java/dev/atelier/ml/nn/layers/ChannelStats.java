package dev.atelier.ml.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Per-channel sums pooled over batch and space, the sufficient statistics of a channel's mean and
 * standard deviation across many batches (FedGAI's "style statistics" of a sketch set).
 *
 * <p>Accumulate {@link #add} over batches of {@code [B, C, H, W]} feature maps, then read
 * {@link #mean()} and {@link #std()} ({@code float[C]}, biased variance over every value seen).
 * Sums are kept in Java doubles, so nothing native outlives a batch. Not thread-safe.
 */
public final class ChannelStats {
    private final int channels;
    private final double[] sum;
    private final double[] sumSquares;
    private long count;

    public ChannelStats(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        this.channels = channels;
        this.sum = new double[channels];
        this.sumSquares = new double[channels];
    }

    /** Adds every value of a {@code [B, C, H, W]} feature map to its channel's sums. */
    public void add(NDArray features) {
        Shape s = Arrays4d.require4d(features, "ChannelStats");
        if (s.get(1) != channels) {
            throw new IllegalArgumentException("expected " + channels + " channels, got " + s);
        }
        // [B, C, H, W] -> [C, B·H·W], then one-axis reductions (multi-axis mean fails on PyTorch).
        NDArray perChannel = features.transpose(1, 0, 2, 3).reshape(channels, -1);
        float[] s1 = perChannel.sum(new int[] {1}).toFloatArray();
        float[] s2 = perChannel.square().sum(new int[] {1}).toFloatArray();
        for (int c = 0; c < channels; c++) {
            sum[c] += s1[c];
            sumSquares[c] += s2[c];
        }
        count += s.size() / channels;
    }

    /** Values seen per channel. */
    public long count() {
        return count;
    }

    /** Channel means. */
    public float[] mean() {
        requireData();
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = (float) (sum[c] / count);
        }
        return out;
    }

    /** Channel standard deviations (biased), never negative. */
    public float[] std() {
        requireData();
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / count;
            out[c] = (float) Math.sqrt(Math.max(0, sumSquares[c] / count - m * m));
        }
        return out;
    }

    private void requireData() {
        if (count == 0) {
            throw new IllegalStateException("no features added yet");
        }
    }
}

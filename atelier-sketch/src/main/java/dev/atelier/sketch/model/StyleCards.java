package dev.atelier.sketch.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.layers.ChannelStats;
import java.util.ArrayList;
import java.util.List;

/** Computes {@link StyleCard}s from real sketches with a model's frozen encoder. */
final class StyleCards {
    private static final int BATCH = 64;

    private StyleCards() {}

    /** Channel mean/std per encoder scale, pooled over every sketch and position; sketches 32×32 in [0,1]. */
    static StyleCard compute(SketchGan gan, List<float[]> sketches) {
        if (sketches.isEmpty()) {
            throw new IllegalArgumentException("a style card needs at least one sketch");
        }
        int[] channels = gan.encoder().channels();
        List<ChannelStats> stats = new ArrayList<>();
        for (int c : channels) {
            stats.add(new ChannelStats(c));
        }
        for (int start = 0; start < sketches.size(); start += BATCH) {
            int n = Math.min(BATCH, sketches.size() - start);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
            }
            try (NDManager sm = gan.manager().newSubManager()) {
                NDList f = gan.encode(Images.batch(sm, sketches, idx));
                for (int s = 0; s < channels.length; s++) {
                    stats.get(s).add(f.get(s));
                }
            }
        }
        return new StyleCard(
                stats.stream().map(ChannelStats::mean).toList(),
                stats.stream().map(ChannelStats::std).toList());
    }
}

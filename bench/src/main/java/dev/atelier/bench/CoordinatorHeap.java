package dev.atelier.bench;

import dev.atelier.core.aggregate.WeightedMeanAggregator;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;

/**
 * Coordinator heap while folding N replies of a model: replies are produced one at a time (as a
 * transport delivers them), folded, and dropped. Live heap is sampled after a full GC every few
 * replies; with streaming aggregation its maximum is about one model plus the accumulator,
 * independent of N.
 */
public final class CoordinatorHeap {
    private CoordinatorHeap() {}

    /** Result of one measurement. */
    public record Measurement(int replies, long modelBytes, long baselineBytes, long maxLiveBytes) {
        /** Live heap attributable to aggregation (max minus the baseline before it started). */
        public long aggregationBytes() {
            return maxLiveBytes - baselineBytes;
        }
    }

    public static Measurement measure(int replies, int modelMegabytes) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        int n = modelMegabytes * 1024 * 1024 / 4;
        long baseline = liveHeap(mem);
        long max = baseline;
        WeightedMeanAggregator agg = new WeightedMeanAggregator();
        int sampleEvery = Math.max(1, replies / 10);
        for (int r = 0; r < replies; r++) {
            float[] v = new float[n];
            java.util.Arrays.fill(v, r);
            Reply reply = new Reply(
                    "node-" + r,
                    1,
                    ParamSet.builder().put("w", Tensor.f32(new long[] {n}, v)).build(),
                    1,
                    Map.of(),
                    null);
            try {
                agg.accept(reply);
            } catch (dev.atelier.core.filter.RejectedPayloadException e) {
                throw new IllegalStateException("equal-spec replies cannot be refused: " + e.getMessage(), e);
            }
            if (r % sampleEvery == 0 || r == replies - 1) {
                max = Math.max(max, liveHeap(mem));
            }
        }
        ParamSet result = agg.result();
        if (result.get("w").toFloats()[0] != (replies - 1) / 2f) {
            throw new IllegalStateException("aggregation produced a wrong mean");
        }
        return new Measurement(replies, n * 4L, baseline, max);
    }

    private static long liveHeap(MemoryMXBean mem) {
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }
}

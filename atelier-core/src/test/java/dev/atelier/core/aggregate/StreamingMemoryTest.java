package dev.atelier.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The architecture's promise that coordinator memory is O(model), not O(replies × model): after
 * folding 200 replies of a 1M-float (4 MB) model, no reply, parameter set or tensor may still be
 * reachable from the aggregator. Checked with weak references and a GC loop; a negative control
 * shows the same check catches an aggregator that does retain replies.
 */
class StreamingMemoryTest {
    private static final int ELEMENTS = 1 << 20;

    /** Weak handles on everything one reply owns. */
    private record Handles(WeakReference<Reply> reply, WeakReference<ParamSet> params, WeakReference<Tensor> tensor) {
        boolean cleared() {
            return reply.get() == null && params.get() == null && tensor.get() == null;
        }
    }

    /** In its own frame so no local variable keeps the reply alive after it returns. */
    private static Handles foldOne(Aggregator agg, int i, float[] scratch) throws Exception {
        scratch[0] = i;
        Tensor t = Tensor.f32(new long[] {ELEMENTS}, scratch);
        ParamSet p = ParamSet.builder().put("w", t).build();
        Reply r = new Reply("node" + i, 1, p, 1, Map.of(), null);
        agg.accept(r);
        return new Handles(new WeakReference<>(r), new WeakReference<>(p), new WeakReference<>(t));
    }

    private static long stillReachable(List<Handles> handles) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            if (handles.stream().allMatch(Handles::cleared)) {
                return 0;
            }
            System.gc();
            Thread.sleep(20);
        }
        return handles.stream().filter(h -> !h.cleared()).count();
    }

    @Test
    void fedAvgRetainsNoReply() throws Exception {
        WeightedMeanAggregator agg = new WeightedMeanAggregator();
        float[] scratch = new float[ELEMENTS];
        List<Handles> handles = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            handles.add(foldOne(agg, i, scratch));
        }
        assertThat(stillReachable(handles))
                .as("replies still reachable after folding")
                .isZero();
        // The aggregate is still correct: element 0 is the mean of 0..199, the rest are 0.
        float[] mean = agg.result().get("w").toFloats();
        assertThat(mean[0]).isEqualTo(99.5f);
        assertThat(mean[1]).isZero();
    }

    /** Negative control: an aggregator that keeps its replies must be caught by the same check. */
    @Test
    void theCheckDetectsARetainingAggregator() throws Exception {
        List<Reply> kept = new ArrayList<>();
        WeightedMeanAggregator inner = new WeightedMeanAggregator();
        Aggregator retaining = new Aggregator() {
            @Override
            public void accept(Reply reply) throws dev.atelier.core.filter.RejectedPayloadException {
                kept.add(reply);
                inner.accept(reply);
            }

            @Override
            public int accepted() {
                return inner.accepted();
            }

            @Override
            public ParamSet result() {
                return inner.result();
            }
        };
        float[] scratch = new float[ELEMENTS];
        List<Handles> handles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            handles.add(foldOne(retaining, i, scratch));
        }
        assertThat(stillReachable(handles)).isEqualTo(3);
        assertThat(kept).hasSize(3);
    }
}

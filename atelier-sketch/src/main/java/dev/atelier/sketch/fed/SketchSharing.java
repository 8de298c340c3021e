package dev.atelier.sketch.fed;

import dev.atelier.core.filter.GlobFilter;
import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.workload.Workload;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;

/**
 * What a designer's node lets in and out. Out: the critic without its BatchNorm layers
 * ({@code include disc.**}, {@code exclude **.bn.**}) and, only for designers who opt in, their
 * style card ({@code include style.**}); never the generator ({@code gen.**}), the BatchNorm
 * statistics or the encoder. In: only the shared critic, so a coordinator cannot overwrite
 * node-local state. Names follow {@link SketchGan}'s scheme; tests check the filters against the
 * model's real parameter names and the bytes on the wire.
 */
public final class SketchSharing {
    private SketchSharing() {}

    /** The node's outbound filter. */
    public static GlobFilter outbound(boolean shareStyleCard) {
        return shareStyleCard
                ? GlobFilter.of(
                        "include " + SketchGan.DISC + ".**", "include " + StyleCard.PREFIX + ".**", "exclude **.bn.**")
                : SketchGan.SHARED_DISC;
    }

    /** The node's inbound filter: the shared critic only. */
    public static GlobFilter inbound() {
        return SketchGan.SHARED_DISC;
    }

    /**
     * {@code workload} with the sharing filters applied inside it, for node runtimes that wrap a
     * workload without workload-specific filters (the gRPC node). Closing it closes the workload.
     */
    public static Filtered filtered(SketchWorkload workload, boolean shareStyleCard) {
        return new Filtered(workload, inbound(), outbound(shareStyleCard));
    }

    /** A {@link SketchWorkload} behind its sharing filters; see {@link #filtered}. */
    public static final class Filtered implements Workload, AutoCloseable {
        private final SketchWorkload workload;
        private final PayloadFilter in;
        private final PayloadFilter out;

        private Filtered(SketchWorkload workload, PayloadFilter in, PayloadFilter out) {
            this.workload = workload;
            this.in = in;
            this.out = out;
        }

        public SketchWorkload workload() {
            return workload;
        }

        @Override
        public Reply handle(Instruction instruction) throws Exception {
            Reply r = workload.handle(instruction.withParams(in.process(instruction.params())));
            return r.withParams(out.process(r.params()));
        }

        @Override
        public void close() {
            workload.close();
        }
    }
}

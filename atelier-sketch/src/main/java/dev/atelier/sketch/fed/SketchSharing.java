package dev.atelier.sketch.fed;

import dev.atelier.core.filter.GlobFilter;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;

/**
 * What a designer's node lets in and out. Out: the critic without its BatchNorm layers
 * ({@code include disc.**}, {@code exclude **.bn.**}) and, only for designers who opt in, their
 * style card ({@code include style.**}); never the generator ({@code gen.**}), the BatchNorm
 * statistics, the critic's designer projection ({@link SketchGan#DESIGNER_PROJECTION}) or the encoder. In: only the shared critic, so a coordinator cannot overwrite
 * node-local state. Names follow {@link SketchGan}'s scheme; tests check the filters against the
 * model's real parameter names and the bytes on the wire.
 */
public final class SketchSharing {
    private SketchSharing() {}

    /** The node's outbound filter. */
    public static GlobFilter outbound(boolean shareStyleCard) {
        return outbound(shareStyleCard, false);
    }

    /**
     * The node's outbound filter; {@code shareBatchNorm} also lets the critic's BatchNorm layers out
     * ({@link SketchGan#SHARED_DISC_WITH_BN}, an experiment, off by default).
     */
    public static GlobFilter outbound(boolean shareStyleCard, boolean shareBatchNorm) {
        if (shareBatchNorm) {
            return shareStyleCard
                    ? GlobFilter.of(
                            "include " + SketchGan.DISC + ".**",
                            "include " + StyleCard.PREFIX + ".**",
                            "exclude " + SketchGan.DESIGNER_PROJECTION)
                    : SketchGan.SHARED_DISC_WITH_BN;
        }
        return shareStyleCard
                ? GlobFilter.of(
                        "include " + SketchGan.DISC + ".**",
                        "include " + StyleCard.PREFIX + ".**",
                        "exclude **.bn.**",
                        "exclude " + SketchGan.DESIGNER_PROJECTION)
                : SketchGan.SHARED_DISC;
    }

    /** The node's inbound filter: the shared critic only. */
    public static GlobFilter inbound() {
        return inbound(false);
    }

    /** The node's inbound filter, BatchNorm included when {@code shareBatchNorm}. */
    public static GlobFilter inbound(boolean shareBatchNorm) {
        return shareBatchNorm ? SketchGan.SHARED_DISC_WITH_BN : SketchGan.SHARED_DISC;
    }

    /**
     * The node's sharing as middleware: {@link #inbound()} before the workload, {@link #outbound}
     * after it. {@link SketchWorkloadProvider#node} puts it in every sketch node, simulated or deployed.
     */
    public static NodeMiddleware middleware(boolean shareStyleCard) {
        return middleware(shareStyleCard, false);
    }

    /** As {@link #middleware(boolean)}, the critic's BatchNorm layers shared too when {@code shareBatchNorm}. */
    public static NodeMiddleware middleware(boolean shareStyleCard, boolean shareBatchNorm) {
        return NodeMiddleware.filtering(inbound(shareBatchNorm), outbound(shareStyleCard, shareBatchNorm));
    }
}

package dev.atelier.sketch.fed;

import dev.atelier.core.message.TaskKind;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggStage;
import dev.atelier.core.workload.NodeMiddleware;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Designers that drop out of a secure-aggregation round at a given stage, as a real node does
 * (it stops answering): the node fails that stage's instruction. Used by {@code atelier demo
 * --privacy} to show SecAgg+ finishing a round with dropouts, and by tests. Immutable.
 *
 * @param drops who drops, when and where
 */
public record ScriptedDropouts(List<Drop> drops) {
    /** {@code designer} stops answering at {@code stage} of round {@code round} (1-based). */
    public record Drop(String designer, int round, SecAggStage stage) {
        public Drop {
            Objects.requireNonNull(designer, "designer");
            Objects.requireNonNull(stage, "stage");
            if (round < 1) {
                throw new IllegalArgumentException("dropout round must be >= 1, got " + round);
            }
        }
    }

    public ScriptedDropouts {
        drops = List.copyOf(drops);
    }

    public static ScriptedDropouts none() {
        return new ScriptedDropouts(List.of());
    }

    public boolean isEmpty() {
        return drops.isEmpty();
    }

    /** The designers named. */
    public Set<String> designers() {
        Set<String> out = new LinkedHashSet<>();
        drops.forEach(d -> out.add(d.designer()));
        return out;
    }

    /**
     * Fails the scripted stage instructions of run {@code runId} at its node (put it outside the
     * SecAgg middleware); other runs' SecAgg rounds (the secure style-card collection) pass.
     */
    NodeMiddleware middleware(String runId) {
        return (ins, cancel, next) -> {
            if (ins.kind() == TaskKind.SECAGG && ins.runId().equals(runId)) {
                String stage = ins.config().getString(SecAggKeys.STAGE, "");
                for (Drop d : drops) {
                    if (d.designer().equals(ins.nodeId())
                            && d.round() == ins.round()
                            && d.stage().wireName().equals(stage)) {
                        throw new IllegalStateException(
                                "designer " + d.designer() + " dropped out at " + stage + " (scripted)");
                    }
                }
            }
            return next.handle(ins, cancel);
        };
    }
}

package dev.atelier.core.testing;

import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Workload;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** Tiny pure-Java workloads: honest, broken and recording ones. */
public final class Workloads {
    private Workloads() {}

    /** Returns the received parameters plus {@code delta}, reporting {@code examples} and loss = delta. */
    public static Workload shift(float delta, long examples) {
        return (ins, cancel) ->
                reply(ins, Params.map(ins.params(), x -> x + delta), examples, Map.of("loss", (double) delta));
    }

    /** Returns parameters with one NaN element. */
    public static Workload nan() {
        return tamperFirst(t -> {
            float[] v = t.toFloats();
            v[v.length - 1] = Float.NaN;
            return Tensor.f32(t.shape(), v);
        });
    }

    /** Returns the first tensor flattened to one dimension (same element count, wrong shape). */
    public static Workload wrongShape() {
        return tamperFirst(t -> Tensor.of(t.dtype(), new long[] {t.numElements()}, t.data()));
    }

    /** Returns the first tensor's bytes re-labelled as I32 (same size, wrong dtype). */
    public static Workload wrongDtype() {
        return tamperFirst(t -> Tensor.of(DType.I32, t.shape(), t.data()));
    }

    /** Returns the received parameters with the first tensor replaced by {@code tamper(first)}, 1 example. */
    private static Workload tamperFirst(UnaryOperator<Tensor> tamper) {
        return (ins, cancel) -> {
            ParamSet p = ins.params();
            String first = p.names().iterator().next();
            ParamSet changed =
                    ParamSet.builder().put(first, tamper.apply(p.get(first))).build();
            return reply(ins, p.merge(changed), 1, Map.of());
        };
    }

    /** Always throws {@code message}. */
    public static Workload failing(String message) {
        return (ins, cancel) -> {
            throw new IllegalStateException(message);
        };
    }

    /** Returns {@code returned} whatever it receives (e.g. a full model when the federation shares part of it). */
    public static Workload constant(ParamSet returned, long examples) {
        return (ins, cancel) -> reply(ins, returned, examples, Map.of());
    }

    /**
     * Like {@link #shift} but after {@code steps} local steps of {@code stepMillis} each, counted in
     * {@code taken}; a cooperating workload checks the token between steps, the other ignores it.
     */
    public static Workload slow(
            int steps, long stepMillis, boolean cooperating, java.util.concurrent.atomic.AtomicInteger taken) {
        return (ins, cancel) -> {
            for (int i = 0; i < steps; i++) {
                if (cooperating) {
                    cancel.throwIfCancelled();
                }
                Thread.sleep(stepMillis);
                taken.incrementAndGet();
            }
            return reply(ins, Params.map(ins.params(), x -> x + 1), 1, Map.of());
        };
    }

    /**
     * Trains with {@code train}; answers EVALUATE with metrics only: {@code loss} and
     * {@code mean_w} (the mean of the received parameters' first tensor) over {@code heldOut}
     * examples.
     */
    public static Workload evaluating(Workload train, long heldOut, double loss) {
        return (ins, cancel) -> {
            if (ins.kind() != dev.atelier.core.message.TaskKind.EVALUATE) {
                return train.handle(ins, cancel);
            }
            float[] v = ins.params().asMap().values().iterator().next().toFloats();
            double mean = 0;
            for (float x : v) {
                mean += x / (double) v.length;
            }
            return reply(ins, ParamSet.empty(), heldOut, Map.of("loss", loss, "mean_w", mean));
        };
    }

    /** Wraps {@code inner} and keeps every instruction it receives. */
    public static final class Recording implements Workload {
        private final Workload inner;
        private final List<Instruction> seen = new CopyOnWriteArrayList<>();

        public Recording(Workload inner) {
            this.inner = inner;
        }

        @Override
        public Reply handle(Instruction instruction, Cancellation cancel) throws Exception {
            seen.add(instruction);
            return inner.handle(instruction, cancel);
        }

        public List<Instruction> seen() {
            return List.copyOf(seen);
        }
    }

    private static Reply reply(Instruction ins, ParamSet params, long examples, Map<String, Double> metrics) {
        return new Reply(ins.nodeId(), ins.round(), params, examples, metrics, null);
    }
}

package dev.atelier.transport.testing;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Workload;
import java.util.Map;

/**
 * A tiny deterministic pure-Java workload for transport tests: "training" adds a node-specific
 * constant to every weight, so the FedAvg result of any set of nodes is known in closed form.
 *
 * <p>EVALUATE returns metrics only: {@code bias_mean} (mean of the received {@code layer.bias})
 * and {@code node_step} (this node's {@link #step}) over {@link #heldOut} examples, so an
 * example-weighted federated mean is known in closed form too.
 *
 * <p>Config keys: {@code rows}, {@code cols} (model shape), {@code delay_ms} (simulated training
 * time), {@code nan_node} (that node returns a NaN), {@code fail_node} (that node throws).
 */
public final class LinearWorkload implements Workload {
    private final String nodeId;
    private final Config config;

    public LinearWorkload(String nodeId, Config config) {
        this.nodeId = nodeId;
        this.config = config;
    }

    /** The model before round 1. */
    public static ParamSet initial(Config config) {
        int rows = config.getInt("rows", 32);
        int cols = config.getInt("cols", 16);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 97) * 0.001f;
        }
        float[] b = new float[cols];
        return ParamSet.builder()
                .putF32("layer.weight", new long[] {rows, cols}, w)
                .putF32("layer.bias", new long[] {cols}, b)
                .build();
    }

    /** What node {@code nodeId} adds to every parameter per round. */
    public static float step(String nodeId) {
        return 0.01f * (1 + Math.floorMod(nodeId.hashCode(), 5));
    }

    /** Examples the node reports (its FedAvg weight). */
    public static long examples(String nodeId) {
        return 100 + 10L * Math.floorMod(nodeId.hashCode(), 3);
    }

    /** Held-out examples the node evaluates on (its federated-evaluation weight). */
    public static long heldOut(String nodeId) {
        return 10 + Math.floorMod(nodeId.hashCode(), 7);
    }

    @Override
    public Reply handle(Instruction ins, Cancellation cancel) throws Exception {
        // Sleeps through the token on purpose: a straggler that ignores the deadline, as a DJL step would.
        if (ins.kind() == TaskKind.EVALUATE) {
            float[] bias = ins.params().get("layer.bias").toFloats();
            double mean = 0;
            for (float b : bias) {
                mean += b / (double) bias.length;
            }
            return new Reply(
                    nodeId,
                    ins.round(),
                    ParamSet.empty(),
                    heldOut(nodeId),
                    Map.of("bias_mean", mean, "node_step", (double) step(nodeId)),
                    null);
        }
        long delay = config.getLong("delay_ms", 0);
        if (delay > 0) {
            Thread.sleep(delay);
        }
        if (nodeId.equals(config.getString("fail_node", ""))) {
            throw new IllegalStateException("simulated failure on " + nodeId);
        }
        float add = step(nodeId);
        ParamSet.Builder out = ParamSet.builder();
        boolean poison = nodeId.equals(config.getString("nan_node", ""));
        for (var e : ins.params().asMap().entrySet()) {
            float[] v = e.getValue().toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] += add;
            }
            if (poison) {
                v[0] = Float.NaN;
                poison = false;
            }
            out.put(e.getKey(), Tensor.f32(e.getValue().shape(), v));
        }
        return new Reply(
                nodeId,
                ins.round(),
                out.build(),
                examples(nodeId),
                Map.of("loss", 1.0 / ins.round(), "step", (double) add),
                null);
    }
}

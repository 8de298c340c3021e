package dev.atelier.bench;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggNode;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.core.workload.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./atelier bench privacy}: the cost of SecAgg+ next to plain FedAvg in the same JVM run.
 * For each node count, one round of plain FedAvg and one SecAgg+ round over the same nodes and
 * model (a {@code --params}-element F32 vector, a pure-Java workload that adds a node-specific
 * pattern) on the in-process transport, which encodes every payload as the network would and
 * counts its bytes. Prints wall time, bytes by direction, and the largest difference between the two
 * global models (the quantisation error). {@code --drop} fraction of the nodes die at the collect
 * stage (after sharing keys), so the unmasking cost of dropouts is in the numbers.
 */
@Command(
        name = "privacy",
        mixinStandardHelpOptions = true,
        description = "SecAgg+ vs plain FedAvg: time and bytes per round for 10, 50, 100 nodes.")
public final class PrivacyBench implements Callable<Integer> {
    @Option(names = "--nodes", split = ",", defaultValue = "10,50,100", description = "Node counts.")
    int[] nodeCounts;

    @Option(names = "--params", defaultValue = "1000000", description = "Model size in float32 elements.")
    int params;

    @Option(names = "--num-shares", defaultValue = "21", description = "SecAgg share holders per node (odd).")
    int numShares;

    @Option(names = "--drop", defaultValue = "0.1", description = "Share of nodes dying at the collect stage.")
    double drop;

    @Override
    public Integer call() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%6s %-7s %9s %13s %13s %9s %s%n",
                "nodes",
                "mode",
                "round s",
                "to nodes MB",
                "from nodes MB",
                "dropped",
                "max |secagg - plain| / step");
        for (int n : nodeCounts) {
            ParamSet initial = ParamSet.builder()
                    .putF32("w", new long[] {params}, new float[params])
                    .build();
            int dead = (int) Math.floor(drop * n);
            List<Node> nodes = nodes(n, dead);
            Sampling sampling = new Sampling(1.0, n, 1, 0.5);
            Measured plain = measure("plain", n, initial, nodes, sampling, PrivacyOptions.none());
            var sa = new PrivacyOptions.SecAgg(
                    numShares, 0, PrivacyOptions.DEFAULT_CLIP_RANGE, PrivacyOptions.DEFAULT_QUANTIZATION_RANGE);
            // plain FedAvg over the survivors only, for the comparison: dead nodes fail at collect only
            Measured secure = measure(
                    "secagg", n, initial, nodes, sampling, new PrivacyOptions(Optional.of(sa), Optional.empty()));
            float[] a = plainOverSurvivors(n, dead, initial).get("w").toFloats();
            float[] b = secure.global.get("w").toFloats();
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            double step = 2 * PrivacyOptions.DEFAULT_CLIP_RANGE / PrivacyOptions.DEFAULT_QUANTIZATION_RANGE;
            plain.print("");
            secure.print(String.format(Locale.ROOT, "%.2f", max / step));
        }
        return 0;
    }

    private record Measured(
            String mode, int nodes, double seconds, long toNodes, long fromNodes, int dropped, ParamSet global) {
        void print(String extra) {
            System.out.printf(
                    Locale.ROOT,
                    "%6d %-7s %9.2f %13.1f %13.1f %9d %s%n",
                    nodes,
                    mode,
                    seconds,
                    toNodes / 1e6,
                    fromNodes / 1e6,
                    dropped,
                    extra);
        }
    }

    private static Measured measure(
            String mode, int n, ParamSet initial, List<Node> nodes, Sampling sampling, PrivacyOptions p)
            throws Exception {
        InProcessTransport t = new InProcessTransport(nodes);
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("bench-" + mode, 1, 1).withRoundTimeout(Duration.ofHours(1)))
                .setStrategy(new FedAvg(sampling, Config.empty()))
                .setTransport(t)
                .setInitial(initial)
                .optPrivacy(p)
                .build()
                .execute();
        RoundRecord rec = r.rounds().get(0);
        if (!rec.aggregated()) {
            throw new IllegalStateException(mode + " round with " + n + " nodes not aggregated: " + rec.failures());
        }
        long to = 0;
        long from = 0;
        for (WireLedger.PayloadKind k : WireLedger.PayloadKind.values()) {
            to += t.ledger().total(WireLedger.Direction.TO_NODE, k);
            from += t.ledger().total(WireLedger.Direction.FROM_NODE, k);
        }
        int dropped = rec.privacy().map(x -> x.dropped()).orElse(0);
        return new Measured(mode, n, rec.seconds(), to, from, dropped, r.global());
    }

    /** Node i adds {@code 1e-3 (i + 1) sin(j)} to element j; the first {@code dead} die at SecAgg's collect stage. */
    private static List<Node> nodes(int n, int dead) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("node-%03d", i);
            float scale = 1e-3f * (i + 1);
            boolean dies = i < dead;
            NodeMiddleware killer = (ins, cancel, next) -> {
                if (dies && ins.config().getString(SecAggKeys.STAGE, "").equals("secagg.collect_masked_vectors")) {
                    throw new IllegalStateException(ins.nodeId() + " died after sharing keys");
                }
                return next.handle(ins, cancel);
            };
            out.add(new Node(id, List.of(killer, new SecAggNode()), workload(scale)));
        }
        return out;
    }

    private static Workload workload(float scale) {
        return (ins, cancel) -> {
            float[] v = ins.params().get("w").toFloats();
            for (int j = 0; j < v.length; j++) {
                v[j] += scale * (float) Math.sin(j);
            }
            ParamSet p =
                    ParamSet.builder().putF32("w", new long[] {v.length}, v).build();
            return new Reply(ins.nodeId(), ins.round(), p, 100, Map.of(), null);
        };
    }

    /** The exact FedAvg (equal weights) of the nodes that survive SecAgg. */
    private static ParamSet plainOverSurvivors(int n, int dead, ParamSet initial) {
        float[] v = initial.get("w").toFloats();
        double mean = 0;
        for (int i = dead; i < n; i++) {
            mean += 1e-3 * (i + 1);
        }
        mean /= n - dead;
        for (int j = 0; j < v.length; j++) {
            v[j] += (float) (mean * Math.sin(j));
        }
        return ParamSet.builder().putF32("w", new long[] {v.length}, v).build();
    }
}

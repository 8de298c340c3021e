package dev.atelier.zo.zorba;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.zo.alloc.Allocation;
import java.util.List;
import java.util.SortedSet;

/**
 * What {@code atelier zo demo} measured, the content of {@code report.json} and
 * {@code report.html}: per method its test accuracy (95% Wilson interval; under
 * {@link ZorbaDemo#SCORER} since session 9, calibrated before) and loss after each
 * round (round 0 = the base model), per store its budget, whether it took part, its active blocks,
 * its peak memory predicted by the memory model (−1: no model for that client) and measured by the
 * memory protocol (−1: not measured), and its bytes up and down per round; the ZorBA runs'
 * allocations. Bytes are wire-measured for the ZO methods and computed (F32 weights) for
 * first-order FedAvg. Immutable.
 */
public record DemoResult(
        String model,
        long parameters,
        int blocks,
        int testItems,
        int trainItems,
        List<Method> methods,
        double wallSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Test accuracy [low, high] and loss of the global model after {@code round}. */
    public record Point(int round, double accuracy, double low, double high, double loss) {}

    /**
     * One store under one method. {@code upBytes[r]} / {@code downBytes[r]}: round r+1.
     * {@code excluded}: why it was left out (null when it took part).
     */
    public record Client(
            String store,
            long examples,
            long budgetBytes,
            String excluded,
            SortedSet<Integer> blocks,
            long predictedPeak,
            long measuredPeak,
            long[] upBytes,
            long[] downBytes) {}

    /**
     * The last round's model against zero-shot on the same test items under the demo's scorer
     * ({@link ZorbaDemo#SCORER}): the paired difference with its 95% interval and McNemar's exact
     * p ({@code paired}), and whether the two 95% Wilson intervals are separated (this row's
     * lower bound above zero-shot's upper bound).
     */
    public record VsZeroShot(dev.atelier.zo.compare.Paired paired, boolean separated) {}

    /**
     * One row of the comparison. {@code bytesSource}: "wire" or "computed"; {@code allocation}:
     * the first round's allocation (ZorBA rows; null otherwise); {@code vsZeroShot}: null when not
     * computed (reports written before session 9).
     */
    public record Method(
            String name,
            List<Point> points,
            List<Client> clients,
            String bytesSource,
            double secondsPerRound,
            Allocation allocation,
            VsZeroShot vsZeroShot) {
        public Point last() {
            return points.get(points.size() - 1);
        }

        /** The largest measured peak of a participating client (−1: none measured). */
        public long maxMeasuredPeak() {
            return clients.stream()
                    .filter(c -> c.excluded() == null)
                    .mapToLong(Client::measuredPeak)
                    .max()
                    .orElse(-1);
        }

        /** The largest upload of one participating store in one round. */
        public long maxUpload() {
            return clients.stream()
                    .filter(c -> c.excluded() == null)
                    .flatMapToLong(c -> java.util.Arrays.stream(c.upBytes()))
                    .max()
                    .orElse(0);
        }

        public long included() {
            return clients.stream().filter(c -> c.excluded() == null).count();
        }
    }

    /** Parses {@link #toJson}'s output (a {@code report.json}); malformed input fails with one line. */
    public static DemoResult fromJson(String text) {
        try {
            com.fasterxml.jackson.databind.JsonNode o = JSON.readTree(text);
            List<Method> methods = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode n : o.get("methods")) {
                List<Point> points = new java.util.ArrayList<>();
                for (com.fasterxml.jackson.databind.JsonNode p : n.get("rounds")) {
                    points.add(new Point(
                            p.get("round").intValue(),
                            p.get("test_accuracy").doubleValue(),
                            p.get("test_accuracy_low").doubleValue(),
                            p.get("test_accuracy_high").doubleValue(),
                            p.get("test_loss").doubleValue()));
                }
                List<Client> clients = new java.util.ArrayList<>();
                for (com.fasterxml.jackson.databind.JsonNode c : n.get("clients")) {
                    java.util.TreeSet<Integer> blocks = new java.util.TreeSet<>();
                    c.path("blocks").forEach(b -> blocks.add(b.intValue()));
                    clients.add(new Client(
                            c.get("store").asText(),
                            c.get("examples").longValue(),
                            c.get("budget_bytes").longValue(),
                            c.get("included").booleanValue()
                                    ? null
                                    : c.get("excluded").asText(),
                            blocks,
                            c.get("predicted_peak_bytes").longValue(),
                            c.get("measured_peak_bytes").longValue(),
                            longs(c.path("up_bytes_per_round")),
                            longs(c.path("down_bytes_per_round"))));
                }
                methods.add(new Method(
                        n.get("name").asText(),
                        points,
                        clients,
                        n.get("bytes_source").asText(),
                        n.get("seconds_per_round").doubleValue(),
                        n.has("allocation")
                                ? Allocation.fromJson(n.get("allocation").toString())
                                : null,
                        n.has("vs_zero_shot") ? vsZeroShot(n.get("vs_zero_shot")) : null));
            }
            return new DemoResult(
                    o.get("model").asText(),
                    o.get("parameters").longValue(),
                    o.get("blocks").intValue(),
                    o.get("test_items").intValue(),
                    o.get("train_items").intValue(),
                    methods,
                    o.get("wall_seconds").doubleValue());
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a ZorBA demo report: " + e.getMessage());
        }
    }

    private static VsZeroShot vsZeroShot(com.fasterxml.jackson.databind.JsonNode v) {
        return new VsZeroShot(
                new dev.atelier.zo.compare.Paired(
                        v.get("items").intValue(),
                        v.get("gained").intValue(),
                        v.get("lost").intValue(),
                        v.get("difference").doubleValue(),
                        v.get("difference_low").doubleValue(),
                        v.get("difference_high").doubleValue(),
                        v.get("mcnemar_p").doubleValue()),
                v.get("separated").booleanValue());
    }

    private static long[] longs(com.fasterxml.jackson.databind.JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).longValue();
        }
        return out;
    }

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model).put("parameters", parameters).put("blocks", blocks);
        o.put("test_items", testItems).put("train_items", trainItems).put("wall_seconds", wallSeconds);
        ArrayNode ms = o.putArray("methods");
        for (Method m : methods) {
            ObjectNode n = ms.addObject();
            n.put("name", m.name()).put("bytes_source", m.bytesSource()).put("seconds_per_round", m.secondsPerRound());
            ArrayNode ps = n.putArray("rounds");
            for (Point p : m.points()) {
                ps.addObject()
                        .put("round", p.round())
                        .put("test_accuracy", p.accuracy())
                        .put("test_accuracy_low", p.low())
                        .put("test_accuracy_high", p.high())
                        .put("test_loss", p.loss());
            }
            ArrayNode cs = n.putArray("clients");
            for (Client c : m.clients()) {
                ObjectNode x = cs.addObject();
                x.put("store", c.store()).put("examples", c.examples()).put("budget_bytes", c.budgetBytes());
                x.put("included", c.excluded() == null);
                if (c.excluded() != null) {
                    x.put("excluded", c.excluded());
                }
                c.blocks().forEach(x.putArray("blocks")::add);
                x.put("predicted_peak_bytes", c.predictedPeak()).put("measured_peak_bytes", c.measuredPeak());
                for (long b : c.upBytes()) {
                    x.withArray("up_bytes_per_round").add(b);
                }
                for (long b : c.downBytes()) {
                    x.withArray("down_bytes_per_round").add(b);
                }
            }
            if (m.vsZeroShot() != null) {
                dev.atelier.zo.compare.Paired p = m.vsZeroShot().paired();
                n.putObject("vs_zero_shot")
                        .put("items", p.items())
                        .put("gained", p.gained())
                        .put("lost", p.lost())
                        .put("difference", p.difference())
                        .put("difference_low", p.diffLow())
                        .put("difference_high", p.diffHigh())
                        .put("mcnemar_p", p.pValue())
                        .put("separated", m.vsZeroShot().separated());
            }
            if (m.allocation() != null) {
                try {
                    n.set("allocation", JSON.readTree(m.allocation().toJson()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return o.toPrettyString();
    }
}

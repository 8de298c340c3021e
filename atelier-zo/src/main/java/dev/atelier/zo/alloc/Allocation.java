package dev.atelier.zo.alloc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The solved allocation of one round, the record stored with the run: for each admitted client
 * the blocks it activates (x[i][b] = 1), its modelled peak and budget; for each excluded client
 * the reason; the convergence proxy reached ({@code proxy}) and the best one possible
 * ({@code bestProxy}), the total modelled memory, and the settings. {@code lexicographic} is
 * false for the first stage alone. Immutable; {@link #toJson}/{@link #fromJson} round-trip.
 */
public record Allocation(
        int round,
        int blocks,
        List<Assignment> assigned,
        List<Exclusion> excluded,
        long proxy,
        long bestProxy,
        long totalMemory,
        double coverageFloor,
        double epsilon,
        boolean lexicographic) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Client {@code client} activates {@code blocks}; {@code memoryBytes} ≤ {@code budgetBytes}. */
    public record Assignment(
            String client, SortedSet<Integer> blocks, long memoryBytes, long budgetBytes, long examples) {
        public Assignment {
            blocks = Collections.unmodifiableSortedSet(new TreeSet<>(blocks));
        }
    }

    /** A client left out of the round, and why, in one line. */
    public record Exclusion(String client, String reason) {}

    public Allocation {
        assigned = List.copyOf(assigned);
        excluded = List.copyOf(excluded);
    }

    /** The blocks {@code client} activates; empty when it is excluded or unknown. */
    public SortedSet<Integer> blocksOf(String client) {
        return assigned.stream()
                .filter(a -> a.client().equals(client))
                .map(Assignment::blocks)
                .findFirst()
                .orElse(Collections.emptySortedSet());
    }

    public Optional<Exclusion> exclusionOf(String client) {
        return excluded.stream().filter(e -> e.client().equals(client)).findFirst();
    }

    /** The client × block picture: one row per admitted client, 1 where it activates the block. */
    public int[][] matrix() {
        int[][] m = new int[assigned.size()][blocks];
        for (int i = 0; i < m.length; i++) {
            for (int b : assigned.get(i).blocks()) {
                m[i][b] = 1;
            }
        }
        return m;
    }

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("round", round).put("blocks", blocks);
        ArrayNode as = o.putArray("assigned");
        for (Assignment a : assigned) {
            ObjectNode n = as.addObject();
            n.put("client", a.client());
            a.blocks().forEach(n.putArray("blocks")::add);
            n.put("memory_bytes", a.memoryBytes()).put("budget_bytes", a.budgetBytes());
            n.put("examples", a.examples());
        }
        ArrayNode ex = o.putArray("excluded");
        for (Exclusion e : excluded) {
            ex.addObject().put("client", e.client()).put("reason", e.reason());
        }
        o.put("proxy", proxy).put("best_proxy", bestProxy).put("total_memory", totalMemory);
        o.put("coverage_floor", coverageFloor).put("epsilon", epsilon).put("lexicographic", lexicographic);
        return o.toString();
    }

    /** Parses {@link #toJson}'s output; anything malformed or out of range fails with one line. */
    public static Allocation fromJson(String text) {
        try {
            JsonNode o = JSON.readTree(text);
            int blocks = intIn(o, "blocks", 1, 1024);
            List<Assignment> as = new ArrayList<>();
            for (JsonNode n : array(o, "assigned")) {
                SortedSet<Integer> bs = new TreeSet<>();
                for (JsonNode b : array(n, "blocks")) {
                    if (!b.canConvertToInt() || b.intValue() < 0 || b.intValue() >= blocks) {
                        throw new IllegalArgumentException("block " + b + " is outside [0, " + blocks + ")");
                    }
                    bs.add(b.intValue());
                }
                as.add(new Assignment(
                        text(n, "client"),
                        bs,
                        longOf(n, "memory_bytes"),
                        longOf(n, "budget_bytes"),
                        longOf(n, "examples")));
            }
            List<Exclusion> ex = new ArrayList<>();
            for (JsonNode n : array(o, "excluded")) {
                ex.add(new Exclusion(text(n, "client"), text(n, "reason")));
            }
            return new Allocation(
                    intIn(o, "round", 0, Integer.MAX_VALUE),
                    blocks,
                    as,
                    ex,
                    longOf(o, "proxy"),
                    longOf(o, "best_proxy"),
                    longOf(o, "total_memory"),
                    o.path("coverage_floor").asDouble(Double.NaN),
                    o.path("epsilon").asDouble(Double.NaN),
                    o.path("lexicographic").asBoolean());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an allocation record: " + e.getMessage());
        }
    }

    private static JsonNode array(JsonNode o, String field) {
        JsonNode a = o.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array");
        }
        return a;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual() || v.asText().length() > 1024) {
            throw new IllegalArgumentException("'" + field + "' must be a string of at most 1024 characters");
        }
        return v.asText();
    }

    private static long longOf(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToLong() || v.longValue() < 0) {
            throw new IllegalArgumentException("'" + field + "' must be a non-negative integer");
        }
        return v.longValue();
    }

    private static int intIn(JsonNode o, String field, int lo, int hi) {
        long v = longOf(o, field);
        if (v < lo || v > hi) {
            throw new IllegalArgumentException("'" + field + "' " + v + " is outside [" + lo + ", " + hi + "]");
        }
        return (int) v;
    }
}

package dev.atelier.zo.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one measured client does: load {@code modelDir} in {@code mode}, then run {@code steps}
 * ZO steps (ε 1e-3, lr 1e-6) on fresh random batches of {@code rows} × {@code seqLen} token ids,
 * perturbing the decoder blocks {@code activeBlocks}. Travels to the child JVM as one JSON
 * argument. Immutable.
 */
public record ClientJob(
        Path modelDir, SortedSet<Integer> activeBlocks, int rows, int seqLen, int steps, ClientMode mode, long seed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClientJob {
        if (activeBlocks.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one active block");
        }
        activeBlocks = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(activeBlocks));
        if (activeBlocks.first() < 0) {
            throw new IllegalArgumentException("block " + activeBlocks.first() + " is negative");
        }
        if (rows < 1 || rows > 1024 || seqLen < 2 || seqLen > 65536 || steps < 1 || steps > 10_000) {
            throw new IllegalArgumentException("rows " + rows + " (1..1024), sequence length " + seqLen
                    + " (2..65536) and steps " + steps + " (1..10000) must be in range");
        }
    }

    /** The lowest active block: the frozen prefix is blocks [0, lowest). */
    public int lowestActive() {
        return activeBlocks.first();
    }

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", modelDir.toString());
        activeBlocks.forEach(o.putArray("blocks")::add);
        o.put("rows", rows).put("seq", seqLen).put("steps", steps);
        o.put("mode", mode.name()).put("seed", seed);
        return o.toString();
    }

    public static ClientJob fromJson(String text) {
        try {
            JsonNode o = JSON.readTree(text);
            List<Integer> blocks = new ArrayList<>();
            o.get("blocks").forEach(b -> blocks.add(b.intValue()));
            return new ClientJob(
                    Path.of(o.get("model").asText()),
                    new TreeSet<>(blocks),
                    o.get("rows").intValue(),
                    o.get("seq").intValue(),
                    o.get("steps").intValue(),
                    ClientMode.valueOf(o.get("mode").asText()),
                    o.get("seed").longValue());
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a client job: " + e.getMessage());
        }
    }
}

package dev.atelier.zo.alloc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's allocation over a run: the current clients, re-solved ({@link
 * BlockAllocator}) whenever one joins, leaves or reports a new budget, and kept otherwise. Every
 * round's allocation is logged ({@link #history}) for storing with the run. Not thread-safe: the
 * coordinator's round loop owns it.
 */
public final class AllocationSession {
    private final BlockCosts blocks;
    private final double coverageFloor;
    private final double epsilon;
    private final boolean lexicographic;
    private final Residency residency;
    private final Map<String, ClientSpec> clients = new LinkedHashMap<>();
    private final List<Allocation> history = new ArrayList<>();
    private Allocation current;
    private int solves;

    /** Clients holding every block from their lowest active one up ({@link Residency#SUFFIX}). */
    public AllocationSession(BlockCosts blocks, double coverageFloor, double epsilon, boolean lexicographic) {
        this(blocks, coverageFloor, epsilon, lexicographic, Residency.SUFFIX);
    }

    public AllocationSession(
            BlockCosts blocks, double coverageFloor, double epsilon, boolean lexicographic, Residency residency) {
        this.blocks = blocks;
        this.coverageFloor = coverageFloor;
        this.epsilon = epsilon;
        this.lexicographic = lexicographic;
        this.residency = java.util.Objects.requireNonNull(residency, "residency");
    }

    /** Adds a client, or replaces one with the same id. */
    public void join(ClientSpec client) {
        clients.put(client.id(), client);
        current = null;
    }

    public void leave(String id) {
        if (clients.remove(id) == null) {
            throw new IllegalArgumentException("client '" + id + "' is not in the run");
        }
        current = null;
    }

    public void reportBudget(String id, long bytes) {
        ClientSpec c = clients.get(id);
        if (c == null) {
            throw new IllegalArgumentException("client '" + id + "' is not in the run");
        }
        if (c.budgetBytes() != bytes) {
            clients.put(id, c.withBudget(bytes));
            current = null;
        }
    }

    /** The allocation of {@code round}: re-solved if the clients changed since the last one. */
    public Allocation allocate(int round) {
        if (clients.isEmpty()) {
            throw new AllocationException("no clients in the run");
        }
        Allocation a;
        if (current == null) {
            a = BlockAllocator.solve(
                    new AllocationProblem(List.copyOf(clients.values()), blocks, coverageFloor, epsilon, residency),
                    round,
                    lexicographic);
            solves++;
        } else {
            a = new Allocation(
                    round,
                    current.blocks(),
                    current.assigned(),
                    current.excluded(),
                    current.proxy(),
                    current.bestProxy(),
                    current.totalMemory(),
                    coverageFloor,
                    epsilon,
                    lexicographic);
        }
        current = a;
        history.add(a);
        return a;
    }

    /**
     * Appends {@code a} as one JSON line to {@code file} (created if absent), e.g.
     * {@code allocations.jsonl} in the run folder: the per-round log stored with the run.
     */
    public static void append(java.nio.file.Path file, Allocation a) throws java.io.IOException {
        java.nio.file.Files.writeString(
                file,
                a.toJson() + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** Reads a log written by {@link #append}; a malformed line fails naming its number. */
    public static List<Allocation> read(java.nio.file.Path file) throws java.io.IOException {
        List<Allocation> out = new ArrayList<>();
        List<String> lines = java.nio.file.Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(Allocation.fromJson(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Every round's allocation so far, in order. */
    public List<Allocation> history() {
        return List.copyOf(history);
    }

    /** How many times the solver ran (re-solves happen only after a change). */
    public int solves() {
        return solves;
    }
}

package dev.atelier.zo.alloc;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * One round's block-allocation problem (docs/zo.md, "Block allocation"): the clients, the
 * blocks' costs, the coverage floor φ (every block must be activated by clients holding at least
 * ⌈φ·E⌉ of the E examples of all admitted clients, or all the examples of the clients able to hold
 * it when those have fewer) and ε, the slack of the lexicographic second
 * stage (among allocations whose convergence proxy is within (1 + ε) of the best, the least total
 * memory). {@code residency} says how a client's memory follows its set. Immutable; client ids are
 * unique.
 */
public record AllocationProblem(
        List<ClientSpec> clients, BlockCosts blocks, double coverageFloor, double epsilon, Residency residency) {
    /** With {@link Residency#SUFFIX} (clients holding every block from their lowest active one up). */
    public AllocationProblem(List<ClientSpec> clients, BlockCosts blocks, double coverageFloor, double epsilon) {
        this(clients, blocks, coverageFloor, epsilon, Residency.SUFFIX);
    }

    public AllocationProblem {
        java.util.Objects.requireNonNull(residency, "residency");
        clients = List.copyOf(clients);
        if (clients.isEmpty() || clients.size() > 4096) {
            throw new IllegalArgumentException("need 1..4096 clients, got " + clients.size());
        }
        Set<String> ids = new HashSet<>();
        for (ClientSpec c : clients) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("client id '" + c.id() + "' appears twice");
            }
        }
        if (!(coverageFloor > 0 && coverageFloor <= 1)) {
            throw new IllegalArgumentException("coverage floor must be in (0, 1], got " + coverageFloor);
        }
        if (!(epsilon >= 0 && epsilon <= 10)) {
            throw new IllegalArgumentException("epsilon must be in [0, 10], got " + epsilon);
        }
    }

    /** Modelled peak bytes of {@code client} activating {@code active} (non-empty, in range). */
    public long memory(ClientSpec client, SortedSet<Integer> active) {
        if (residency == Residency.SUFFIX) {
            return client.fixedBytes() + blocks.residentFrom(active.first());
        }
        long s = client.fixedBytes();
        for (int b : active) {
            s += blocks.bytes(b);
        }
        return s;
    }

    /** Modelled peak bytes of {@code client} activating block {@code b} alone. */
    public long memoryAlone(ClientSpec client, int b) {
        return client.fixedBytes() + (residency == Residency.SUFFIX ? blocks.residentFrom(b) : blocks.bytes(b));
    }

    /** The block whose activation alone costs least: the top one (SUFFIX), the smallest (ACTIVE). */
    public int cheapestBlock() {
        int nb = blocks.blocks();
        int best = nb - 1;
        for (int b = nb - 1; b >= 0 && residency == Residency.ACTIVE; b--) {
            if (blocks.bytes(b) < blocks.bytes(best)) {
                best = b;
            }
        }
        return best;
    }

    /** The least any allocation can give a client: its cheapest block alone. */
    public long minimumMemory(ClientSpec client) {
        return memoryAlone(client, cheapestBlock());
    }
}

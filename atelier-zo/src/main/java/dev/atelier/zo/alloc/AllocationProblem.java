package dev.atelier.zo.alloc;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One round's block-allocation problem (docs/zo.md, "Block allocation"): the clients, the
 * blocks' costs, the coverage floor φ (every block must be activated by clients holding at least
 * ⌈φ·E⌉ of the E examples of all admitted clients, or all the examples of the clients able to hold
 * it when those have fewer) and ε, the slack of the lexicographic second
 * stage (among allocations whose convergence proxy is within (1 + ε) of the best, the least total
 * memory). Immutable; client ids are unique.
 */
public record AllocationProblem(List<ClientSpec> clients, BlockCosts blocks, double coverageFloor, double epsilon) {
    public AllocationProblem {
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

    /** Peak bytes of {@code client} when its lowest active block is {@code lowest}. */
    public long memory(ClientSpec client, int lowest) {
        return client.fixedBytes() + blocks.residentFrom(lowest);
    }

    /** The least any allocation can give a client: only the top block. */
    public long minimumMemory(ClientSpec client) {
        return memory(client, blocks.blocks() - 1);
    }
}

package dev.atelier.zo.alloc;

import java.util.ArrayList;
import java.util.List;

/**
 * Reference optimum by enumerating every x (2^(clients·blocks)), with the same admission rule
 * and constraints as {@link BlockAllocator}, written independently of it: residency is derived
 * from x (under SUFFIX the lowest active block and everything above, under ACTIVE the active
 * blocks), never chosen.
 */
final class Exhaustive {
    /** The best first-stage proxy, and the least memory among allocations within the ε bound. */
    record Optimum(long bestProxy, long leastMemoryWithinBound, long leastMemoryAtBest) {}

    private Exhaustive() {}

    /** Null when no allocation is feasible. */
    static Optimum solve(AllocationProblem p) {
        int nb = p.blocks().blocks();
        List<ClientSpec> in = new ArrayList<>();
        for (ClientSpec c : p.clients()) {
            boolean any = false;
            for (int b = 0; b < nb; b++) {
                any |= alone(p, c, b) <= c.budgetBytes();
            }
            if (c.examples() > 0 && any) {
                in.add(c);
            }
        }
        int n = in.size();
        if (n == 0 || (long) n * nb > 20) {
            throw new IllegalArgumentException("instance too large or empty for exhaustive search");
        }
        long total = in.stream().mapToLong(ClientSpec::examples).sum();
        long target = (long) Math.ceil(p.coverageFloor() * total - 1e-9);
        long[] floor = new long[nb];
        for (int b = 0; b < nb; b++) {
            long can = 0;
            for (ClientSpec c : in) {
                if (alone(p, c, b) <= c.budgetBytes()) {
                    can += c.examples();
                }
            }
            if (can == 0) {
                return null;
            }
            floor[b] = Math.min(target, can);
        }
        List<long[]> feasible = new ArrayList<>(); // {proxy, memory}
        for (long mask = 0; mask < (1L << (n * nb)); mask++) {
            long proxy = 0;
            long memory = 0;
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                proxy += in.get(i).examples() * p.blocks().alwaysParams();
                int lowest = -1;
                for (int b = 0; b < nb; b++) {
                    if ((mask >> (i * nb + b) & 1) == 1) {
                        if (lowest < 0) {
                            lowest = b;
                        }
                        proxy += in.get(i).examples() * p.blocks().params()[b];
                    }
                }
                if (lowest < 0) {
                    ok = false;
                } else {
                    long mem = in.get(i).fixedBytes();
                    for (int b = lowest; b < nb; b++) {
                        boolean active = (mask >> (i * nb + b) & 1) == 1;
                        if (p.residency() == Residency.SUFFIX || active) {
                            mem += p.blocks().residentBytes()[b];
                        }
                    }
                    ok = mem <= in.get(i).budgetBytes();
                    memory += mem;
                }
            }
            for (int b = 0; b < nb && ok; b++) {
                long cover = 0;
                for (int i = 0; i < n; i++) {
                    if ((mask >> (i * nb + b) & 1) == 1) {
                        cover += in.get(i).examples();
                    }
                }
                ok = cover >= floor[b];
            }
            if (ok) {
                feasible.add(new long[] {proxy, memory});
            }
        }
        if (feasible.isEmpty()) {
            return null;
        }
        long best = feasible.stream().mapToLong(f -> f[0]).min().orElseThrow();
        long bound = best + (long) Math.floor(p.epsilon() * best);
        long within = feasible.stream()
                .filter(f -> f[0] <= bound)
                .mapToLong(f -> f[1])
                .min()
                .orElseThrow();
        long atBest = feasible.stream()
                .filter(f -> f[0] == best)
                .mapToLong(f -> f[1])
                .min()
                .orElseThrow();
        return new Optimum(best, within, atBest);
    }

    /** A client's memory with block {@code b} its only active one. */
    private static long alone(AllocationProblem p, ClientSpec c, int b) {
        long mem = c.fixedBytes();
        for (int j = b; j < p.blocks().blocks(); j++) {
            if (p.residency() == Residency.SUFFIX || j == b) {
                mem += p.blocks().residentBytes()[j];
            }
        }
        return mem;
    }
}

package dev.atelier.zo.alloc;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Solves an {@link AllocationProblem} exactly with OR-Tools CP-SAT (integer arithmetic, proven
 * optimal or an error), in two lexicographic stages (docs/zo.md, "Block allocation"):
 * <ol>
 *   <li>minimise the convergence proxy J1 = Σᵢ nᵢ·(a + Σ_b p_b·x[i][b]) (example-weighted number
 *       of perturbed scalars; a = {@link BlockCosts#alwaysParams}, perturbed by every admitted
 *       client besides its blocks, a constant that widens the ε slack) subject to: every admitted client activates ≥ 1 block; every block is
 *       activated by clients holding ≥ ⌈φ·E⌉ examples (capped at what the clients able to hold
 *       the block have: {@link #floors}); each client's modelled memory ≤ budgetᵢ: with {@link
 *       Residency#SUFFIX} fixedᵢ + Σ_{b ≥ lowest active} bytes_b (residency y[i][b] ≥ x[i][b],
 *       y[i][b] ≥ y[i][b−1]), with {@link Residency#ACTIVE} fixedᵢ + Σ_b bytes_b·x[i][b];
 *   <li>with J1 ≤ J1* + ⌊ε·J1*⌋ added, minimise the total memory Σᵢ Σ_b bytes_b·y[i][b] (y = x
 *       under ACTIVE).
 * </ol>
 * Clients whose budget cannot hold even the top block alone, or with no examples, are excluded
 * first, each with a one-line reason. One solver worker, fixed seed: deterministic. Thread-safe
 * (no state; the native library loads once).
 */
public final class BlockAllocator {
    private static final double TIME_LIMIT_S = 60;

    static {
        Loader.loadNativeLibraries();
    }

    private BlockAllocator() {}

    /** Both stages. */
    public static Allocation solve(AllocationProblem p, int round) {
        return solve(p, round, true);
    }

    /** {@code lexicographic} false: the first stage only (the "without second stage" baseline). */
    public static Allocation solve(AllocationProblem p, int round, boolean lexicographic) {
        int nb = p.blocks().blocks();
        List<ClientSpec> admitted = new ArrayList<>();
        List<Allocation.Exclusion> excluded = new ArrayList<>();
        for (ClientSpec c : p.clients()) {
            long min = p.minimumMemory(c);
            if (c.examples() == 0) {
                excluded.add(new Allocation.Exclusion(c.id(), "no local examples"));
            } else if (min > c.budgetBytes()) {
                excluded.add(new Allocation.Exclusion(
                        c.id(),
                        "budget " + Bytes.show(c.budgetBytes()) + " is below " + Bytes.show(min)
                                + ", the least any block set needs (fixed " + Bytes.show(c.fixedBytes())
                                + " + " + (p.residency() == Residency.SUFFIX ? "top" : "smallest") + " block "
                                + Bytes.show(p.blocks().bytes(p.cheapestBlock())) + ")"));
            } else {
                admitted.add(c);
            }
        }
        if (admitted.isEmpty()) {
            throw new AllocationException("no client can take part: "
                    + excluded.stream().map(e -> e.client() + ": " + e.reason()).toList());
        }
        long[] floor = floors(p, admitted);

        int n = admitted.size();
        boolean[][] holdable = new boolean[n][nb];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < nb; b++) {
                holdable[i][b] =
                        p.memoryAlone(admitted.get(i), b) <= admitted.get(i).budgetBytes();
            }
        }

        // Stage 1. Under SUFFIX, memory depends only on a client's lowest active block, so its
        // budget is exactly "no block it cannot hold alone": no residency variables needed here.
        // Under ACTIVE, the budget is a knapsack row over x (in core).
        CpModel m1 = new CpModel();
        BoolVar[][] x1 = core(m1, p, admitted, floor, holdable);
        breakBlockSymmetry(m1, p, admitted, x1, holdable);
        LinearExpr proxy1 = proxy(p, admitted, x1);
        m1.minimize(proxy1);
        CpSolver s1 = solver();
        CpSolverStatus st = s1.solve(m1);
        if (st == CpSolverStatus.INFEASIBLE) {
            // Under SUFFIX this cannot happen with capped floors (every client activating all blocks
            // it can hold is feasible). Under ACTIVE it can: a client able to hold any one block
            // need not hold them all, so the caps are per block, not joint. Fail naming the floors.
            throw new AllocationException("no allocation covers every block (floors " + java.util.Arrays.toString(floor)
                    + " examples) within the budgets of the " + n + " admitted clients");
        }
        requireOptimal(st, "first stage");
        long best = s1.value(proxy1);
        boolean[][] chosen = read(s1, x1);
        if (lexicographic) {
            // Stage 2 on a fresh model without the symmetry cuts (under SUFFIX blocks differ in
            // memory): residency y[i][b] ≥ x[i][b], y[i][b] ≥ y[i][b−1] (y = x under ACTIVE);
            // minimise Σ bytes·y.
            CpModel m2 = new CpModel();
            BoolVar[][] x = core(m2, p, admitted, floor, holdable);
            boolean suffix = p.residency() == Residency.SUFFIX;
            List<BoolVar> ys = new ArrayList<>();
            List<Long> memW = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                BoolVar prev = null;
                for (int b = 0; b < nb; b++) {
                    BoolVar y = x[i][b];
                    if (suffix) {
                        y = m2.newBoolVar("y_" + i + "_" + b);
                        m2.addImplication(x[i][b], y);
                        if (prev != null) {
                            m2.addImplication(prev, y);
                        }
                    }
                    prev = y;
                    ys.add(y);
                    memW.add(p.blocks().bytes(b));
                    m2.addHint(x[i][b], chosen[i][b] ? 1 : 0);
                }
            }
            m2.addLessOrEqual(proxy(p, admitted, x), Math.addExact(best, (long) Math.floor(p.epsilon() * best)));
            m2.minimize(LinearExpr.weightedSum(ys.toArray(BoolVar[]::new), unbox(memW)));
            CpSolver s2 = solver();
            requireOptimal(s2.solve(m2), "second stage");
            chosen = read(s2, x);
        }
        return build(p, round, admitted, excluded, chosen, best, lexicographic);
    }

    /**
     * x[i][b], fixed to 0 where client i cannot hold block b alone; ≥ 1 block each; under ACTIVE
     * the budget row Σ_b bytes_b·x[i][b] ≤ budgetᵢ − fixedᵢ; coverage floors.
     */
    private static BoolVar[][] core(
            CpModel m, AllocationProblem p, List<ClientSpec> admitted, long[] floor, boolean[][] holdable) {
        int n = admitted.size();
        int nb = p.blocks().blocks();
        BoolVar[][] x = new BoolVar[n][nb];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < nb; b++) {
                x[i][b] = m.newBoolVar("x_" + i + "_" + b);
                if (!holdable[i][b]) {
                    m.addEquality(x[i][b], 0);
                }
            }
            m.addGreaterOrEqual(LinearExpr.sum(x[i]), 1);
            if (p.residency() == Residency.ACTIVE) {
                long[] w = new long[nb];
                for (int b = 0; b < nb; b++) {
                    w[b] = p.blocks().bytes(b);
                }
                ClientSpec c = admitted.get(i);
                m.addLessOrEqual(LinearExpr.weightedSum(x[i], w), c.budgetBytes() - c.fixedBytes());
            }
        }
        for (int b = 0; b < nb; b++) {
            BoolVar[] col = new BoolVar[n];
            long[] w = new long[n];
            for (int i = 0; i < n; i++) {
                col[i] = x[i][b];
                w[i] = admitted.get(i).examples();
            }
            m.addGreaterOrEqual(LinearExpr.weightedSum(col, w), floor[b]);
        }
        return x;
    }

    /** J1 = Σᵢ nᵢ·(a + Σ_b p_b·x[i][b]). */
    private static LinearExpr proxy(AllocationProblem p, List<ClientSpec> admitted, BoolVar[][] x) {
        List<BoolVar> xs = new ArrayList<>();
        List<Long> w = new ArrayList<>();
        long always = 0;
        for (int i = 0; i < x.length; i++) {
            always = Math.addExact(
                    always,
                    Math.multiplyExact(admitted.get(i).examples(), p.blocks().alwaysParams()));
            for (int b = 0; b < x[i].length; b++) {
                xs.add(x[i][b]);
                w.add(Math.multiplyExact(admitted.get(i).examples(), p.blocks().param(b)));
            }
        }
        return LinearExpr.newBuilder()
                .addWeightedSum(xs.toArray(BoolVar[]::new), unbox(w))
                .add(always)
                .build();
    }

    /**
     * In stage 1, neighbouring blocks with the same size (scalars, and bytes under ACTIVE, where
     * they enter the budget rows) and the same set of clients able to hold them are
     * interchangeable, so ordering their coverage (block b ≤ block b+1) keeps an optimum and
     * removes the permutations the solver would otherwise have to rule out one by one.
     */
    private static void breakBlockSymmetry(
            CpModel m, AllocationProblem p, List<ClientSpec> admitted, BoolVar[][] x, boolean[][] holdable) {
        int n = admitted.size();
        long[] w = admitted.stream().mapToLong(ClientSpec::examples).toArray();
        for (int b = 0; b + 1 < p.blocks().blocks(); b++) {
            boolean same = p.blocks().param(b) == p.blocks().param(b + 1)
                    && (p.residency() == Residency.SUFFIX
                            || p.blocks().bytes(b) == p.blocks().bytes(b + 1));
            for (int i = 0; i < n && same; i++) {
                same = holdable[i][b] == holdable[i][b + 1];
            }
            if (same) {
                BoolVar[] lo = new BoolVar[n];
                BoolVar[] hi = new BoolVar[n];
                for (int i = 0; i < n; i++) {
                    lo[i] = x[i][b];
                    hi[i] = x[i][b + 1];
                }
                m.addLessOrEqual(LinearExpr.weightedSum(lo, w), LinearExpr.weightedSum(hi, w));
            }
        }
    }

    private static Allocation build(
            AllocationProblem p,
            int round,
            List<ClientSpec> admitted,
            List<Allocation.Exclusion> excluded,
            boolean[][] chosen,
            long best,
            boolean lexicographic) {
        List<Allocation.Assignment> as = new ArrayList<>();
        long proxy = 0;
        long memory = 0;
        for (int i = 0; i < admitted.size(); i++) {
            ClientSpec c = admitted.get(i);
            TreeSet<Integer> bs = new TreeSet<>();
            proxy += c.examples() * p.blocks().alwaysParams();
            for (int b = 0; b < chosen[i].length; b++) {
                if (chosen[i][b]) {
                    bs.add(b);
                    proxy += c.examples() * p.blocks().param(b);
                }
            }
            long mem = p.memory(c, bs);
            if (mem > c.budgetBytes()) {
                throw new IllegalStateException("solver returned " + mem + " bytes for " + c.id() + " over its budget");
            }
            memory += mem - c.fixedBytes();
            as.add(new Allocation.Assignment(c.id(), bs, mem, c.budgetBytes(), c.examples()));
        }
        return new Allocation(
                round,
                p.blocks().blocks(),
                as,
                excluded,
                proxy,
                best,
                memory + admitted.stream().mapToLong(ClientSpec::fixedBytes).sum(),
                p.coverageFloor(),
                p.epsilon(),
                lexicographic);
    }

    /**
     * Per block, the examples its activating clients must hold: ⌈φ·E⌉ over the admitted clients'
     * E examples, capped at what the clients whose budgets can hold the block have (so a client
     * joining never makes the problem infeasible). A block no admitted client can hold fails here.
     */
    static long[] floors(AllocationProblem p, List<ClientSpec> admitted) {
        long total = admitted.stream().mapToLong(ClientSpec::examples).sum();
        long target = (long) Math.ceil(p.coverageFloor() * total - 1e-9);
        long[] floor = new long[p.blocks().blocks()];
        for (int b = 0; b < floor.length; b++) {
            long can = 0;
            for (ClientSpec c : admitted) {
                if (p.memoryAlone(c, b) <= c.budgetBytes()) {
                    can += c.examples();
                }
            }
            if (can == 0) {
                throw new AllocationException(
                        "block " + b + " fits no admitted client's budget (holding it means holding"
                                + (p.residency() == Residency.SUFFIX
                                        ? " blocks " + b + ".." + (floor.length - 1) + ", "
                                                + Bytes.show(p.blocks().residentFrom(b))
                                        : " " + Bytes.show(p.blocks().bytes(b)))
                                + " plus each client's fixed part)");
            }
            floor[b] = Math.min(target, can);
        }
        return floor;
    }

    private static CpSolver solver() {
        CpSolver s = new CpSolver();
        s.getParameters().setNumWorkers(1).setRandomSeed(7).setMaxTimeInSeconds(TIME_LIMIT_S);
        return s;
    }

    private static void requireOptimal(CpSolverStatus st, String stage) {
        if (st != CpSolverStatus.OPTIMAL) {
            throw new AllocationException(
                    "CP-SAT " + stage + " ended " + st + " within " + TIME_LIMIT_S + " s; no proven optimum");
        }
    }

    private static boolean[][] read(CpSolver s, BoolVar[][] x) {
        boolean[][] out = new boolean[x.length][x.length == 0 ? 0 : x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int b = 0; b < x[i].length; b++) {
                out[i][b] = s.booleanValue(x[i][b]);
            }
        }
        return out;
    }

    private static long[] unbox(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).toArray();
    }
}

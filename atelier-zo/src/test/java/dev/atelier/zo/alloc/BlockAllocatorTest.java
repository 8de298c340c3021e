package dev.atelier.zo.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BlockAllocatorTest {
    private static final long MIB = 1 << 20;

    /** Random small instances: sizes, budgets and examples chosen so some are infeasible. */
    private static AllocationProblem random(long seed, int clients, int blocks, Residency residency) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] params = new long[blocks];
        long[] bytes = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            params[b] = 1 + r.nextInt(5);
            bytes[b] = 4 * params[b] * MIB;
        }
        List<ClientSpec> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long fixed = r.nextInt(20) * MIB;
            cs.add(new ClientSpec("c" + i, fixed + r.nextLong(0, 4 * 5 * blocks + 1) * MIB, r.nextInt(0, 6), fixed));
        }
        // scalars every client perturbs besides its blocks (ZorBA on the head's label rows): 0 or some
        long always = r.nextInt(3) * 4L;
        return new AllocationProblem(
                cs, new BlockCosts(params, bytes, always), 0.2 + 0.2 * r.nextInt(4), 0.1 * r.nextInt(4), residency);
    }

    @Property(tries = 80)
    void bothStagesAreOptimalAgainstExhaustiveSearch(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 3) int clients,
            @ForAll @IntRange(min = 1, max = 4) int blocks,
            @ForAll Residency residency) {
        AllocationProblem p = random(seed, clients, blocks, residency);
        boolean anyAdmitted =
                p.clients().stream().anyMatch(c -> c.examples() > 0 && p.minimumMemory(c) <= c.budgetBytes());
        if (!anyAdmitted) {
            assertThatThrownBy(() -> BlockAllocator.solve(p, 0)).isInstanceOf(AllocationException.class);
            return;
        }
        Exhaustive.Optimum ref = Exhaustive.solve(p);
        if (ref == null) {
            assertThatThrownBy(() -> BlockAllocator.solve(p, 0)).isInstanceOf(AllocationException.class);
            return;
        }
        Allocation first = BlockAllocator.solve(p, 0, false);
        assertThat(first.bestProxy()).isEqualTo(ref.bestProxy());
        assertThat(first.proxy()).isEqualTo(ref.bestProxy());
        Allocation lex = BlockAllocator.solve(p, 0, true);
        assertThat(lex.bestProxy()).isEqualTo(ref.bestProxy());
        assertThat(lex.proxy()).isLessThanOrEqualTo(ref.bestProxy() + (long) Math.floor(p.epsilon() * ref.bestProxy()));
        assertThat(lex.totalMemory()).isEqualTo(ref.leastMemoryWithinBound());
        assertValid(p, lex);
        assertValid(p, first);
    }

    @Property(tries = 15)
    void budgetsAndCoverageHoldOnRoundSizedInstances(@ForAll long seed) {
        // 8 clients × 12 blocks, budgets spanning 4×: the sizes the demo uses.
        SplittableRandom r = new SplittableRandom(seed);
        long block = 28 * MIB;
        List<ClientSpec> cs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long fixed = 200 * MIB;
            cs.add(new ClientSpec("s" + i, fixed + (3 + r.nextInt(10)) * block, 20 + r.nextInt(200), fixed));
        }
        cs.set(0, new ClientSpec("big", 200 * MIB + 12 * block, 100, 200 * MIB));
        cs.set(1, new ClientSpec("poor", 200 * MIB, 50, 200 * MIB));
        AllocationProblem p = new AllocationProblem(cs, BlockCosts.uniform(12, 7_087_872, block), 0.25, 0.1);
        Allocation a = BlockAllocator.solve(p, 3);
        assertValid(p, a);
        assertThat(a.exclusionOf("poor")).isPresent();
        // Block 0 means holding all 12 blocks: only clients whose budgets fit that cover it.
        assertThat(a.assigned().stream().filter(x -> x.blocks().contains(0)))
                .isNotEmpty()
                .allMatch(x -> x.budgetBytes() >= 200 * MIB + 12 * block);
        assertThat(a.round()).isEqualTo(3);
    }

    /** Every admitted client within budget, ≥ 1 block, every block at the floor; memory as modelled. */
    private static void assertValid(AllocationProblem p, Allocation a) {
        long total =
                a.assigned().stream().mapToLong(Allocation.Assignment::examples).sum();
        long target = (long) Math.ceil(p.coverageFloor() * total - 1e-9);
        for (Allocation.Assignment as : a.assigned()) {
            ClientSpec c = p.clients().stream()
                    .filter(x -> x.id().equals(as.client()))
                    .findFirst()
                    .orElseThrow();
            assertThat(as.blocks()).isNotEmpty();
            assertThat(as.memoryBytes()).isEqualTo(p.memory(c, as.blocks()));
            assertThat(as.memoryBytes()).isLessThanOrEqualTo(c.budgetBytes());
        }
        for (int b = 0; b < p.blocks().blocks(); b++) {
            int bb = b;
            long cover = a.assigned().stream()
                    .filter(x -> x.blocks().contains(bb))
                    .mapToLong(Allocation.Assignment::examples)
                    .sum();
            long can = p.clients().stream()
                    .filter(c -> a.blocksOf(c.id()).size() > 0 && p.memoryAlone(c, bb) <= c.budgetBytes())
                    .mapToLong(ClientSpec::examples)
                    .sum();
            assertThat(cover).as("coverage of block %d", b).isGreaterThanOrEqualTo(Math.min(target, can));
        }
        assertThat(a.assigned().size() + a.excluded().size())
                .isEqualTo(p.clients().size());
    }

    @Test
    void aClientWhoseBudgetCannotHoldTheTopBlockIsExcludedWithTheReason() {
        BlockCosts blocks = BlockCosts.uniform(3, 1000, 10 * MIB);
        AllocationProblem p = new AllocationProblem(
                List.of(
                        new ClientSpec("rich", 100 * MIB, 10, 50 * MIB),
                        new ClientSpec("poor", 55 * MIB, 10, 50 * MIB),
                        new ClientSpec("empty", 100 * MIB, 0, 50 * MIB)),
                blocks,
                0.5,
                0);
        Allocation a = BlockAllocator.solve(p, 0);
        assertThat(a.blocksOf("rich")).containsExactly(0, 1, 2);
        assertThat(a.blocksOf("poor")).isEmpty();
        assertThat(a.exclusionOf("poor").orElseThrow().reason())
                .isEqualTo("budget 55.0 MiB is below 60.0 MiB, the least any block set needs"
                        + " (fixed 50.0 MiB + top block 10.0 MiB)");
        assertThat(a.exclusionOf("empty").orElseThrow().reason()).isEqualTo("no local examples");
    }

    @Test
    void aBlockNobodyCanHoldFailsNamingIt() {
        // Both can hold block 2 (and 1), nobody can hold block 0 (all three blocks resident).
        BlockCosts blocks = BlockCosts.uniform(3, 1000, 10 * MIB);
        AllocationProblem p = new AllocationProblem(
                List.of(new ClientSpec("a", 25 * MIB, 5, 0), new ClientSpec("b", 25 * MIB, 5, 0)), blocks, 0.5, 0);
        assertThatThrownBy(() -> BlockAllocator.solve(p, 0))
                .isInstanceOf(AllocationException.class)
                .hasMessage("block 0 fits no admitted client's budget (holding it means holding blocks 0..2,"
                        + " 30.0 MiB plus each client's fixed part)");
    }

    @Test
    void theSecondStageTradesProxySlackForLessMemory() {
        // Block 0 perturbs 2 scalars, block 1 one; holding block 0 means holding both (20 MiB).
        // J1-optimal: the two small clients cover block 0 (J1 = 8, memory 60 MiB). Within ε = 0.2
        // the big client covering block 0 alone (J1 = 9) needs only 50 MiB.
        BlockCosts blocks = new BlockCosts(new long[] {2, 1}, new long[] {10 * MIB, 10 * MIB});
        List<ClientSpec> cs = List.of(
                new ClientSpec("A", 1 << 30, 3, 0),
                new ClientSpec("B", 1 << 30, 1, 0),
                new ClientSpec("C", 1 << 30, 1, 0),
                new ClientSpec("D", 1 << 30, 1, 0));
        AllocationProblem p = new AllocationProblem(cs, blocks, 1.0 / 3, 0.2);
        Allocation first = BlockAllocator.solve(p, 0, false);
        Allocation lex = BlockAllocator.solve(p, 0, true);
        Exhaustive.Optimum ref = Exhaustive.solve(p);
        assertThat(first.proxy()).isEqualTo(8).isEqualTo(ref.bestProxy());
        assertThat(first.totalMemory()).isEqualTo(60 * MIB).isEqualTo(ref.leastMemoryAtBest());
        assertThat(lex.proxy()).isEqualTo(9);
        assertThat(lex.totalMemory()).isEqualTo(50 * MIB).isEqualTo(ref.leastMemoryWithinBound());
        assertThat(lex.blocksOf("A")).containsExactly(0);
        assertThat(first.blocksOf("A")).doesNotContain(0);
        assertThat(lex.matrix()).isNotEqualTo(first.matrix());
    }

    @Test
    void underActiveResidencyTheSecondStageTradesProxySlackForFewerHeldBlocks() {
        // Three equal blocks, each needing 4 of the 9 examples. One block each is not enough for
        // the third block: B and C both taking it (J1 = 13, five held blocks) beats A taking it
        // (J1 = 14, four held blocks) on the proxy, and loses on memory.
        AllocationProblem p = new AllocationProblem(
                List.of(
                        new ClientSpec("A", 1 << 30, 5, 0),
                        new ClientSpec("B", 1 << 30, 2, 0),
                        new ClientSpec("C", 1 << 30, 2, 0)),
                BlockCosts.uniform(3, 1, 10 * MIB),
                4.0 / 9,
                0.1,
                Residency.ACTIVE);
        Allocation first = BlockAllocator.solve(p, 0, false);
        Allocation lex = BlockAllocator.solve(p, 0, true);
        Exhaustive.Optimum ref = Exhaustive.solve(p);
        assertThat(first.proxy()).isEqualTo(13).isEqualTo(ref.bestProxy());
        assertThat(first.totalMemory()).isEqualTo(50 * MIB).isEqualTo(ref.leastMemoryAtBest());
        assertThat(lex.proxy()).isEqualTo(14);
        assertThat(lex.totalMemory()).isEqualTo(40 * MIB).isEqualTo(ref.leastMemoryWithinBound());
        assertThat(lex.blocksOf("A")).hasSize(2);
        assertThat(first.blocksOf("A")).hasSize(1);
    }

    @Test
    void underActiveResidencyABudgetHoldsAsManyBlocksAsItsBytesAllowAnywhere() {
        // "low" holds any one block (30 MiB fixed + 10): under SUFFIX it could only take the top one.
        List<ClientSpec> cs = List.of(
                new ClientSpec("low", 40 * MIB, 10, 30 * MIB),
                new ClientSpec("poor", 39 * MIB, 10, 30 * MIB),
                new ClientSpec("rich", 1 << 30, 20, 30 * MIB));
        AllocationProblem p = new AllocationProblem(cs, BlockCosts.uniform(3, 5, 10 * MIB), 0.5, 0, Residency.ACTIVE);
        Allocation a = BlockAllocator.solve(p, 0);
        assertThat(a.blocksOf("low")).hasSize(1);
        assertThat(a.assigned().stream()
                        .filter(x -> x.client().equals("low"))
                        .findFirst()
                        .orElseThrow()
                        .memoryBytes())
                .isEqualTo(40 * MIB);
        assertThat(a.exclusionOf("poor").orElseThrow().reason())
                .isEqualTo("budget 39.0 MiB is below 40.0 MiB, the least any block set needs"
                        + " (fixed 30.0 MiB + smallest block 10.0 MiB)");
        // the floor (15 of 30 examples) needs "rich" on all three blocks
        assertThat(a.blocksOf("rich")).containsExactly(0, 1, 2);
        assertValid(p, a);
        // Capped floors do not make ACTIVE instances feasible: "low" could hold any block, not all.
        AllocationProblem tight = new AllocationProblem(
                List.of(new ClientSpec("low", 40 * MIB, 10, 30 * MIB), new ClientSpec("rich", 1 << 30, 1, 30 * MIB)),
                BlockCosts.uniform(3, 5, 10 * MIB),
                0.5,
                0,
                Residency.ACTIVE);
        assertThatThrownBy(() -> BlockAllocator.solve(tight, 0))
                .isInstanceOf(AllocationException.class)
                .hasMessageStartingWith("no allocation covers every block (floors [6, 6, 6] examples)");
    }

    @Test
    void theRecordRoundTripsThroughJsonAndRefusesBadBlocks() {
        AllocationProblem p = random(11, 3, 4, Residency.SUFFIX);
        Allocation a = BlockAllocator.solve(
                new AllocationProblem(
                        List.of(
                                new ClientSpec("x", 1 << 30, 4, 0),
                                new ClientSpec("y", 1 << 30, 2, 0),
                                new ClientSpec("tiny", 1, 2, 0)),
                        p.blocks(),
                        0.5,
                        0.1),
                7);
        Allocation back = Allocation.fromJson(a.toJson());
        assertThat(back).usingRecursiveComparison().isEqualTo(a);
        assertThat(back.exclusionOf("tiny")).isPresent();
        String bad = a.toJson().replaceFirst("\"blocks\":\\[", "\"blocks\":[99,");
        assertThatThrownBy(() -> Allocation.fromJson(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block 99 is outside [0, 4)");
        assertThat(Set.copyOf(
                        a.assigned().stream().map(Allocation.Assignment::client).toList()))
                .containsExactlyInAnyOrder("x", "y");
    }
}

package dev.atelier.zo.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllocationSessionTest {
    private static final long MIB = 1 << 20;

    @Test
    void reSolvesOnJoinLeaveAndNewBudgetOnly() throws Exception {
        // 4 blocks of 10 MiB, fixed 20 MiB per client; floor 0.5 of the examples.
        AllocationSession s = new AllocationSession(BlockCosts.uniform(4, 100, 10 * MIB), 0.5, 0.1, true);
        s.join(new ClientSpec("big", 60 * MIB, 10, 20 * MIB));
        Allocation r0 = s.allocate(0);
        assertThat(r0.blocksOf("big")).containsExactly(0, 1, 2, 3);
        assertThat(s.allocate(1).assigned()).isEqualTo(r0.assigned());
        assertThat(s.solves()).isEqualTo(1);

        // A client with more data that can hold only the top two blocks joins: the floor (15 of 30
        // examples) makes it cover them, while block 0 and 1 stay with big, the only one able to.
        s.join(new ClientSpec("small", 40 * MIB, 20, 20 * MIB));
        Allocation r2 = s.allocate(2);
        assertThat(s.solves()).isEqualTo(2);
        assertThat(r2.blocksOf("small")).containsExactly(2, 3);
        assertThat(r2.blocksOf("big")).containsExactly(0, 1);
        assertThat(r2.assigned()).allMatch(a -> a.memoryBytes() <= a.budgetBytes());

        // Its budget drops below fixed + top block: excluded, big covers everything again.
        s.reportBudget("small", 25 * MIB);
        Allocation r3 = s.allocate(3);
        assertThat(r3.exclusionOf("small")).isPresent();
        assertThat(r3.blocksOf("big")).containsExactly(0, 1, 2, 3);

        s.reportBudget("small", 25 * MIB); // unchanged: no re-solve
        s.allocate(4);
        assertThat(s.solves()).isEqualTo(3);

        s.reportBudget("small", 40 * MIB);
        s.leave("big");
        // Now nobody can hold block 0: the run cannot be allocated, and says which block.
        assertThatThrownBy(() -> s.allocate(5))
                .isInstanceOf(AllocationException.class)
                .hasMessageStartingWith("block 0 fits no admitted client's budget");
        assertThat(s.history()).extracting(Allocation::round).containsExactly(0, 1, 2, 3, 4);

        java.nio.file.Path log = dir.resolve("allocations.jsonl");
        for (Allocation a : s.history()) {
            AllocationSession.append(log, a);
        }
        assertThat(AllocationSession.read(log))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(s.history());
        java.nio.file.Files.writeString(log, "{\"round\": 1}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> AllocationSession.read(log)).hasMessageContaining("line 6: not an allocation record");
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;
}

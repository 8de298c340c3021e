package dev.atelier.zo.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The JVM's non-heap runtime at one instant, from the memory-pool beans: committed bytes of
 * metaspace (with the compressed class space) and of the JIT code heaps. The memory protocol
 * reports their growth over a client's load and steps, the runtime part of its peak that is
 * neither weights nor activations. Immutable.
 */
record JvmPools(long metaspace, long codeCache) {
    static JvmPools read() {
        long meta = 0;
        long code = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() != MemoryType.NON_HEAP) {
                continue;
            }
            long committed = p.getUsage().getCommitted();
            if (p.getName().startsWith("CodeHeap") || p.getName().equals("Code Cache")) {
                code += committed;
            } else if (p.getName().contains("Metaspace") || p.getName().contains("Class Space")) {
                meta += committed;
            }
        }
        return new JvmPools(meta, code);
    }

    /** Committed bytes of the young generation's eden (0 when the collector has no such pool). */
    static long edenCommitted() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getName().contains("Eden"))
                .mapToLong(p -> p.getUsage().getCommitted())
                .sum();
    }

    /** Committed metaspace plus code-heap bytes added since {@code earlier} (≥ 0 per pool). */
    long runtimeGrowth(JvmPools earlier) {
        return Math.max(0, metaspace - earlier.metaspace) + Math.max(0, codeCache - earlier.codeCache);
    }
}

package dev.atelier.ml.engine;

import java.util.List;

/**
 * The PyTorch engine's thread counts, which DJL reads from two system properties once, when the
 * engine starts (the JVM's first tensor): so every setter here must run before that. The one place
 * that spells the property names; the policies (a node's share of the cores, one thread for the
 * single-JVM sketch commands, a benchmark's {@code --threads}) live with their commands. Stateless.
 */
public final class PyTorchThreads {
    /** Intra-op threads (one operation split across cores). */
    public static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    /** Inter-op threads (independent operations at once). */
    public static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private PyTorchThreads() {}

    /** The intra-op count the user set with {@code -Dai.djl.pytorch.num_threads}, or null. */
    public static Integer configuredIntraOp() {
        return Integer.getInteger(INTRA_OP);
    }

    /**
     * Sets {@code intraOp} intra-op threads, and one inter-op thread unless the user set that: every
     * operation of our small networks is sequential, so a second inter-op thread only adds switches.
     */
    public static void set(int intraOp) {
        if (intraOp < 1) {
            throw new IllegalArgumentException("PyTorch threads must be >= 1, got " + intraOp);
        }
        System.setProperty(INTRA_OP, Integer.toString(intraOp));
        setIfAbsent(INTER_OP, 1);
    }

    /** Sets both counts to {@code n} where the user has not set them. */
    public static void defaultTo(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("PyTorch threads must be >= 1, got " + n);
        }
        setIfAbsent(INTRA_OP, n);
        setIfAbsent(INTER_OP, n);
    }

    /** The {@code -D} flags that give a child JVM {@code intraOp} intra-op and one inter-op thread. */
    public static List<String> jvmFlags(int intraOp) {
        if (intraOp < 1) {
            throw new IllegalArgumentException("PyTorch threads must be >= 1, got " + intraOp);
        }
        return List.of("-D" + INTRA_OP + "=" + intraOp, "-D" + INTER_OP + "=1");
    }

    private static void setIfAbsent(String property, int n) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(n));
        }
    }
}

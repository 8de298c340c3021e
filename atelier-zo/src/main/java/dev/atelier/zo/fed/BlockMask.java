package dev.atelier.zo.fed;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which parameters one seed's update touches, as it travels in the update history: {@link #FULL}
 * (0) is every parameter of the model (FedKSeed); any other value is a set of decoder blocks, bit
 * b for block b (ZorBA), and then only those blocks' tensors move: embeddings, final norm and head
 * stay frozen. At most {@link #MAX_BLOCKS} blocks. Stateless.
 */
public final class BlockMask {
    /** Every parameter. */
    public static final long FULL = 0;
    /** Blocks a mask can name (bit 63 stays clear so masks are positive and sort as numbers). */
    public static final int MAX_BLOCKS = 63;

    private BlockMask() {}

    /** The mask of {@code blocks} (non-empty, each in [0, {@link #MAX_BLOCKS})). */
    public static long of(SortedSet<Integer> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a block mask needs at least one block");
        }
        long m = 0;
        for (int b : blocks) {
            if (b < 0 || b >= MAX_BLOCKS) {
                throw new IllegalArgumentException("block " + b + " is outside [0, " + MAX_BLOCKS + ")");
            }
            m |= 1L << b;
        }
        return m;
    }

    /** The blocks of a non-full mask, ascending. */
    public static SortedSet<Integer> blocks(long mask) {
        check(mask, Integer.MAX_VALUE);
        TreeSet<Integer> out = new TreeSet<>();
        for (int b = 0; b < MAX_BLOCKS; b++) {
            if ((mask & (1L << b)) != 0) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * Refuses a mask naming a block the model lacks (or a negative one).
     *
     * @param blocks the model's number of decoder blocks
     */
    public static void check(long mask, int blocks) {
        if (mask < 0) {
            throw new IllegalArgumentException("block mask " + mask + " is negative");
        }
        int limit = Math.min(blocks, MAX_BLOCKS);
        if (mask != FULL && (mask >>> limit) != 0) {
            throw new IllegalArgumentException(
                    "block mask " + Long.toBinaryString(mask) + " names a block outside [0, " + limit + ")");
        }
    }

    /** Comma-separated blocks, as the instruction config carries them ("" for FULL). */
    public static String text(long mask) {
        return mask == FULL
                ? ""
                : String.join(",", blocks(mask).stream().map(String::valueOf).toList());
    }

    /** Parses {@link #text}; blank is FULL. */
    public static long parse(String text, int blocks) {
        if (text == null || text.isBlank()) {
            return FULL;
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (String part : text.split(",", -1)) {
            try {
                set.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("block list '" + text + "' is not comma-separated integers");
            }
        }
        if (set.last() >= blocks) {
            throw new IllegalArgumentException("block " + set.last() + " is outside the model's " + blocks + " blocks");
        }
        return of(set);
    }
}

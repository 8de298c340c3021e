package dev.atelier.zo.fed;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A node's training reply payload: its local steps as (seed index, projected gradient g) pairs,
 * nothing else. Format (big-endian): version byte {@code 1}, unsigned 16-bit count n, then n times
 * an unsigned 16-bit pool index and the IEEE-754 binary64 g: 3 + 10·n bytes (8 steps: 83 bytes).
 * {@link #decode} trusts nothing: exact length, indices below the pool size and distinct, g finite
 * and within ±maxAbsG. Stateless.
 */
public final class ScalarPairs {
    /** One local step on the wire. */
    public record Pair(int index, double g) {}

    static final byte VERSION = 1;
    static final int HEADER = 3;
    static final int PER_PAIR = 10;
    /** At most this many pairs in one reply (the count field's range). */
    public static final int MAX_PAIRS = 0xFFFF;

    private ScalarPairs() {}

    public static byte[] encode(List<Pair> pairs) {
        if (pairs.size() > MAX_PAIRS) {
            throw new IllegalArgumentException(pairs.size() + " pairs exceed the " + MAX_PAIRS + " a reply can hold");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + PER_PAIR * pairs.size());
        b.put(VERSION).putShort((short) pairs.size());
        for (Pair p : pairs) {
            if (p.index() < 0 || p.index() >= SeedPool.MAX_K) {
                throw new IllegalArgumentException("seed index " + p.index() + " does not fit 16 bits");
            }
            b.putShort((short) p.index()).putDouble(p.g());
        }
        return b.array();
    }

    /**
     * Parses a reply payload.
     *
     * @param k        pool size: every index must be below it
     * @param maxAbsG  bound on |g|
     * @param maxPairs at most this many pairs (the node's assigned steps)
     * @throws IllegalArgumentException one line saying what is wrong
     */
    public static List<Pair> decode(byte[] payload, int k, double maxAbsG, int maxPairs) {
        if (payload.length < HEADER) {
            throw new IllegalArgumentException(
                    "scalar payload of " + payload.length + " bytes is shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("scalar payload version " + version + " (expected " + VERSION + ")");
        }
        int n = Short.toUnsignedInt(b.getShort());
        if (n > maxPairs) {
            throw new IllegalArgumentException(
                    "scalar payload holds " + n + " pairs, more than the " + maxPairs + " seeds assigned");
        }
        if (payload.length != HEADER + (long) PER_PAIR * n) {
            throw new IllegalArgumentException("scalar payload of " + payload.length + " bytes does not hold exactly "
                    + n + " pairs (" + (HEADER + PER_PAIR * n) + " bytes)");
        }
        List<Pair> out = new ArrayList<>(n);
        BitSet seen = new BitSet();
        for (int i = 0; i < n; i++) {
            int index = Short.toUnsignedInt(b.getShort());
            double g = b.getDouble();
            if (index >= k) {
                throw new IllegalArgumentException("seed index " + index + " is outside the pool [0, " + k + ")");
            }
            if (seen.get(index)) {
                throw new IllegalArgumentException("seed index " + index + " appears twice");
            }
            seen.set(index);
            if (!Double.isFinite(g) || Math.abs(g) > maxAbsG) {
                throw new IllegalArgumentException("g of seed " + index + " is " + g + ", outside ±" + maxAbsG);
            }
            out.add(new Pair(index, g));
        }
        return out;
    }
}

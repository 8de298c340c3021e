package dev.atelier.zo.alloc;

import java.util.Arrays;

/**
 * Per decoder block b: {@code params[b]}, the number of scalars a client perturbs when it
 * activates b, and {@code residentBytes[b]}, what holding b in memory costs (F32: 4·params). A
 * client that activates blocks from k up holds blocks [k, L) resident; the frozen prefix below
 * k stays on disk (docs/zo.md, "Client memory model"). Immutable.
 */
public record BlockCosts(long[] params, long[] residentBytes) {
    public BlockCosts {
        if (params.length == 0 || params.length != residentBytes.length || params.length > 1024) {
            throw new IllegalArgumentException("need 1..1024 blocks with one param count and one byte size each");
        }
        for (int b = 0; b < params.length; b++) {
            if (params[b] < 1 || params[b] > (1L << 40) || residentBytes[b] < 0 || residentBytes[b] > (1L << 42)) {
                throw new IllegalArgumentException(
                        "block " + b + ": params " + params[b] + " or bytes " + residentBytes[b] + " out of range");
            }
        }
        params = params.clone();
        residentBytes = residentBytes.clone();
    }

    /** Every one of {@code blocks} blocks with the same size (uniform decoder stacks). */
    public static BlockCosts uniform(int blocks, long params, long residentBytes) {
        long[] p = new long[blocks];
        long[] r = new long[blocks];
        Arrays.fill(p, params);
        Arrays.fill(r, residentBytes);
        return new BlockCosts(p, r);
    }

    public int blocks() {
        return params.length;
    }

    @Override
    public long[] params() {
        return params.clone();
    }

    @Override
    public long[] residentBytes() {
        return residentBytes.clone();
    }

    long param(int b) {
        return params[b];
    }

    long bytes(int b) {
        return residentBytes[b];
    }

    /** Bytes of blocks [from, L) together. */
    public long residentFrom(int from) {
        long s = 0;
        for (int b = from; b < params.length; b++) {
            s += residentBytes[b];
        }
        return s;
    }
}

package dev.atelier.zo.alloc;

import java.util.Arrays;

/**
 * Per decoder block b: {@code params[b]}, the number of scalars a client perturbs when it
 * activates b, and {@code residentBytes[b]}, what holding b in memory costs (F32: 4·params). A
 * client that activates blocks from k up holds blocks [k, L) resident; the frozen prefix below
 * k stays on disk (docs/zo.md, "Client memory model"). {@code alwaysParams}: scalars every
 * admitted client perturbs besides its blocks (ZorBA on the head's label rows, {@code
 * zo.always_trainable}; 0 = none), part of the convergence proxy but not of memory (the head is
 * always resident). Immutable.
 */
public record BlockCosts(long[] params, long[] residentBytes, long alwaysParams) {
    /** Blocks only: nothing perturbed besides them. */
    public BlockCosts(long[] params, long[] residentBytes) {
        this(params, residentBytes, 0);
    }

    public BlockCosts {
        if (alwaysParams < 0 || alwaysParams > (1L << 40)) {
            throw new IllegalArgumentException("always-perturbed scalars " + alwaysParams + " out of range");
        }
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

    /** These costs with {@code scalars} perturbed by every client besides its blocks. */
    public BlockCosts withAlways(long scalars) {
        return new BlockCosts(params, residentBytes, scalars);
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

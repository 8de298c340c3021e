package dev.atelier.zo.train;

import dev.atelier.zo.model.CausalLm;
import java.util.concurrent.RecursiveAction;
import java.util.stream.IntStream;

/**
 * The perturbation direction z ~ N(0, I) of one zeroth-order step, as a pure function of
 * (seed, tensor index, element offset), so every machine regenerates the same z, for any subset
 * of tensors, in any order. The determinism contract (docs/zo.md, "Zeroth-order training"):
 * <ul>
 *   <li>Element {@code i} of tensor {@code t} lives in Philox4x64-10 block counter
 *       (i / 4, t, 0, 0) under key (seed, {@link #DOMAIN}); its word is lane i mod 4.
 *   <li>A word w becomes the 53-bit uniform u = (w >>> 11)·2⁻⁵³ in [0, 1) (exact).
 *   <li>Box–Muller on lane pairs (0, 1) and (2, 3): r = √(−2 ln(1 − u_a)) (1 − u_a is exact and
 *       in (0, 1], so r is finite), φ = 2π·u_b, z_a = r cos φ,
 *       z_b = r sin φ, with {@link StrictMath} only (fdlibm, bit-identical on every platform).
 * </ul>
 * Stateless and thread-safe.
 */
public final class ZoNoise {
    /** Key word 1: separates ZO perturbations from any other use of Philox with the same seed. */
    public static final long DOMAIN = 0x41544C5A4F5A0001L;

    /** Elements per parallel task of {@link #addScaled}. */
    static final int CHUNK = 1 << 15;

    private static final double TWO_PI = 2 * Math.PI;

    private ZoNoise() {}

    /** z of element {@code offset} of tensor {@code tensor} for {@code seed}. */
    public static double z(long seed, int tensor, long offset) {
        double[] quad = new double[4];
        gaussians(seed, tensor, offset >>> 2, quad, new long[4]);
        return quad[(int) (offset & 3)];
    }

    /** The 4 gaussians of block {@code block} (elements 4·block .. 4·block + 3) into {@code out}. */
    static void gaussians(long seed, int tensor, long block, double[] out, long[] words) {
        Philox4x64.block(block, tensor, 0, 0, seed, DOMAIN, words);
        boxMuller(words[0], words[1], out, 0);
        boxMuller(words[2], words[3], out, 2);
    }

    private static void boxMuller(long wa, long wb, double[] out, int at) {
        double r = StrictMath.sqrt(-2 * StrictMath.log(1 - uniform(wa)));
        double phi = TWO_PI * uniform(wb);
        out[at] = r * StrictMath.cos(phi);
        out[at + 1] = r * StrictMath.sin(phi);
    }

    /** The 53 high bits of {@code w} as a uniform in [0, 1), exactly. */
    static double uniform(long w) {
        return (w >>> 11) * 0x1p-53;
    }

    /**
     * θ[i] ← (float) (θ[i] + c·z[i]) for every element of {@code values}, tensor index {@code tensor}
     * (the product and the sum in double, then one rounding to float32). Element-wise, so the
     * result does not depend on the order the elements are visited: large tensors are split into
     * chunks of {@link #CHUNK} elements (a multiple of 4, so no Philox block straddles two chunks)
     * on {@link CausalLm#pool}.
     */
    public static void addScaled(float[] values, long seed, int tensor, double c) {
        int n = values.length;
        if (n <= CHUNK || CausalLm.threads() == 1) {
            addScaled(values, seed, tensor, c, 0, n);
            return;
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        CausalLm.pool().invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(IntStream.range(0, chunks)
                        .mapToObj(k -> (RecursiveAction) new RecursiveAction() {
                            @Override
                            protected void compute() {
                                int from = k * CHUNK;
                                addScaled(values, seed, tensor, c, from, Math.min(n, from + CHUNK));
                            }
                        })
                        .toList());
            }
        });
    }

    /**
     * θ[i] ← (float) (θ[i] + c·z[i]) for the elements of rows {@code rows} (ascending, distinct,
     * each in [0, values.length / cols)) of {@code values} seen as a row-major [·, cols] matrix:
     * element (r, j) gets exactly the z (and the float) that {@link #addScaled(float[], long, int,
     * double)} would give element r·cols + j of the whole tensor, so a row-restricted scope moves
     * its rows as a full step would and leaves every other row untouched. Single-threaded (a few
     * rows).
     */
    public static void addScaledRows(float[] values, long seed, int tensor, double c, int[] rows, int cols) {
        if (cols < 1 || values.length % cols != 0) {
            throw new IllegalArgumentException(values.length + " values are not rows of " + cols);
        }
        for (int r : rows) {
            if (r < 0 || (long) r * cols >= values.length) {
                throw new IllegalArgumentException(
                        "row " + r + " is outside [0, " + values.length / cols + ") of tensor " + tensor);
            }
            addScaled(values, seed, tensor, c, r * cols, r * cols + cols);
        }
    }

    /** Elements [from, to) of {@code values}; a Philox block only partly inside is generated whole. */
    private static void addScaled(float[] values, long seed, int tensor, double c, int from, int to) {
        double[] quad = new double[4];
        long[] words = new long[4];
        for (int b = from >>> 2; 4L * b < to; b++) {
            gaussians(seed, tensor, b, quad, words);
            int lo = Math.max(from, 4 * b);
            int hi = Math.min(to, 4 * b + 4);
            for (int i = lo; i < hi; i++) {
                values[i] = (float) (values[i] + c * quad[i - 4 * b]);
            }
        }
    }
}
